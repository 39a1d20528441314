"""Snakk om forbedring: a round recorded, corrected or deleted by the unit while it
is open, closed (and reopened) by the coordinator. Each change takes the round's
row lock and checks the state it expects (open, and the version the form was
opened at), so a correction that meets a close is refused rather than written into
a closed round (``_lock`` says why a lock and not a conditional UPDATE)."""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Answer, Assessment, RoundStatus
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


def _lock(assessment: Assessment) -> Assessment | None:
    """The round's row, locked until the commit, as it is now (a close or another
    save committed meanwhile is seen). Only the round's own row: its scope's join
    to the team, network and centre takes no lock (``of=("self",)``).

    A lock, not a conditional UPDATE: within a request's scope, an UPDATE of a
    scoped model filters through a join, which Django writes as ``WHERE id IN
    (subquery)``; PostgreSQL does not re-check a subquery's conditions against a row
    that another transaction changed while the UPDATE waited for it, so a
    correction waiting on a close would still be written."""
    return Assessment.objects.select_for_update(of=("self",)).filter(pk=assessment.pk).first()


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
    locked = _lock(assessment)
    if locked is None or locked.is_closed:
        raise _closed_error()
    if locked.version != version:
        raise RoundChangedMeanwhile(
            _(
                "Someone else saved this round while you were correcting it, so your "
                "changes were not saved. What you wrote is kept below; open the round "
                "again to see their version."
            )
        )
    locked.label, locked.held_on, locked.version = label, held_on, version + 1
    locked.save(update_fields=["label", "held_on", "version"])
    Answer.objects.filter(assessment_id=locked.pk).delete()
    Answer.objects.bulk_create(
        Answer(assessment_id=locked.pk, statement=number, rating=rating, comment=comment)
        for number, rating, comment in answers
    )
    return locked


@transaction.atomic
def delete(assessment: Assessment) -> None:
    """Delete an open round and its answers; ``RoundClosed`` once it is closed."""
    locked = _lock(assessment)
    if locked is None:
        return  # deleted already: a second click changes nothing
    if locked.is_closed:
        raise RoundClosed(
            _("The coordinator has closed this round, so it can no longer be deleted.")
        )
    locked.delete()


@transaction.atomic
def close(assessment: Assessment, *, now: dt.datetime | None = None) -> bool:
    """The coordinator closes the round: from now on it stays as it is. False when
    it was closed already. A correction being saved finishes first (the lock)."""
    locked = _lock(assessment)
    if locked is None or locked.is_closed:
        return False
    locked.status, locked.closed_at = RoundStatus.CLOSED, now or timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    return True


@transaction.atomic
def reopen(assessment: Assessment) -> bool:
    """The coordinator opens a closed round again for the unit's corrections; a page
    opened before the close stays out of date (the version moves on)."""
    locked = _lock(assessment)
    if locked is None or not locked.is_closed:
        return False
    locked.status, locked.closed_at, locked.version = RoundStatus.OPEN, None, locked.version + 1
    locked.save(update_fields=["status", "closed_at", "version"])
    return True
