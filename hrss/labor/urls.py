from django.urls import path

from hrss.labor import filing_pages, inspection_pages, pages, register_pages

app_name = "labor"
urlpatterns = [
    path("labor/deadlines/", pages.deadline_calculator, name="deadlines"),
    path("labor/cases/mine/", pages.mine, name="mine"),
    path("labor/workbench/", pages.workbench, name="workbench"),
    path("labor/cases/<str:reference>/", pages.case_detail, name="case"),
    path("labor/cases/<str:reference>/documents/<slug:kind>.pdf", pages.document, name="document"),
    path("labor/cases/<str:reference>/take/", pages.take, name="take"),
    path("labor/cases/<str:reference>/hearing/", pages.hearing, name="hearing"),
    path("labor/cases/<str:reference>/record/", pages.record, name="record"),
    path("labor/cases/<str:reference>/extend/", pages.extend, name="extend"),
    path("labor/cases/<str:reference>/award/", pages.award, name="award"),
    path("labor/cases/<str:reference>/recuse/", pages.recuse, name="recuse"),
    path("labor/mediations/mine/", pages.mediations_mine, name="mediations-mine"),
    path("labor/mediations/queue/", pages.mediation_queue, name="mediation-queue"),
    path("labor/mediations/<str:reference>/", pages.mediation_detail, name="mediation"),
    path("labor/mediations/<str:reference>/session/", pages.mediation_session, name="mediation-session"),
    path("labor/mediations/<str:reference>/agree/", pages.mediation_agree, name="mediation-agree"),
    path("labor/mediations/<str:reference>/fail/", pages.mediation_fail, name="mediation-fail"),
    path("labor/employers/<str:credit_code>/", pages.employer_linked, name="employer"),
    path("labor/employers/<str:credit_code>/filing/", filing_pages.employer_filing, name="filing"),
    path("labor/projects/<str:reference>/", filing_pages.project, name="project"),
    path("labor/warnings/", pages.warning_ranking, name="warning"),
    path("labor/leads/", inspection_pages.leads, name="leads"),
    path("labor/leads/<uuid:lead_id>/", inspection_pages.lead, name="lead"),
    path("labor/leads/<uuid:lead_id>/<slug:step>/", inspection_pages.lead_step, name="lead-step"),
    path("labor/inspection-results/", inspection_pages.results, name="inspection-results"),
    path("labor/register/", register_pages.workbench, name="register"),
    path("labor/register/petitions/", register_pages.petition_new, name="register-petition"),
    path("labor/register/fraud-cases/", register_pages.fraud_new, name="register-fraud"),
    path("labor/register/<slug:kind>/<str:reference>/", register_pages.item, name="register-item"),
    path("labor/register/<slug:kind>/<str:reference>/<slug:step>/", register_pages.item_step, name="register-step"),
    path("labor/transfers/<int:transfer_id>/receipt/", register_pages.transfer_receive, name="transfer-receipt"),
    path("labor/persons/<uuid:person_id>/", register_pages.person, name="person"),
]
