"""Nothing typed is lost when a login has expired.

A form posted after the session ran out would normally end on the login page
with the text gone. ``login_required_keeping_post`` keeps the posted fields in
the (anonymous) session, which survives the login, and ``take_kept_post``
gives them back to the form on the page the person returns to.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, QueryDict

KEY = "kept-post:"


def login_required_keeping_post(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.method == "POST":
            fields = {
                name: request.POST.getlist(name)
                for name in request.POST
                if name != "csrfmiddlewaretoken"
            }
            request.session[KEY + request.path] = fields
        return redirect_to_login(request.path)

    return wrapper


def take_kept_post(request: HttpRequest) -> QueryDict | None:
    """The fields kept for this page, as a QueryDict, or None."""
    fields = request.session.pop(KEY + request.path, None)
    if not fields:
        return None
    data = QueryDict(mutable=True)
    for name, values in fields.items():
        data.setlist(name, values)
    return data
