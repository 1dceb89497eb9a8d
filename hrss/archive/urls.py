from django.urls import path

from hrss.archive import pages

app_name = "archive"
urlpatterns = [
    path("archive/dossier/", pages.dossier, name="dossier"),
    path("archive/certificates/", pages.certificates, name="certificates"),
    path("archive/certificates/issue/", pages.certificate_issue, name="certificate_issue"),
    path("archive/certificates/<str:code>/pdf/", pages.certificate_pdf, name="certificate_pdf"),
    path("archive/lookup/", pages.lookup, name="lookup"),
    path("archive/scans/add/", pages.scan_add, name="scan_add"),
    path("archive/scans/<uuid:scan_id>/", pages.scan, name="scan"),
    path("verify/", pages.verify_form, name="verify_form"),
    path("verify/<str:code>/", pages.verify, name="verify"),
]
