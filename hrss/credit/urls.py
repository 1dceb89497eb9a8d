from django.urls import path

from hrss.credit import pages

app_name = "credit"
urlpatterns = [
    path("credit/mine/", pages.mine, name="mine"),
    path("credit/events/<uuid:event_id>/objection/", pages.objection, name="objection"),
    path("credit/lookup/", pages.lookup, name="lookup"),
    path("credit/lists/", pages.lists, name="lists"),
]
