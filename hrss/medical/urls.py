from django.urls import path

from hrss.medical import pages

app_name = "medical"
urlpatterns = [
    path("medical/", pages.mine, name="mine"),
]
