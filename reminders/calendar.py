"""Sessions as iCalendar: invitations in e-mail, and each person's private feed."""

import secrets

from django.db.models import Q
from django.utils import translation

from lib.ics import build
from lib.tokens import hash_token
from network.models import Coordinator
from reminders.models import CalendarFeed
from sessions_app.calendar import event
from sessions_app.models import Session
from teams.models import Team, TeamMember


def sessions_for_person(person):
    """Every session the person is invited to or runs."""
    team_ids = TeamMember.objects.filter(person=person).values("team_id")
    led = Team.objects.filter(unit_leader=person)
    centres = Coordinator.objects.filter(person=person).values("centre_id")
    return (
        Session.objects.filter(
            Q(network__teams__in=team_ids, invited_teams__isnull=True)
            | Q(invited_teams__in=team_ids)
            | Q(network__teams__in=led, invite_unit_leaders=True)
            | Q(network__centre__in=centres)
        )
        .select_related("network")
        .distinct()
        .order_by("starts_at")
    )


def feed(person) -> bytes:
    with translation.override("nb"):
        return build([event(s) for s in sessions_for_person(person)], name=f"USHT – {person.name}")


def new_feed_token(person) -> str:
    """A new secret feed address for ``person``; the old one stops working."""
    token = secrets.token_urlsafe(24)
    CalendarFeed.objects.update_or_create(person=person, defaults={"token_hash": hash_token(token)})
    return token


def revoke(person):
    CalendarFeed.objects.filter(person=person).delete()


def person_for_token(token):
    found = (
        CalendarFeed.objects.select_related("person").filter(token_hash=hash_token(token)).first()
    )
    return found.person if found else None
