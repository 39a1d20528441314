"""The retention rule for people: whoever has no role left and has not logged in for
``RETENTION_INACTIVE_PERSON_DAYS`` is warned by e-mail, and erased
``RETENTION_WARNING_DAYS`` later unless they log in or get a role again.

The state changes are the network app's (``mark_warned``, ``erase_person``); this
module only chooses the people, since a role lives in several apps below.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from lib.emails import message_id, send_email
from network import services as network
from network.models import Person


def without_role(now: dt.datetime) -> QuerySet[Person]:
    """People not erased, with no role (coordinator, team member, unit leader), not
    a superuser's person, whose last login (or, with none, their being added) is
    older than ``RETENTION_INACTIVE_PERSON_DAYS``; annotated with ``active_at``."""
    cutoff = now - dt.timedelta(days=settings.RETENTION_INACTIVE_PERSON_DAYS)
    return (
        Person.objects.filter(erased_at__isnull=True)
        .exclude(coordinator_roles__isnull=False)
        .exclude(memberships__isnull=False)
        .exclude(led_teams__isnull=False)
        .exclude(user__is_superuser=True)
        .annotate(active_at=Coalesce("user__last_login", "created_at"))
        .filter(active_at__lt=cutoff)
        .order_by("pk")
    )


def retire_inactive_people(now: dt.datetime | None = None) -> dict[str, int]:
    """Warn the people the rule finds, erase those warned long enough ago, and
    forget the warning of anyone who has since logged in or got a role. Running it
    twice changes nothing the second time. Answers the counts."""
    now = now or timezone.now()
    grace = now - dt.timedelta(days=settings.RETENTION_WARNING_DAYS)
    found = without_role(now)
    # A warning counts only for the inactivity it warned of.
    Person.objects.filter(inactivity_warned_at__isnull=False).exclude(
        pk__in=found.values("pk")
    ).update(inactivity_warned_at=None)
    erased = 0
    for person in found.filter(
        inactivity_warned_at__lte=grace, inactivity_warned_at__gte=F("active_at")
    ):
        if network.erase_person(person.pk, now=now) is not None:
            erased += 1
    warned = 0
    to_warn = found.filter(
        Q(inactivity_warned_at__isnull=True) | Q(inactivity_warned_at__lt=F("active_at"))
    ).select_related("centre")
    for person in to_warn:
        if not network.mark_warned(person.pk, was=person.inactivity_warned_at, now=now):
            continue
        if person.email:
            try:
                _send_warning(person, now)
            except Exception:
                network.unmark_warned(person.pk, now=now)
                raise
        warned += 1
    return {"warned": warned, "erased": erased}


def _send_warning(person: Person, now: dt.datetime) -> None:
    erase_on = now + dt.timedelta(days=settings.RETENTION_WARNING_DAYS)
    centre = person.centre
    send_email(
        "inactivity_warning",
        {
            "person": person,
            "centre": centre,
            "contact": centre.privacy_email or centre.email,
            "erase_on": erase_on,
            "days": settings.RETENTION_INACTIVE_PERSON_DAYS,
            "login_url": settings.SITE_URL + reverse("security:login"),
            "privacy_url": settings.SITE_URL + reverse("privacy:statement"),
        },
        [person.email],
        headers={"Message-ID": message_id("inactivity", f"{person.pk}:{now:%Y%m%d}")},
    )
