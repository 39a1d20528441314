"""Gatherings of an ongoing improvement network: registration with a waiting list,
the bottom-up agenda, the programme, notes carried forward, and the network's
aims in figures."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gatherings.models import (
    AgendaItem,
    GatheringSettings,
    ProposalStatus,
    Registration,
    RegistrationStatus,
)
from gatherings.queries import waiting_position
from lib import leases
from lib.dates import oslo_days
from lib.emails import Invitation, message_id, send_email
from lib.ics import Party
from lib.tasks import queue_on_commit
from lib.tokens import hash_token, new_token
from network.models import Network
from network.services import ERASED_NAME, erased_email
from sessions_app.calendar import invitation
from sessions_app.models import Session, SessionKind, SessionStatus


class GatheringError(Exception):
    pass


def settings_for(session: Session) -> GatheringSettings:
    found, created = GatheringSettings.objects.get_or_create(session=session)
    return carry_notes_forward(found) if created else found


def _cancel_link(session: Session, token: str) -> str:
    return settings.SITE_URL + reverse("gatherings:cancel", args=[session.pk, token])


def register(
    session: Session, *, name: str, email: str, organisation: str, role: str, side: str
) -> Registration:
    """A seat while there are seats, else a place on the waiting list.

    The gathering's row is locked while counting, so two people racing for the
    last seat get one seat and one waiting-list place.
    """
    with transaction.atomic():
        gathering = GatheringSettings.objects.select_for_update().get(session=session)
        if not gathering.registration_open:
            raise GatheringError(_("Registration for this gathering is closed."))
        taken = Registration.objects.filter(session=session).exclude(
            status=RegistrationStatus.CANCELLED
        )
        if taken.filter(email__iexact=email).exists():
            raise GatheringError(
                _(
                    "This e-mail address is already registered. Use the link "
                    "in the confirmation e-mail to cancel."
                )
            )
        seats = taken.filter(status=RegistrationStatus.CONFIRMED).count()
        status = (
            RegistrationStatus.CONFIRMED
            if seats < gathering.capacity
            else RegistrationStatus.WAITING
        )
        _token, token_hash = new_token()  # a new one goes out with the e-mail
        registration = Registration.objects.create(
            session=session,
            name=name,
            email=email,
            organisation=organisation,
            role=role,
            side=side,
            status=status,
            token_hash=token_hash,
        )
        queue_on_commit(send_notice_task(), registration.pk)
    return registration


def cancel(session: Session, token: str) -> Registration | None:
    """Cancel by the e-mailed link; the first on the waiting list moves up."""
    with transaction.atomic():
        GatheringSettings.objects.select_for_update().get(session=session)
        registration = Registration.objects.filter(
            session=session, token_hash=hash_token(token)
        ).first()
        if registration is None or registration.status == RegistrationStatus.CANCELLED:
            return registration
        had_seat = registration.status == RegistrationStatus.CONFIRMED
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        if had_seat:
            promote(session)
    return registration


def send_notice_task() -> Any:
    from gatherings.tasks import send_notice

    return send_notice


def promote(session: Session) -> Registration | None:
    first = (
        Registration.objects.filter(session=session, status=RegistrationStatus.WAITING)
        .order_by("created_at", "pk")
        .first()
    )
    if first is None:
        return None
    first.status = RegistrationStatus.CONFIRMED
    first.save(update_fields=["status"])
    queue_on_commit(send_notice_task(), first.pk)
    return first


def send_notice(registration_id: int, *, now: dt.datetime | None = None) -> bool:
    """E-mail the person what their registration is now: a seat (with the gathering
    as a calendar invitation), a place on the waiting list, or moved up. Each notice
    carries a new cancellation link; only its hash is kept. The worker holds the
    registration's notice lease; ``send_pending_notices`` sends what a dead worker
    or a broker that was down left."""
    now = now or timezone.now()
    due = ~Q(status=RegistrationStatus.CANCELLED) & ~Q(notified_status=F("status"))
    if not leases.claim(Registration, registration_id, "notice_lease_until", now, due):
        return False
    registration = Registration.objects.select_related("session__network").get(pk=registration_id)
    session = registration.session
    token, token_hash = new_token()
    Registration.objects.filter(pk=registration_id).update(token_hash=token_hash)
    context = {
        "registration": registration,
        "session": session,
        "cancel_link": _cancel_link(session, token),
        # The same secret opens the network's knowledge base and figures for them.
        "participant_link": settings.SITE_URL + reverse("knowledge:participant_link", args=[token]),
        "position": waiting_position(registration),
        "promoted": registration.notified_status == RegistrationStatus.WAITING
        and registration.status == RegistrationStatus.CONFIRMED,
    }
    calendar = None
    if registration.status == RegistrationStatus.CONFIRMED:
        content, method = invitation(session, Party(registration.name, registration.email))
        calendar = Invitation(content, method)
    try:
        send_email(
            "registration",
            context,
            [registration.email],
            invitation=calendar,
            headers={
                "Message-ID": message_id("registration", f"{registration.pk}:{registration.status}")
            },
        )
    except Exception:
        Registration.objects.filter(pk=registration_id).update(notice_lease_until=None)
        raise
    Registration.objects.filter(pk=registration_id).update(
        notified_status=registration.status, notice_lease_until=None
    )
    return True


def send_pending_notices(now: dt.datetime | None = None) -> int:
    """Send every notice that is due and that no live worker holds."""
    now = now or timezone.now()
    due = (
        Registration.objects.exclude(status=RegistrationStatus.CANCELLED)
        .exclude(notified_status=F("status"))
        .filter(leases.free("notice_lease_until", now))
        .order_by("created_at")
        .values_list("pk", flat=True)
    )
    return sum(send_notice(pk, now=now) for pk in list(due[:500]))


def propose(session: Session, **fields: Any) -> AgendaItem:
    return AgendaItem.objects.create(session=session, **fields)


def publish_programme(session: Session) -> int:
    """Publish the accepted items as the programme; returns how many there are."""
    gathering = settings_for(session)
    gathering.programme_published_at = timezone.now()
    gathering.save(update_fields=["programme_published_at"])
    return session.agenda_items.filter(status=ProposalStatus.ACCEPTED).count()


def gathering_days(session: Session) -> list[dt.date]:
    """Every day of the gathering, in Oslo time: one for a day's gathering, two for
    a two-day gathering, and so on."""
    return oslo_days(session.starts_at, session.ends_at)


def programme(session: Session) -> list[tuple[int, dt.date | None, list[AgendaItem]]]:
    """Every day of the gathering with its accepted items, in order: (day number,
    date, items). An item without a day is on day 1; one set to a day after the
    gathering's last (the dates moved) is still shown, under its own number."""
    items = list(
        session.agenda_items.filter(status=ProposalStatus.ACCEPTED)
        .prefetch_related("documents")
        .order_by("day", "starts", "created_at")
    )
    dates = gathering_days(session)
    numbers = range(1, max([len(dates), *((item.day or 1) for item in items)]) + 1)
    return [
        (
            number,
            dates[number - 1] if number <= len(dates) else None,
            sorted(
                (item for item in items if (item.day or 1) == number),
                key=lambda item: (item.starts is None, item.starts or dt.time(), item.created_at),
            ),
        )
        for number in numbers
    ]


def previous_gathering(session: Session) -> Session | None:
    return (
        Session.objects.filter(
            network_id=session.network_id,
            kind=SessionKind.GATHERING,
            starts_at__lt=session.starts_at,
        )
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("gathering")
        .order_by("-starts_at")
        .first()
    )


def carry_notes_forward(gathering: GatheringSettings) -> GatheringSettings:
    """A new gathering's notes start from where the last one ended."""
    previous = previous_gathering(gathering.session)
    if previous is not None and not (gathering.where_we_are or gathering.bring_next_time):
        notes = getattr(previous, "gathering", None)
        if notes is not None:
            gathering.where_we_are = "\n\n".join(
                part for part in (notes.where_we_are, notes.bring_next_time) if part
            )
            gathering.save(update_fields=["where_we_are"])
    return gathering


def figures(network: Network) -> dict[str, Any]:
    """The network's aims in figures, from the gatherings held: how many, the
    participants' presentations, the people registered (a seat) and the people who
    attended (as the coordinator recorded it), and by organisation. A person is an
    e-mail address in any case; everyone who attended had a seat, so no figure
    can exceed the one it is part of."""
    held = Session.objects.filter(
        network=network, kind=SessionKind.GATHERING, status=SessionStatus.HELD
    )
    seats = Registration.objects.filter(session__in=held, status=RegistrationStatus.CONFIRMED)
    present = seats.filter(attended=True)

    def people(registrations: QuerySet[Registration]) -> QuerySet[Any]:
        return registrations.annotate(person=Lower("email")).values("person").order_by()

    per_person = people(present).annotate(n=Count("session", distinct=True))
    by_organisation = list(
        seats.values("organisation")
        .annotate(registered=Count("pk"), attended=Count("pk", filter=Q(attended=True)))
        .order_by("-registered", "organisation")
    )
    gatherings_held = held.count()
    return {
        "gatherings_held": gatherings_held,
        "recorded": held.filter(registrations__attended__isnull=False).distinct().count(),
        "seats": seats.count(),
        "present": present.count(),
        "by_organisation": by_organisation,
        "presentations": AgendaItem.objects.filter(
            session__in=held, status=ProposalStatus.ACCEPTED
        ).count(),
        "registered": people(seats).distinct().count(),
        "attended": people(present).distinct().count(),
        "returning": per_person.filter(n__gte=2).count(),
    }


# --- Erasure and retention -------------------------------------------------------


def forget_contact(centre_id: int, email: str, *, now: dt.datetime | None = None) -> int:
    """An erased person's registrations and proposals at ``centre_id`` lose their
    name, e-mail address and organisation (``network.services.erase_person``).

    A seat at a gathering still ahead is given up, and the first on the waiting
    list moves up (the gathering is locked, as for a cancellation). A proposal
    that is not in the programme loses its text too; one in the programme keeps
    its title and summary, which belong to the gathering, under the erased name.
    Answers how many rows changed.
    """
    if not email:
        return 0
    now = now or timezone.now()
    changed = 0
    registrations = Registration.objects.filter(
        session__network__centre=centre_id, email__iexact=email
    ).select_related("session")
    for registration in registrations:
        session = registration.session
        GatheringSettings.objects.select_for_update().filter(session=session).first()
        had_seat = registration.status == RegistrationStatus.CONFIRMED
        fields = ["name", "email", "organisation", "notified_status"]
        if session.starts_at > now and registration.status != RegistrationStatus.CANCELLED:
            registration.status = RegistrationStatus.CANCELLED
            registration.cancelled_at = now
            fields += ["status", "cancelled_at"]
        else:
            had_seat = False
        registration.name = ERASED_NAME
        registration.email = erased_email("registration", registration.pk)
        registration.organisation = ""
        registration.notified_status = registration.status  # nothing left to tell
        registration.save(update_fields=fields)
        if had_seat:
            promote(session)
        changed += 1
    for item in AgendaItem.objects.filter(
        session__network__centre=centre_id, proposer_email__iexact=email
    ):
        item.proposer_name = ERASED_NAME
        item.proposer_email = ""
        item.organisation = ""
        fields = ["proposer_name", "proposer_email", "organisation"]
        if item.status != ProposalStatus.ACCEPTED:
            item.summary = ""
            fields.append("summary")
        item.save(update_fields=fields)
        changed += 1
    return changed


def purge_registrations(now: dt.datetime | None = None) -> int:
    """Delete the registrations and waiting lists of gatherings that ended more than
    ``RETENTION_REGISTRATION_DAYS`` ago. One DELETE: running it twice deletes
    nothing the second time. Answers how many were deleted."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.RETENTION_REGISTRATION_DAYS)
    deleted, _counts = Registration.objects.filter(session__ends_at__lt=cutoff).delete()
    return deleted
