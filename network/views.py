from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import render

from network.models import Network
from network.queries import is_coordinator


def home(request):
    """The front page: where each kind of user goes next."""
    coordinator = request.user.is_superuser or is_coordinator(request.user)
    networks = (Network.objects.visible_to(request.user).select_related("centre")
                .order_by("-start_date")[:20] if coordinator else [])
    return render(request, "network/home.html", {"is_coordinator": coordinator,
                                                 "networks": networks})


def healthz(request):
    """For load balancers and docker-compose: is the database answering?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
