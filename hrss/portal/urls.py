from django.urls import path

from hrss.portal import home, modes, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("my/", home.my_home, name="my-home"),
    path("accessibility/", home.accessibility, name="accessibility"),
    path("check/", views.identifier_check, name="identifier-check"),
    path("mode/", modes.mode, name="mode"),
    path("healthz", views.healthz, name="healthz"),
]
