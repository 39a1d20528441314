"""The product's URLs plus a floor view: a trivial template on the same stack."""

from django.shortcuts import render
from django.urls import include, path


def floor(request):
    return render(request, "bench_floor.html", {"message": "ok"})


urlpatterns = [
    path("__floor__/", floor, name="bench_floor"),
    path("", include("config.urls")),
]
