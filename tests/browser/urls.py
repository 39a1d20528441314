"""The product's URLs and one that fails, so that the walk sees the 500 page as a
visitor would (Django's server_error with the product's 500.html)."""

from django.urls import path

from config.urls import urlpatterns as product


def broken(request):
    raise RuntimeError("a deliberate failure: the error page's test")


urlpatterns = [*product, path("test/500/", broken, name="test_500")]
