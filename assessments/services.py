"""Snakk om forbedring: a round recorded, corrected or deleted by the unit while it
is open, closed (and reopened) by the coordinator. Each change is a conditional
UPDATE on the state it expects, or takes the row lock, so a correction that meets
a close is refused rather than written into a closed round."""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Answer, Assessment, RoundStatus
from lib.conditional import update_if
from teams.models import Team


class RoundError(Exception):
    """The change was not made; the message says why, for the person who asked."""


class RoundClosed(RoundError):
    pass


class RoundChangedMeanwhile(RoundError):
    pass


@transaction.atomic
def record(
    team: Team, *, label: str, held_on: dt.date, answers: Iterable[tuple[int, int, str]]
) -> Assessment:
    assessment = Assessment.objects.create(team=team, label=label, held_on=held_on)
    Answer.objects.bulk_create(
        Answer(assessment=assessment, statement=number, rating=rating, comment=comment)
        for number, rating, comment in answers
    )
    return assessment


def _closed_error() -> RoundClosed:
    return RoundClosed(
        _(
            "The coordinator has closed this round, so it can no longer be changed. "
            "Your changes were not saved; what you wrote is kept below."
        )
    )


@transaction.atomic
def correct(
    assessment: Assessment,
    *,
    version: int,
    label: str,
    held_on: dt.date,
    answers: Iterable[tuple[int, int, str]],
) -> Assessment:
    """Write the corrected round, if it is still open and still at ``version`` (the
    version the form was opened at). Refused with ``RoundClosed`` or
    ``RoundChangedMeanwhile``; nothing is written then."""
    updated = update_if(
        Assessment,
        assessment.pk,
        {"status": RoundStatus.OPEN, "version": version},
        label=label,
        held_on=held_on,
        version=F("version") + 1,
    )
    if not updated:
        current = Assessment.objects.filter(pk=assessment.pk).values_list("status", flat=True)
        if list(current) == [RoundStatus.OPEN]:
            raise RoundChangedMeanwhile(
                _(
                    "Someone else saved this round while you were correcting it, so your "
                    "changes were not saved. What you wrote is kept below; open the round "
                    "again to see their version."
                )
            )
        raise _closed_error()
    # The UPDATE holds the row until the commit: a close waits for the answers too.
    Answer.objects.filter(assessment_id=assessment.pk).delete()
    Answer.objects.bulk_create(
        Answer(assessment_id=assessment.pk, statement=number, rating=rating, comment=comment)
        for number, rating, comment in answers
    )
    assessment.refresh_from_db()
    return assessment


@transaction.atomic
def delete(assessment: Assessment) -> None:
    """Delete an open round and its answers; ``RoundClosed`` once it is closed."""
    locked = Assessment.objects.select_for_update().filter(pk=assessment.pk).first()
    if locked is None:
        return  # deleted already: a second click changes nothing
    if locked.is_closed:
        raise RoundClosed(
            _("The coordinator has closed this round, so it can no longer be deleted.")
        )
    locked.delete()


def close(assessment: Assessment, *, now: dt.datetime | None = None) -> bool:
    """The coordinator closes the round: from now on it stays as it is. False when
    it was closed already."""
    return bool(
        update_if(
            Assessment,
            assessment.pk,
            {"status": RoundStatus.OPEN},
            status=RoundStatus.CLOSED,
            closed_at=now or timezone.now(),
        )
    )


def reopen(assessment: Assessment) -> bool:
    """The coordinator opens a closed round again for the unit's corrections."""
    return bool(
        update_if(
            Assessment,
            assessment.pk,
            {"status": RoundStatus.CLOSED},
            status=RoundStatus.OPEN,
            closed_at=None,
            version=F("version") + 1,
        )
    )
