"""Writes and advice for improvement teams: make-up, measures, measurements, invitations."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Protocol

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lib import leases
from lib.conditional import update_if, update_where
from lib.dates import add_months
from lib.emails import send_email
from network.models import MeasurePeriod, Person, RecommendedMeasure, User
from teams.models import (
    PATIENT_CONTACT,
    Measure,
    Measurement,
    PlannedInvitation,
    Role,
    Team,
    TeamMember,
)
from teams.signals import members_changed

RECOMMENDED_SIZE = range(2, 8)  # 2 to 7 members

#: A row of a series: (period_start, numerator, denominator, value).
SeriesRow = tuple[dt.date, Decimal | None, Decimal | None, Decimal | None]


class MemberLike(Protocol):
    """What ``team_advice`` reads of a member: a TeamMember or a form's cleaned row."""

    @property
    def role(self) -> str: ...

    @property
    def profession(self) -> str: ...


def team_advice(members: Iterable[MemberLike]) -> list[str]:
    """Visible warnings for a team's make-up, from the guide for unit leaders.

    ``members`` is any iterable of objects with ``role`` and ``profession``:
    saved TeamMembers, or the cleaned rows of a form. These are advice, not
    rules: the hard rules (one team leader, a person once) are constraints.
    """
    members = list(members)
    advice = []
    if len(members) not in RECOMMENDED_SIZE:
        advice.append(
            ngettext(
                "The team has %(count)d member; 2 to 7 members are recommended.",
                "The team has %(count)d members; 2 to 7 members are recommended.",
                len(members),
            )
            % {"count": len(members)}
        )
    if members and not any(m.profession in PATIENT_CONTACT for m in members):
        advice.append(
            _(
                "No member has a profession with patient contact. The professions that meet "
                "the patients should be represented on the team."
            )
        )
    roles = {m.role for m in members}
    if Role.TEAM_LEADER not in roles:
        advice.append(_("The team has no team leader."))
    if Role.MEASUREMENT_LEAD not in roles:
        advice.append(_("The team has no measurement lead."))
    return advice


# --- Measures and measurements -------------------------------------------------------


def period_start(period: str, day: dt.date) -> dt.date:
    """The first day of the week (Monday) or month that ``day`` falls in."""
    if period == MeasurePeriod.WEEK:
        return day - dt.timedelta(days=day.weekday())
    return day.replace(day=1)


def next_periods(period: str, after: dt.date, count: int) -> list[dt.date]:
    """The starts of the ``count`` periods that follow the period starting ``after``."""
    if period == MeasurePeriod.WEEK:
        return [after + dt.timedelta(weeks=i) for i in range(1, count + 1)]
    return [add_months(after, i) for i in range(1, count + 1)]


def previous_period(period: str, before: dt.date) -> dt.date:
    """The start of the period before the one starting ``before``."""
    if period == MeasurePeriod.WEEK:
        return before - dt.timedelta(weeks=1)
    return add_months(before, -1)


def create_measure(
    team: Team, *, recommended: RecommendedMeasure | None = None, **fields: Any
) -> Measure:
    """A measure of the team's own, or one from the focus area's list.

    A recommended measure brings its type and direction of improvement, and
    its name and definition where the team left them empty; the team chooses
    the period and the goal.
    """
    if recommended is not None:
        fields["kind"], fields["direction"] = recommended.kind, recommended.direction
        for name in ("name", "definition"):
            if not fields.get(name):
                fields[name] = getattr(recommended, name)
    return Measure.objects.create(team=team, recommended=recommended, **fields)


@transaction.atomic
def save_series(
    measure: Measure, rows: Iterable[SeriesRow], moved: Iterable[dt.date] = ()
) -> tuple[int, int]:
    """Save a whole series at once; returns (saved, deleted).

    Each row is (period_start, numerator, denominator, value). A row with no
    numbers deletes that period's point, and so does a period in ``moved``: a
    point whose date was corrected to another period. The caller has validated
    every row: this saves all of them or, on any error, none. The measure's
    points are locked while they change.
    """
    existing = {m.period_start: m for m in measure.measurements.select_for_update()}
    saved = deleted = 0
    for start in moved:
        if start in existing:
            existing.pop(start).delete()
            deleted += 1
    for start, numerator, denominator, value in rows:
        if numerator is None and denominator is None and value is None:
            if start in existing:
                existing.pop(start).delete()
                deleted += 1
            continue
        point = existing.get(start) or Measurement(measure=measure, period_start=start)
        point.numerator, point.denominator, point.value = numerator, denominator, value
        point.save()
        saved += 1
    return saved, deleted


@transaction.atomic
def save_events(measure: Measure, events: Iterable[tuple[dt.date, Decimal | None]]) -> int:
    """Replace a rare-event measure's events with ``events`` (date, and for a G chart
    the cases since the event before, for a T chart how many that day); returns how
    many dates are kept. The measure's row is locked, so two saves at once follow
    each other and neither leaves a mix of the two lists."""
    Measure.objects.select_for_update().filter(pk=measure.pk).first()
    measure.measurements.all().delete()
    rows = [Measurement(measure=measure, period_start=day, value=value) for day, value in events]
    Measurement.objects.bulk_create(rows)
    return len(rows)


def delete_measure(measure: Measure) -> int:
    """Delete a measure with its points; its PDSA cycles stay, without the measure.
    Returns the number of points deleted."""
    with transaction.atomic():
        points = Measurement.objects.filter(measure=measure).count()
        Measure.objects.filter(pk=measure.pk).delete()
    return points


def set_aim(team: Team, aim: str, *, expected: str) -> bool:
    """Write the team's aim if it is still ``expected`` (the aim the person saw):
    False when someone changed it meanwhile, and nothing is written."""
    return bool(update_if(Team, team.pk, {"aim": expected}, aim=aim))


# --- Invitations -------------------------------------------------------------------------


def plan_invitation(person: Person, due_at: dt.datetime) -> PlannedInvitation | None:
    """Plan the "choose your password" e-mail for ``due_at`` instead of now (a
    network that starts months from now). Nothing for someone with a login or no
    e-mail address; a planned one not yet sent moves to the new time."""
    if not person.email or person.user_id:
        return None
    planned, _created = PlannedInvitation.objects.update_or_create(
        person=person, sent_at__isnull=True, defaults={"due_at": due_at, "lease_until": None}
    )
    return planned


def send_due_invitations(*, site_url: str, now: dt.datetime | None = None) -> int:
    """Send the planned invitations that are due, each once: claimed with a lease, so
    that two sweeps never send the same one and a dead worker's is taken again."""
    now = now or timezone.now()
    due = PlannedInvitation.objects.filter(sent_at__isnull=True, due_at__lte=now).filter(
        leases.free("lease_until", now)
    )
    sent = 0
    for pk in list(due.order_by("due_at").values_list("pk", flat=True)[:200]):
        if not leases.claim(PlannedInvitation, pk, "lease_until", now, {"sent_at__isnull": True}):
            continue
        planned = PlannedInvitation.objects.select_related("person").get(pk=pk)
        with transaction.atomic():
            invite_member(planned.person, site_url=site_url)
            PlannedInvitation.objects.filter(pk=pk).update(sent_at=now, lease_until=None)
        sent += 1
    return sent


def invite_member(person: Person, *, site_url: str) -> User | None:
    """Give a new team member with an e-mail address a login, and e-mail a
    "set your password" link. People who already have a login are left alone."""
    if not person.email or person.user_id:
        return None
    with transaction.atomic():
        user = User.objects.filter(email__iexact=person.email).first()
        if user is None:
            first, _space, last = person.name.partition(" ")
            user = User.objects.create_user(
                person.email.lower(), None, first_name=first, last_name=last
            )
        person.user = user
        person.save(update_fields=["user"])
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        link = site_url + reverse(
            "security:password_reset_confirm", args=[uid, default_token_generator.make_token(user)]
        )
        memberships = list(
            person.memberships.select_related("team__network__centre", "team__municipality")
        )
        transaction.on_commit(
            lambda: send_email(
                "set_password",
                {"person": person, "link": link, "memberships": memberships},
                [person.email],
            )
        )
    return user


def add_member(team: Team, person: Person, role: str, profession: str = "") -> TeamMember:
    """Put ``person`` on ``team`` (once; a second call keeps the first row)."""
    member, created = TeamMember.objects.get_or_create(
        team=team, person=person, defaults={"role": role, "profession": profession}
    )
    if created:
        members_changed.send(sender=Team, team=team)
    return member


def mark_point(
    measure: Measure, period: dt.date, *, new_part: bool, excluded: bool, note: str
) -> bool:
    """Mark the measure's point of ``period``: a new part of the chart starts there
    (after a lasting change), and/or it is left out of the analysis, with the reason.
    One conditional UPDATE: False when the point is gone (deleted meanwhile)."""
    changed = update_where(
        Measurement,
        Q(measure_id=measure.pk, period_start=period),
        new_part=new_part,
        excluded=excluded,
        note=note.strip(),
    )
    return changed == 1
