from django.urls import path

from hrss.analytics import pages

app_name = "analytics"
urlpatterns = [
    path("analytics/", pages.metrics, name="metrics"),
    path("analytics/map/", pages.employment_map, name="map"),
    path("analytics/download.csv", pages.download, {"fmt": "csv"}, name="download-csv"),
    path("analytics/download.xlsx", pages.download, {"fmt": "xlsx"}, name="download-xlsx"),
    path("analytics/warnings/", pages.warnings, name="warnings"),
    path("analytics/warnings/run/", pages.warnings_run, name="warnings-run"),
    path("analytics/warnings/<uuid:warning_id>/acknowledge/", pages.warning_acknowledge, name="warning-acknowledge"),
    path("analytics/warnings/<uuid:warning_id>/close/", pages.warning_close, name="warning-close"),
    path("statistics/open/", pages.open_statistics, name="open"),
    path("statistics/open/download.csv", pages.open_download, name="open-download"),
]
