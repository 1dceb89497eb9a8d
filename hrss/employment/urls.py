from django.urls import path

from hrss.employment import pages

app_name = "employment"
urlpatterns = [
    path("employment/", pages.mine, name="mine"),
    path("employment/profile/", pages.profile_save, name="profile"),
    path("employment/vacancies/", pages.vacancies, name="vacancies"),
    path("employment/vacancies/<uuid:vacancy_id>/close/", pages.vacancy_close, name="vacancy-close"),
    path("employment/vacancies/<uuid:vacancy_id>/apply/", pages.apply, name="apply"),
    path("employment/vacancies/<uuid:vacancy_id>/candidates/", pages.candidates, name="candidates"),
    path("employment/applications/<uuid:application_id>/invite/", pages.invite, name="invite"),
    path("employment/policies/", pages.policy_runs, name="policies"),
    path("employment/loans/", pages.startup_loans, name="loans"),
    path("employment/policies/runs/<uuid:run_id>/", pages.policy_run, name="policy-run"),
    path("employment/policies/runs/<uuid:run_id>/approve/", pages.policy_run_approve, name="policy-run-approve"),
]
