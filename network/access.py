"""Who the user is, and the tenancy scope that follows from it.

Every model that belongs to a centre has a ``django_scopes.ScopedManager`` on the
dimension ``centre``. A query on such a model outside a declared scope raises
``ScopeError`` instead of quietly returning every centre's rows:

- a request declares its scope in ``ScopeMiddleware``: the centres the user
  belongs to (every centre for a superuser, none for a visitor who is not logged
  in). A public page reached by a secret link or a public id widens it for that
  one object with ``public_scope``;
- a Celery task starts with no scope, also when run eagerly, and declares its own
  (``config.celery.ScopedTask``);
- a management command and a test declare theirs (``scopes_disabled()`` for work
  that serves the whole installation).

``request.access`` holds the answer to "who is this user" for one request: the
middleware asks the database once, and it is gone with the request, so a role
given or taken away counts from the next request on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django_scopes import scope, scopes_disabled

if TYPE_CHECKING:
    from network.models import User


@dataclass(frozen=True)
class Access:
    """What one user may see: the scope of their requests and their roles."""

    user_id: int | None
    is_superuser: bool
    #: The centres whose rows the user's requests may read; None for every centre.
    centre_ids: tuple[int, ...] | None
    #: The centres the user coordinates.
    coordinated_centre_ids: tuple[int, ...]

    @property
    def is_coordinator(self) -> bool:
        """True for someone who coordinates a centre (a superuser need not)."""
        return bool(self.coordinated_centre_ids)

    @property
    def may_coordinate(self) -> bool:
        """Coordinators and superusers: the admin and the coordinators' pages."""
        return self.is_superuser or self.is_coordinator


NOBODY = Access(user_id=None, is_superuser=False, centre_ids=(), coordinated_centre_ids=())


def access_for(user: User | AnonymousUser | None) -> Access:
    """Read from the database what ``user`` may see (one query at most)."""
    from network.models import Person

    if user is None or not user.is_authenticated or not user.is_active:
        return NOBODY
    with scopes_disabled():
        rows = list(
            Person.objects.filter(user=user)
            .order_by()
            .values_list("centre_id", "coordinator_roles__centre_id")
        )
    centres = {centre for centre, _coordinated in rows}
    coordinated = tuple(sorted({c for _centre, c in rows if c is not None}))
    if user.is_superuser:
        return Access(user.pk, True, None, coordinated)
    return Access(user.pk, False, tuple(sorted(centres | set(coordinated))), coordinated)


def access_of(request: HttpRequest) -> Access:
    """The request's ``Access``, as ``ScopeMiddleware`` set it (read now if it did not
    run, as for a request built by hand in a test)."""
    access = getattr(request, "access", None)
    if access is None:
        access = request.access = access_for(getattr(request, "user", None))
    return access


class ScopeMiddleware:
    """Every request runs in the scope of the centres its user belongs to."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        access = request.access = access_for(request.user)
        centres = None if access.centre_ids is None else list(access.centre_ids)
        with scope(centre=centres):
            return self.get_response(request)


@contextmanager
def public_scope(centre_id: int) -> Iterator[None]:
    """The scope of one centre, for a page that anyone with the link may see."""
    with scope(centre=[centre_id]):
        yield
