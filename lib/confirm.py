"""The page that asks before the admin sends e-mail: who gets what, a button that
does it and one that cancels.

For an admin action it is Django's intermediate page: the action returns this page
when the request is not yet confirmed, and the page's form posts the same action
again, with the selected ids and ``post=yes`` (``action_fields``). A button on an
object's page is a plain view: GET shows this page, its POST does the work.
Nothing is sent before that second POST.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.admin import AdminSite, helpers
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse


@dataclass(frozen=True)
class Recipient:
    """One person who gets an e-mail, and what it is."""

    name: str
    email: str
    gets: str


@dataclass(frozen=True)
class LeftOut:
    """Something selected that the action will not do, and why."""

    label: str
    reason: str


@dataclass(frozen=True)
class Confirmation:
    title: str
    intro: str
    button: str
    cancel_url: str
    recipients: Sequence[Recipient] = ()
    left_out: Sequence[LeftOut] = ()
    notes: Sequence[str] = ()
    #: (name, value) of the hidden inputs the confirming POST carries.
    hidden: Sequence[tuple[str, str]] = field(default_factory=list)


def is_confirmed(request: HttpRequest) -> bool:
    return request.method == "POST" and request.POST.get("post") == "yes"


def action_fields(action: str, queryset: QuerySet[Any]) -> list[tuple[str, str]]:
    """The hidden inputs that post admin action ``action`` again for ``queryset``."""
    return [
        ("action", action),
        *((helpers.ACTION_CHECKBOX_NAME, str(pk)) for pk in queryset.values_list("pk", flat=True)),
    ]


def render(
    request: HttpRequest,
    admin_site: AdminSite,
    opts: Any,
    confirmation: Confirmation,
    *,
    status: int = 200,
) -> TemplateResponse:
    """The confirmation page, in the admin's layout."""
    context = {
        **admin_site.each_context(request),
        "opts": opts,
        "title": confirmation.title,
        "confirmation": confirmation,
        "hidden": [*confirmation.hidden, ("post", "yes")],
    }
    return TemplateResponse(request, "admin/confirm_sending.html", context, status=status)
