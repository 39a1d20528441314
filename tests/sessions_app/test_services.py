import datetime as dt

import pytest
from django.urls import reverse

from lib.dates import OSLO
from network.models import NetworkKind, NetworkStatus
from sessions_app.models import Session, SessionKind, SessionStatus
from sessions_app.services import (
    TimelineError,
    create_follow_up,
    default_timeline,
    propose_timeline,
    record_status,
)
from tests.factories import NetworkFactory


def _plan(sessions):
    return [
        (s.kind, s.number, s.starts_at.astimezone(OSLO).strftime("%Y-%m-%d %H:%M"))
        for s in sessions
    ]


def test_default_timeline_for_a_september_start():
    sessions = default_timeline(dt.date(2026, 9, 1), dt.date(2027, 6, 1))
    assert _plan(sessions) == [
        (SessionKind.GATHERING, 1, "2026-09-01 09:00"),
        (SessionKind.PHONE_CONFERENCE, 1, "2026-10-15 13:00"),
        (SessionKind.PHONE_SESSION, 4, "2026-11-19 13:00"),
        (SessionKind.GATHERING, 2, "2026-12-01 09:00"),
        (SessionKind.PHONE_CONFERENCE, 2, "2027-01-28 13:00"),
        (SessionKind.GATHERING, 3, "2027-03-16 09:00"),
        (SessionKind.PHONE_CONFERENCE, 3, "2027-04-29 13:00"),
        (SessionKind.FOLLOW_UP, 1, "2027-12-02 13:00"),
    ]


def test_the_months_follow_the_guide_for_an_august_start():
    sessions = {(s.kind, s.number): s for s in default_timeline(dt.date(2027, 8, 10))}
    assert sessions[(SessionKind.GATHERING, 1)].day.month in (9, 10)
    assert sessions[(SessionKind.GATHERING, 2)].day.month in (12, 1)
    assert sessions[(SessionKind.GATHERING, 3)].day.month == 3
    assert sessions[(SessionKind.PHONE_SESSION, 4)].day.month == 11
    # Without an end date the network lasts nine months; the follow-up is six after.
    assert sessions[(SessionKind.FOLLOW_UP, 1)].day >= dt.date(2028, 11, 10)
    assert sessions[(SessionKind.GATHERING, 3)].invite_leaders
    assert not sessions[(SessionKind.GATHERING, 1)].invite_leaders


def test_a_start_after_october_moves_gathering_one_to_the_next_autumn():
    sessions = default_timeline(dt.date(2026, 11, 20))
    first = next(s for s in sessions if s.kind == SessionKind.GATHERING)
    assert first.day == dt.date(2027, 9, 7)


def test_precourse_comes_before_gathering_one():
    sessions = default_timeline(dt.date(2026, 9, 1), include_precourse=True)
    assert sessions[0].kind == SessionKind.PRECOURSE
    assert sessions[0].day == dt.date(2026, 8, 4)


def test_every_session_ends_after_it_starts_and_falls_on_a_weekday():
    for start in (dt.date(2026, 8, 1), dt.date(2026, 9, 30), dt.date(2026, 10, 31)):
        for session in default_timeline(start):
            assert session.ends_at > session.starts_at
            assert session.day.weekday() < 5


@pytest.mark.django_db
def test_propose_creates_the_sessions_with_agendas_and_invitations():
    network = NetworkFactory(start_date=dt.date(2026, 9, 1), end_date=dt.date(2027, 6, 1))
    result = propose_timeline(network)
    assert len(result.created) == 8 and result.kept == []
    third = network.sessions.get(kind=SessionKind.GATHERING, number=3)
    assert third.invite_unit_leaders and third.invite_top_management
    assert "ledelse" in third.agenda.lower()
    assert third.starts_at == dt.datetime(2027, 3, 16, 9, 0, tzinfo=OSLO)


@pytest.mark.django_db
def test_propose_again_never_duplicates_and_keeps_the_coordinators_edits():
    network = NetworkFactory()
    propose_timeline(network)
    moved = network.sessions.get(kind=SessionKind.GATHERING, number=2)
    moved.starts_at = dt.datetime(2027, 1, 12, 9, 0, tzinfo=OSLO)
    moved.ends_at = dt.datetime(2027, 1, 12, 15, 30, tzinfo=OSLO)
    moved.save()
    network.sessions.filter(kind=SessionKind.PHONE_CONFERENCE, number=3).delete()

    result = propose_timeline(network)

    assert [(s.kind, s.number) for s in result.created] == [(SessionKind.PHONE_CONFERENCE, 3)]
    assert len(result.kept) == 7
    assert Session.objects.filter(network=network).count() == 8
    moved.refresh_from_db()
    assert moved.starts_at.date() == dt.date(2027, 1, 12)


@pytest.mark.django_db
def test_improvement_networks_have_no_nine_month_timeline():
    network = NetworkFactory(kind=NetworkKind.IMPROVEMENT, end_date=None)
    with pytest.raises(TimelineError):
        propose_timeline(network)
    assert not network.sessions.exists()


@pytest.mark.django_db
def test_a_follow_up_call_marked_held_in_the_admin_completes_the_network(
    client, coordinator, centre
):
    """The state moves in network.services, called from where the follow-up is
    recorded (the session's admin page), not from a signal of another app."""
    network = NetworkFactory(centre=centre, status=NetworkStatus.ENDED)
    follow_up = create_follow_up(network)
    client.force_login(coordinator)
    local = follow_up.starts_at.astimezone(OSLO)
    local_end = follow_up.ends_at.astimezone(OSLO)
    data = {
        "network": network.pk,
        "kind": follow_up.kind,
        "number": "1",
        "status": SessionStatus.HELD,
        "title": "",
        "place": "",
        "starts_at_0": local.date().isoformat(),
        "starts_at_1": local.strftime("%H:%M"),
        "ends_at_0": local_end.date().isoformat(),
        "ends_at_1": local_end.strftime("%H:%M"),
    }
    for prefix in ("attendance", "gathering", "agenda_items", "registrations"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    response = client.post(reverse("admin:sessions_app_session_change", args=[follow_up.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    network.refresh_from_db()
    assert network.status == NetworkStatus.FOLLOWED_UP
    # A follow-up held for a network that has not ended changes nothing.
    running = NetworkFactory(centre=centre, status=NetworkStatus.RUNNING)
    held = create_follow_up(running)
    held.status = SessionStatus.HELD
    held.save()
    record_status(held)
    running.refresh_from_db()
    assert running.status == NetworkStatus.RUNNING
