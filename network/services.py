"""Every write that changes the state of centres, networks and people."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.conditional import update_if
from network.models import Coordinator, Network, NetworkStatus, Person, User
from network.signals import person_erased


def advance_statuses(today: dt.date) -> dict[str, int]:
    """Move networks along their life cycle by the calendar.

    Planned and recruiting networks whose start has come are running; running
    networks whose end has passed have ended. Each step is one conditional
    UPDATE, so running it twice, or on two workers at once, changes nothing
    the second time. "Followed up" is set when the follow-up call is held
    (``mark_followed_up``).
    """
    started = Network.objects.filter(
        status__in=[NetworkStatus.PLANNED, NetworkStatus.RECRUITING],
        start_date__lte=today,
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    ended = Network.objects.filter(
        status__in=[NetworkStatus.PLANNED, NetworkStatus.RECRUITING, NetworkStatus.RUNNING],
        end_date__lt=today,
    )
    with transaction.atomic():
        return {
            "running": started.update(status=NetworkStatus.RUNNING),
            "ended": ended.update(status=NetworkStatus.ENDED),
        }


def mark_followed_up(network_id: int) -> bool:
    """An ended learning network whose follow-up call was held is followed up.

    A conditional UPDATE: only an ended network moves, and only once.
    """
    return bool(
        update_if(
            Network, network_id, {"status": NetworkStatus.ENDED}, status=NetworkStatus.FOLLOWED_UP
        )
    )


@transaction.atomic
def appoint_coordinator(person: Person) -> Coordinator:
    """Make ``person`` a coordinator of their centre, able to use the admin."""
    coordinator, _created = Coordinator.objects.get_or_create(centre=person.centre, person=person)
    if person.user is not None and not person.user.is_staff:
        person.user.is_staff = True
        person.user.save(update_fields=["is_staff"])
    return coordinator


# --- Erasure (GDPR art. 17) -----------------------------------------------------

#: Shown in place of an erased person's name, wherever their team's work names them.
ERASED_NAME = "slettet person"


class ErasureRefused(Exception):
    """The person may not be erased (yet): the message says why."""


@dataclass(frozen=True)
class Erasure:
    """What an erasure did: for the message after it."""

    person_id: int
    login_closed: bool
    roles_removed: int


def erased_email(kind: str, pk: int) -> str:
    """A placeholder address for a row that must keep one: it can receive nothing
    (``.invalid`` is reserved, RFC 2606)."""
    return f"slettet-{kind}-{pk}@slettet.invalid"


def erase_person(
    person_id: int, *, by: User | None = None, now: dt.datetime | None = None
) -> Erasure | None:
    """Erase a person's contact details and close their login (GDPR art. 17).

    The row stays, named ``ERASED_NAME``, so that what belongs to others keeps
    its shape: the team's members, attendance, measurements and reports. The
    person's roles as coordinator go. The row is locked, and an erased person is
    not erased twice (answers None). The apps above erase their own copies
    (registrations, proposals, reminders, the calendar feed, the second factor)
    in the same transaction, told by ``signals.person_erased``; a signed
    agreement is left as it is, a record of the parties.
    """
    now = now or timezone.now()
    with transaction.atomic():
        person = (
            Person.objects.select_for_update(of=("self",))
            .filter(pk=person_id, erased_at__isnull=True)
            .select_related("user")
            .first()
        )
        if person is None:
            return None
        user = person.user
        if user is not None and (user.is_superuser or (by is not None and user.pk == by.pk)):
            raise ErasureRefused(_("A superuser, or your own person, cannot be erased here."))
        email = person.email
        person.name = ERASED_NAME
        person.email = person.phone = person.title = person.organisation = ""
        person.erased_at = now
        person.inactivity_warned_at = None
        person.save(
            update_fields=[
                "name",
                "email",
                "phone",
                "title",
                "organisation",
                "erased_at",
                "inactivity_warned_at",
            ]
        )
        roles, _counts = Coordinator.objects.filter(person=person).delete()
        if user is not None:
            user.email = erased_email("login", user.pk)
            user.first_name = user.last_name = ""
            user.is_active = user.is_staff = False
            user.set_unusable_password()
            user.save(
                update_fields=[
                    "email",
                    "first_name",
                    "last_name",
                    "is_active",
                    "is_staff",
                    "password",
                ]
            )
        person_erased.send(
            sender=Person, person=person, email=email, user_id=user.pk if user else None
        )
    return Erasure(person_id=person.pk, login_closed=user is not None, roles_removed=roles)


def mark_warned(person_id: int, *, was: dt.datetime | None, now: dt.datetime) -> bool:
    """Record that ``person_id`` was warned of erasure for inactivity: a conditional
    UPDATE on the warning it had (``was``), so two sweeps warn once."""
    return bool(
        update_if(
            Person,
            person_id,
            {"erased_at__isnull": True, "inactivity_warned_at": was},
            inactivity_warned_at=now,
        )
    )


def unmark_warned(person_id: int, *, now: dt.datetime) -> None:
    """Give back a warning that could not be sent (``mark_warned`` set ``now``)."""
    update_if(Person, person_id, {"inactivity_warned_at": now}, inactivity_warned_at=None)
