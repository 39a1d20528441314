"""Every change a unit makes: asking for results (and closing the request when a
report answers it), e-mailing the request, and the board's cards.

A card's move and edit are conditional UPDATEs on the version the page showed: a
move from a stale page changes nothing and says so.
"""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from improvement.models import ChangeIdea
from lib import leases
from lib.conditional import update_if, update_where
from lib.emails import message_id, send_email
from lib.tasks import queue_on_commit
from network.models import Person
from reports.models import StatusReport
from teams.models import PDSACycle, Role, Team
from units.models import BoardCard, CardKind, Column, ResultRequest


class UnitError(Exception):
    """A change that cannot be made as asked; the message says why."""


# --- Etterspør resultat ---------------------------------------------------------------


def ask_for_results(
    team: Team, person: Person, message: str, *, now: dt.datetime | None = None
) -> ResultRequest:
    """The unit leader asks the team for an update; the team leader is e-mailed
    (after the commit). One open request per team: a second is refused."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            request = ResultRequest.objects.create(
                team=team, asked_by=person, message=message.strip(), asked_at=now
            )
            from units.tasks import deliver_request

            queue_on_commit(deliver_request, request.pk)
    except IntegrityError:
        raise UnitError(
            _("You have already asked this team; the request is open until its next report.")
        ) from None
    return request


def close_requests(team_id: int, report: StatusReport, *, now: dt.datetime | None = None) -> int:
    """A submitted report answers the team's open request (a conditional UPDATE:
    one that is already closed keeps its report)."""
    now = now or timezone.now()
    return update_where(
        ResultRequest,
        Q(team_id=team_id, closed_at__isnull=True, asked_at__lte=now),
        closed_at=now,
        closed_by_report=report,
    )


def request_recipients(team: Team) -> list[str]:
    """The team leader; the measurement lead when the team has no team leader."""
    members = team.members.exclude(person__email="").order_by("role")
    for role in (Role.TEAM_LEADER, Role.MEASUREMENT_LEAD):
        emails = list(members.filter(role=role).values_list("person__email", flat=True))
        if emails:
            return emails
    return []


def deliver_request(request_id: int, *, now: dt.datetime | None = None) -> bool:
    """E-mail the request to the team leader, once. The worker holds the request's
    lease; one that dies leaves it to run out and ``deliver_pending`` sends it."""
    now = now or timezone.now()
    waiting = {"emailed_at__isnull": True}
    if not leases.claim(ResultRequest, request_id, "email_lease_until", now, waiting):
        return False
    request = ResultRequest.objects.select_related(
        "team__network__centre", "team__municipality", "asked_by"
    ).get(pk=request_id)
    team, asker = request.team, request.asked_by
    to = request_recipients(team)
    try:
        if to:
            send_email(
                "result_request",
                {
                    "request": request,
                    "team": team,
                    "team_url": settings.SITE_URL + reverse("teams:team", args=[team.pk]),
                },
                to,
                reply_to=[asker.email] if asker and asker.email else None,
                headers={"Message-ID": message_id("result-request", str(request.pk))},
            )
    except Exception:
        ResultRequest.objects.filter(pk=request_id).update(email_lease_until=None)
        raise
    ResultRequest.objects.filter(pk=request_id).update(emailed_at=now, email_lease_until=None)
    return True


def deliver_pending(now: dt.datetime | None = None) -> int:
    """Send every request whose e-mail has not gone out and that no live worker holds."""
    now = now or timezone.now()
    waiting = (
        ResultRequest.objects.filter(emailed_at__isnull=True)
        .filter(leases.free("email_lease_until", now))
        .order_by("asked_at")
        .values_list("pk", flat=True)
    )
    return sum(deliver_request(pk, now=now) for pk in list(waiting[:200]))


# --- The improvement board ------------------------------------------------------------


def add_card(
    team: Team,
    person: Person | None,
    *,
    title: str,
    kind: str = CardKind.IDEA,
    detail: str = "",
    cycle: PDSACycle | None = None,
    idea: ChangeIdea | None = None,
    now: dt.datetime | None = None,
) -> BoardCard:
    """A new card, in "New"."""
    now = now or timezone.now()
    return BoardCard.objects.create(
        team=team,
        title=title,
        kind=kind,
        detail=detail,
        cycle=cycle,
        idea=idea,
        column=Column.NEW,
        created_by=person,
        created_at=now,
        moved_at=now,
    )


STALE = gettext_lazy(
    "The card was changed by someone else after you opened the board. It shows as it is now."
)


def move_card(
    card: BoardCard, to: str, *, version: int, now: dt.datetime | None = None
) -> BoardCard:
    """Move the card to column ``to``, if it is still as the page showed it."""
    if to not in Column.values:
        raise UnitError(_("Choose one of the board's columns."))
    now = now or timezone.now()
    moved = update_if(
        BoardCard,
        card.pk,
        {"version": version},
        column=to,
        moved_at=now,
        version=F("version") + 1,
    )
    if not moved:
        raise UnitError(str(STALE))
    card.refresh_from_db()
    return card


def edit_card(card: BoardCard, *, version: int, **fields: object) -> BoardCard:
    """Change the card's text, kind, PDSA cycle or change idea, if it is still as the
    form showed it."""
    allowed = {"title", "kind", "detail", "cycle", "idea"}
    changes = {name: value for name, value in fields.items() if name in allowed}
    edited = update_if(
        BoardCard, card.pk, {"version": version}, **changes, version=F("version") + 1
    )
    if not edited:
        raise UnitError(str(STALE))
    card.refresh_from_db()
    return card
