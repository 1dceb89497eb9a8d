from django.urls import path

from hrss.card import pages

app_name = "card"
urlpatterns = [
    path("card/", pages.holder_card, name="mine"),
    path("card/apply/", pages.holder_apply, name="apply"),
    path("card/activate/", pages.holder_activate, name="activate"),
    path("card/loss/", pages.holder_loss, name="loss"),
    path("card/unfreeze/", pages.holder_unfreeze, name="unfreeze"),
    path("card/ecard/", pages.holder_ecard, name="ecard"),
    path("card/ecard/code/", pages.holder_ecard_code, name="ecard-code"),
    path("card/catalogue/", pages.catalogue, name="catalogue"),
    path("card/coverage/", pages.coverage, name="coverage"),
    path("card/preferences/", pages.preferences, name="preferences"),
]
