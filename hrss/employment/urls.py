from django.urls import path

from hrss.employment import pages

app_name = "employment"
urlpatterns = [
    path("employment/", pages.mine, name="mine"),
    path("employment/profile/", pages.profile_save, name="profile"),
    path("employment/vacancies/", pages.vacancies, name="vacancies"),
    path("employment/vacancies/<uuid:vacancy_id>/close/", pages.vacancy_close, name="vacancy-close"),
]
