"""A person's choice of reminders; what an erasure and the retention rule take."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from network.models import Person
from reminders.models import (
    OPTIONAL_KINDS,
    CalendarFeed,
    Reminder,
    ReminderKind,
    ReminderOptOut,
    ReminderState,
)


def turn_off(person: Person, kind: str) -> None:
    """``person`` gets no more reminders of ``kind`` (one of ``OPTIONAL_KINDS``)."""
    if kind in OPTIONAL_KINDS:
        ReminderOptOut.objects.get_or_create(person=person, kind=kind)


def set_digest(person: Person, on: bool) -> None:
    """``person`` (a coordinator) gets the weekly digest, or not."""
    if on:
        ReminderOptOut.objects.filter(person=person, kind=ReminderKind.DIGEST).delete()
    else:
        turn_off(person, ReminderKind.DIGEST)


@transaction.atomic
def choose_reminders(person: Person, wanted: set[str]) -> None:
    """``person`` gets the optional reminders in ``wanted``, and not the others."""
    ReminderOptOut.objects.filter(person=person, kind__in=wanted).delete()
    for kind in set(OPTIONAL_KINDS) - wanted:
        turn_off(person, kind)


def forget_person(person: Person, email: str) -> int:
    """An erased person gets nothing more (``network.services.erase_person``): every
    reminder to them is deleted (pending ones would go out, and a sent one would
    call for a session update to its address), their calendar feed revoked (its
    address stops working) and their choices removed. Answers how many reminders
    were deleted."""
    to_them = Q(person=person)
    if email:
        to_them |= Q(recipient_email__iexact=email)
    deleted, _counts = Reminder.objects.filter(to_them, network__centre=person.centre_id).delete()
    CalendarFeed.objects.filter(person=person).delete()
    ReminderOptOut.objects.filter(person=person).delete()
    return deleted


def purge(now: dt.datetime | None = None) -> int:
    """Delete the reminders that were sent, cancelled or failed and were due more than
    ``RETENTION_REMINDER_DAYS`` ago; pending and sending ones are left to the sweep.
    One DELETE; answers how many."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.RETENTION_REMINDER_DAYS)
    deleted, _counts = Reminder.objects.filter(
        due_at__lt=cutoff,
        state__in=[ReminderState.SENT, ReminderState.CANCELLED, ReminderState.FAILED],
    ).delete()
    return deleted
