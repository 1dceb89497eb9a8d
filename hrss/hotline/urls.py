from django.urls import path
from django.views.generic import RedirectView

from hrss.hotline import pages

app_name = "hotline"
urlpatterns = [
    path("hotline/", pages.search, name="search"),
    path("hotline/articles/<slug:code>/", pages.article, name="article"),
    path("hotline/kb/", pages.review, name="review"),
    path("hotline/kb/<slug:code>/publish/", pages.publish, name="publish"),
    path("hotline/desk/", pages.desk, name="desk"),
    path("hotline/tickets/", pages.ticket_list, name="tickets"),
    path("hotline/tickets/<str:reference>/", pages.ticket_detail, name="ticket"),
    path("hotline/tickets/<str:reference>/resolve/", pages.ticket_action, {"action": "resolve"}, name="resolve"),
    path("hotline/tickets/<str:reference>/callback/", pages.ticket_action, {"action": "callback"}, name="callback"),
    path("hotline/tickets/<str:reference>/quality/", pages.ticket_action, {"action": "quality"}, name="quality"),
    path("hotline/statistics/", pages.desk_statistics, name="statistics"),
]

# The person's message centre moved to the hall (/hall/messages/): one page for every channel.
urlpatterns += [
    path("hotline/messages/", RedirectView.as_view(pattern_name="servicehall:messages", permanent=True)),
]
