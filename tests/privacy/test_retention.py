"""Each retention rule, with the clock moved past its period (and not quite)."""

import datetime as dt

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.core import mail
from django.utils import timezone

from gatherings.models import Registration, RegistrationStatus
from network.models import Person
from privacy import tasks
from reminders.models import Reminder, ReminderKind, ReminderState
from security.models import EventKind, SecurityEvent
from tests.factories import (
    CoordinatorFactory,
    PersonFactory,
    SessionFactory,
    TeamMemberFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 9, 15, 12, 0, tzinfo=dt.UTC)


def _registration(session, email):
    token = f"{session.pk}{email}"
    return Registration.objects.create(
        session=session,
        name="Kari",
        email=email,
        organisation="Leknes",
        role="leader",
        status=RegistrationStatus.WAITING,
        token_hash=f"{token:x>64}"[-64:],
    )


def test_registrations_go_a_set_time_after_the_gathering(network, settings, time_machine):
    settings.RETENTION_REGISTRATION_DAYS = 180
    past = SessionFactory(network=network, starts_at=T0, ends_at=T0 + dt.timedelta(hours=6))
    later = SessionFactory(
        network=network,
        starts_at=T0 + dt.timedelta(days=100),
        ends_at=T0 + dt.timedelta(days=100, hours=6),
    )
    _registration(past, "kari@leknes.no")
    _registration(later, "kari@leknes.no")

    time_machine.move_to(T0 + dt.timedelta(days=180))
    assert tasks.purge_registrations() == 0
    time_machine.move_to(T0 + dt.timedelta(days=181))
    assert tasks.purge_registrations() == 1
    assert list(Registration.objects.values_list("session", flat=True)) == [later.pk]
    assert tasks.purge_registrations() == 0  # a second run deletes nothing


def _failed_login(username):
    return AccessFailureLog.objects.create(
        username=username, ip_address="192.0.2.1", user_agent="x", http_accept="*/*", path_info="/"
    )


def test_failed_logins_and_security_events_go_after_their_periods(settings, time_machine):
    settings.RETENTION_LOGIN_ATTEMPT_DAYS = 90
    settings.RETENTION_SECURITY_EVENT_DAYS = 365
    time_machine.move_to(T0)
    _failed_login("kari@leknes.no")
    AccessAttempt.objects.create(
        username="kari@leknes.no",
        ip_address="192.0.2.1",
        user_agent="x",
        http_accept="*/*",
        path_info="/",
        get_data="",
        post_data="",
        failures_since_start=3,
    )
    SecurityEvent.objects.create(kind=EventKind.LOGIN_FAILED, username="kari@leknes.no")
    time_machine.move_to(T0 + dt.timedelta(days=60))
    _failed_login("ola@leknes.no")

    time_machine.move_to(T0 + dt.timedelta(days=91))
    counts = tasks.purge_security_log()
    assert counts["AccessFailureLog"] == 1 and counts["AccessAttempt"] == 1
    assert list(AccessFailureLog.objects.values_list("username", flat=True)) == ["ola@leknes.no"]
    assert SecurityEvent.objects.filter(username="kari@leknes.no").exists()

    time_machine.move_to(T0 + dt.timedelta(days=366))
    tasks.purge_security_log()
    assert not SecurityEvent.objects.filter(username="kari@leknes.no").exists()
    assert not AccessFailureLog.objects.exists()


def _reminder(network, key, state, due_at):
    return Reminder.objects.create(
        key=key,
        kind=ReminderKind.GATHERING,
        network=network,
        recipient_email="kari@leknes.no",
        due_at=due_at,
        state=state,
    )


def test_reminders_go_a_set_time_after_they_were_due(network, settings, time_machine):
    settings.RETENTION_REMINDER_DAYS = 365
    time_machine.move_to(T0)
    _reminder(network, "sent", ReminderState.SENT, T0)
    _reminder(network, "cancelled", ReminderState.CANCELLED, T0)
    _reminder(network, "pending", ReminderState.PENDING, T0)  # the sweep's, not ours
    _reminder(network, "recent", ReminderState.SENT, T0 + dt.timedelta(days=200))

    time_machine.move_to(T0 + dt.timedelta(days=364))
    assert tasks.purge_reminders() == 0
    time_machine.move_to(T0 + dt.timedelta(days=366))
    assert tasks.purge_reminders() == 2
    assert set(Reminder.objects.values_list("key", flat=True)) == {"pending", "recent"}


@pytest.fixture
def people(centre, network, time_machine):
    time_machine.move_to(T0)
    gone = PersonFactory(centre=centre, name="Gone Away", email="gone@leknes.no")
    gone.user = UserFactory(email="gone@leknes.no", last_login=T0)
    gone.save()
    member = TeamMemberFactory(team__network=network, person__centre=centre).person
    coordinator = CoordinatorFactory(centre=centre).person
    no_login = PersonFactory(centre=centre, name="No Login", email="")
    return {"gone": gone, "member": member, "coordinator": coordinator, "no_login": no_login}


def test_people_without_a_role_are_warned_then_erased(people, settings, time_machine):
    settings.RETENTION_INACTIVE_PERSON_DAYS = 730
    settings.RETENTION_WARNING_DAYS = 30
    time_machine.move_to(T0 + dt.timedelta(days=729))
    assert tasks.retire_inactive_people() == {"warned": 0, "erased": 0}

    time_machine.move_to(T0 + dt.timedelta(days=731))
    assert tasks.retire_inactive_people() == {"warned": 2, "erased": 0}
    assert [m.to for m in mail.outbox] == [["gone@leknes.no"]]  # no address, no e-mail
    assert "slettes" in mail.outbox[0].subject
    assert "logg inn" in mail.outbox[0].body.lower()
    # A second run the same night warns nobody again.
    assert tasks.retire_inactive_people() == {"warned": 0, "erased": 0}
    assert len(mail.outbox) == 1

    time_machine.move_to(T0 + dt.timedelta(days=731 + 29))
    assert tasks.retire_inactive_people()["erased"] == 0
    time_machine.move_to(T0 + dt.timedelta(days=731 + 31))
    assert tasks.retire_inactive_people()["erased"] == 2
    gone = Person.objects.get(pk=people["gone"].pk)
    assert (gone.name, gone.email) == ("slettet person", "")
    assert not gone.user.is_active
    # People with a role are left alone, however long ago they logged in.
    assert Person.objects.get(pk=people["member"].pk).erased_at is None
    assert Person.objects.get(pk=people["coordinator"].pk).erased_at is None


def test_a_login_after_the_warning_keeps_the_person(people, settings, time_machine):
    settings.RETENTION_INACTIVE_PERSON_DAYS = 730
    settings.RETENTION_WARNING_DAYS = 30
    time_machine.move_to(T0 + dt.timedelta(days=731))
    tasks.retire_inactive_people()
    gone = Person.objects.get(pk=people["gone"].pk)
    assert gone.inactivity_warned_at is not None
    time_machine.move_to(T0 + dt.timedelta(days=740))
    type(gone.user).objects.filter(pk=gone.user_id).update(last_login=timezone.now())

    time_machine.move_to(T0 + dt.timedelta(days=731 + 31))
    tasks.retire_inactive_people()
    gone.refresh_from_db()
    assert gone.name == "Gone Away" and gone.erased_at is None
    assert gone.inactivity_warned_at is None  # the warning is forgotten with the login
