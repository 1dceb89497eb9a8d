from django.urls import path

from hrss.insurance import pages

app_name = "insurance"
urlpatterns = [
    path("insurance/", pages.mine, name="mine"),
    path("insurance/enrol/", pages.flexible_enrol, name="flexible-enrol"),
    path("insurance/pay/", pages.pay, name="pay"),
    path("insurance/estimate/", pages.estimate, name="estimate"),
    path("insurance/employer/", pages.employer, name="employer"),
    path("insurance/employer/enrol/", pages.employer_enrol, name="employer-enrol"),
    path("insurance/employer/stop/", pages.employer_stop, name="employer-stop"),
    path("insurance/employer/declare/", pages.employer_declare, name="employer-declare"),
    path("insurance/staff/", pages.staff, name="staff"),
]
