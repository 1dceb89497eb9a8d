from django.urls import path

from hrss.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("check/", views.identifier_check, name="identifier-check"),
    path("healthz", views.healthz, name="healthz"),
]
