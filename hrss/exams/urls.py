from django.urls import path

from hrss.exams import pages

app_name = "exams"
urlpatterns = [
    path("exams/", pages.catalogue, name="catalogue"),
    path("exams/mine/", pages.mine, name="mine"),
    path("exams/mine/<uuid:registration_id>/fee/", pages.fee, name="fee"),
    path("exams/mine/<uuid:registration_id>/ticket/", pages.ticket_pdf, name="ticket_pdf"),
    path("exams/mine/<uuid:registration_id>/appeal/", pages.appeal, name="appeal"),
    path("exams/tickets/<str:ticket>/", pages.ticket, name="ticket"),
    path("exams/office/", pages.office, name="office"),
    path("exams/office/appeals/<uuid:appeal_id>/", pages.office_appeal, name="office_appeal"),
    path("exams/office/registrations/<uuid:registration_id>/", pages.office_review, name="office_review"),
    path("exams/office/<str:code>/", pages.office_exam, name="office_exam"),
    path("exams/office/<str:code>/step/", pages.office_step, name="office_step"),
    path("exams/office/<str:code>/sheets/", pages.office_sheets, name="office_sheets"),
    path("exams/marking/", pages.marking, name="marking"),
    path("exams/marking/<str:script_code>/", pages.mark, name="mark"),
    path("exams/<str:code>/", pages.exam, name="exam"),
    path("exams/<str:code>/register/", pages.register, name="register"),
]
