from django.urls import path

from hrss.medical import pages

app_name = "medical"
urlpatterns = [
    path("medical/", pages.mine, name="mine"),
    path("medical/monitoring/", pages.monitoring, name="monitoring"),
    path("medical/monitoring/run/", pages.monitoring_run, name="monitoring_run"),
    path("medical/monitoring/<uuid:flag_id>/", pages.monitoring_flag, name="monitoring_flag"),
    path("medical/monitoring/<uuid:flag_id>/decide/", pages.monitoring_decide, name="monitoring_decide"),
    path("medical/monitoring/<uuid:flag_id>/recovery/", pages.monitoring_recovery, name="monitoring_recovery"),
    path("medical/reconciliations/", pages.reconciliations, name="reconciliations"),
    path("medical/reconciliations/<uuid:reconciliation_id>/", pages.reconciliation, name="reconciliation"),
    path("medical/finance/", pages.finance, name="finance"),
    path("medical/diseases/", pages.diseases, name="diseases"),
]
