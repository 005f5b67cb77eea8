"""The project's URLs plus a stand-in `wizard:start`, to test the landing page's start button."""
from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from dsar.urls import urlpatterns as project_urlpatterns


def start(request: HttpRequest) -> HttpResponse:
    return HttpResponse("start")


urlpatterns = [
    path("stand-in/", include(([path("start/", start, name="start")], "wizard"))),
    *project_urlpatterns,
]
