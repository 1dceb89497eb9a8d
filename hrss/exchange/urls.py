from django.urls import path

from hrss.exchange import pages

app_name = "exchange"
urlpatterns = [
    path("exchange/mine/", pages.mine, name="mine"),
    path("exchange/certificates/", pages.certificates, name="certificates"),
    path("exchange/consents/", pages.consent_create, name="consent_create"),
    path("exchange/consents/<uuid:consent_id>/revoke/", pages.consent_revoke, name="consent_revoke"),
]
