from django.shortcuts import render

from network.queries import is_coordinator


def home(request):
    """The front page: where each kind of user goes next."""
    return render(request, "network/home.html", {
        "is_coordinator": request.user.is_superuser or is_coordinator(request.user),
    })
