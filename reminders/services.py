"""A person's choice of reminders."""

from django.db import transaction

from network.models import Person
from reminders.models import OPTIONAL_KINDS, ReminderOptOut


def turn_off(person: Person, kind: str) -> None:
    """``person`` gets no more reminders of ``kind`` (one of ``OPTIONAL_KINDS``)."""
    if kind in OPTIONAL_KINDS:
        ReminderOptOut.objects.get_or_create(person=person, kind=kind)


@transaction.atomic
def choose_reminders(person: Person, wanted: set[str]) -> None:
    """``person`` gets the optional reminders in ``wanted``, and not the others."""
    ReminderOptOut.objects.filter(person=person, kind__in=wanted).delete()
    for kind in set(OPTIONAL_KINDS) - wanted:
        turn_off(person, kind)
