"""The project's URLs plus ``/bench/bare``: constant JSON through the same middleware stack.

The baseline of the person-lookup benchmark: what the server, Django and its middleware
cost before any hrss code runs. Mounted only by ``bench.settings_bench``.
"""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from hrss.urls import handler404, handler500
from hrss.urls import urlpatterns as hrss_urlpatterns

BODY = {"status": "ok", "service": "hrss", "benchmark": "bare"}


def bare(request: HttpRequest) -> JsonResponse:
    return JsonResponse(BODY)


urlpatterns = [path("bench/bare", bare), *hrss_urlpatterns]

__all__ = ["handler404", "handler500", "urlpatterns"]
