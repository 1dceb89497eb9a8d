"""Account pages under /accounts/ and the OIDC provider's endpoints.

``oidc_urlpatterns`` are mounted at the site root so the issuer is the site itself and
discovery sits at ``/.well-known/openid-configuration``; the OAuth2 endpoints live under ``/o/``.
"""

from __future__ import annotations

from django.urls import path, re_path
from oauth2_provider import views as oauth

from hrss.identity import kiosk_pages, pages

app_name = "identity"
urlpatterns = [
    path("login/", pages.sign_in, name="login"),
    path("login/phone/", pages.sign_in_phone, name="login-phone"),
    path("login/code/", pages.sign_in_code, name="login-code"),
    path("otp/", pages.second_factor, name="otp"),
    path("otp/setup/", pages.second_factor_setup, name="otp-setup"),
    path("logout/", pages.sign_out, name="logout"),
    path("reauth/", pages.reauthenticate, name="reauth"),
    path("signup/", pages.sign_up, name="signup"),
    path("signup/verify/", pages.sign_up_verify, name="signup-verify"),
    path("me/", pages.me, name="me"),
    path("me/sessions/<uuid:session_id>/end/", pages.session_end, name="session-end"),
    path("me/apps/<int:application_id>/revoke/", pages.app_revoke, name="app-revoke"),
    path("me/employer/", pages.employer_agent, name="employer"),
    # The self-service kiosk: card and PIN, electronic card code, ID number and face.
    path("kiosk/", kiosk_pages.start, name="kiosk"),
    path("kiosk/card/", kiosk_pages.card, name="kiosk-card"),
    path("kiosk/card/insert/", kiosk_pages.card_insert, name="kiosk-card-insert"),
    path("kiosk/code/", kiosk_pages.code, name="kiosk-code"),
    path("kiosk/face/", kiosk_pages.face, name="kiosk-face"),
    path("kiosk/signout/", kiosk_pages.sign_out, name="kiosk-signout"),
]

oidc_urlpatterns = (
    [
        re_path(
            r"^\.well-known/openid-configuration/?$",
            oauth.ConnectDiscoveryInfoView.as_view(),
            name="oidc-connect-discovery-info",
        ),
        path(".well-known/jwks.json", oauth.JwksInfoView.as_view(), name="jwks-info"),
        path(
            "o/authorize/",
            oauth.AuthorizationView.as_view(template_name="identity/oidc_authorize.html"),
            name="authorize",
        ),
        path("o/token/", oauth.TokenView.as_view(), name="token"),
        path("o/revoke_token/", oauth.RevokeTokenView.as_view(), name="revoke-token"),
        path("o/introspect/", oauth.IntrospectTokenView.as_view(), name="introspect"),
        path("o/userinfo/", oauth.UserInfoView.as_view(), name="user-info"),
        path(
            "o/logout/",
            oauth.RPInitiatedLogoutView.as_view(template_name="identity/oidc_logout.html"),
            name="rp-initiated-logout",
        ),
    ],
    "oauth2_provider",
)
