"""The project's own pages: the front page, the health check, the favicon."""

from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static

from gatherings.queries import open_gatherings
from network.access import access_of
from network.queries import coordinated_networks


def healthz(request):
    """For load balancers and docker-compose: is the database answering?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def favicon(request):
    """Browsers ask for /favicon.ico on every page, the admin's too."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def home(request):
    """The front page: where each kind of user goes next. Coordinators see their
    networks; everyone sees the gatherings open for registration."""
    coordinator = access_of(request).may_coordinate
    networks = (
        coordinated_networks(request).select_related("centre").order_by("-start_date")[:20]
        if coordinator
        else []
    )
    return render(
        request,
        "home.html",
        {
            "is_coordinator": coordinator,
            "networks": networks,
            "open_gatherings": open_gatherings()[:10],
        },
    )
