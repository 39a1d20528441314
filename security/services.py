"""Every change the security app makes: lockouts lifted, (later) two-factor devices."""

from __future__ import annotations

from typing import TYPE_CHECKING

from axes.utils import reset as axes_reset
from django.http import HttpRequest

from security.lockout import username as lockout_username
from security.models import EventKind
from security.signals import record

if TYPE_CHECKING:
    from network.models import User


def password_reset(user: User, *, request: HttpRequest | None = None) -> int:
    """A new password chosen through the e-mailed link: the owner of the mailbox has
    shown who they are, so the lockout of their user name ends (from every IP address).
    Answers how many failed-login records were removed."""
    name = lockout_username(None, {"username": user.email})
    removed = axes_reset(username=name) if name else 0
    record(
        EventKind.PASSWORD_RESET,
        request=request,
        user=user,
        detail=f"lockout lifted ({removed} failed-login records removed)" if removed else "",
    )
    return removed
