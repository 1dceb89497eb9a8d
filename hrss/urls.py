from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from hrss.api import api
from hrss.core.metrics import metrics_view
from hrss.identity.urls import oidc_urlpatterns

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/", api.urls),
    path("metrics", metrics_view, name="prometheus-metrics"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("hrss.identity.urls")),
    path("", include(oidc_urlpatterns)),
    # The recording payment gateway's confirmation page: a 404 unless that gateway is configured.
    path("payments/local/", include("hrss.core.payments_local")),
    path("", include("hrss.servicehall.urls")),
    path("", include("hrss.card.urls")),
    path("", include("hrss.employment.urls")),
    path("", include("hrss.hotline.urls")),
    path("", include("hrss.training.urls")),
    path("", include("hrss.medical.urls")),
    path("", include("hrss.insurance.urls")),
    path("", include("hrss.labor.urls")),
    path("", include("hrss.credit.urls")),
    path("", include("hrss.archive.urls")),
    path("", include("hrss.exchange.urls")),
    path("", include("hrss.exams.urls")),
    path("", include("hrss.talent.urls")),
    path("", include("hrss.analytics.urls")),
    path("", include("hrss.portal.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The one error answer: JSON error shape under /api/, the friendly page elsewhere (hrss.core.views).
handler400 = "hrss.core.views.bad_request"
handler403 = "hrss.core.views.permission_denied"
handler404 = "hrss.core.views.not_found"
handler500 = "hrss.core.views.server_error"
