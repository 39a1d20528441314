"""lib.conditional writes the plain ``WHERE id = … AND …`` even in a scope whose
centre lies behind joins, where Django would write ``WHERE id IN (SELECT … JOIN …)``
(a condition PostgreSQL does not check again after waiting on the row: see
tests/units/test_conditional_race.py)."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope

from lib import conditional, leases
from teams import services as team_services
from teams.models import PlannedInvitation, Team
from tests.factories import PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db

SUBQUERY = "IN (SELECT"


def _updates(captured):
    return [q["sql"] for q in captured.captured_queries if q["sql"].startswith("UPDATE")]


def test_the_scope_alone_makes_a_subquery(team):
    """What the helper is for: the manager's own update, in a request's scope."""
    with CaptureQueriesContext(connection) as captured, scope(centre=[team.network.centre_id]):
        Team.objects.filter(pk=team.pk, aim="").update(aim="Færre fall")
    (sql,) = _updates(captured)
    assert SUBQUERY in sql


def test_update_if_writes_one_plain_where_in_the_scope(team):
    centre = team.network.centre_id
    with CaptureQueriesContext(connection) as captured, scope(centre=[centre]):
        assert conditional.update_if(Team, team.pk, {"aim": ""}, aim="Færre fall") == 1
        assert conditional.update_if(Team, team.pk, {"aim": ""}, aim="Noe annet") == 0
        assert team_services.set_aim(team, "Null fall", expected="Færre fall")
    updates = _updates(captured)
    assert len(updates) == 3
    assert not [sql for sql in updates if SUBQUERY in sql], updates
    assert all(f"= {team.pk}" in sql for sql in updates), updates
    team.refresh_from_db()
    assert team.aim == "Null fall"


def test_update_rows_if_and_update_where_keep_to_the_rows_given(team):
    other = TeamFactory(network=team.network)
    with CaptureQueriesContext(connection) as captured, scope(centre=[team.network.centre_id]):
        assert conditional.update_rows_if(Team, [team.pk], {"aim": ""}, aim="A") == 1
        assert conditional.update_where(Team, Q(pk=other.pk, aim=""), aim="B") == 1
    assert not [sql for sql in _updates(captured) if SUBQUERY in sql]
    assert set(Team.objects.values_list("aim", flat=True)) == {"A", "B"}


def test_a_lease_is_claimed_once_with_a_plain_where(centre):
    person = PersonFactory(centre=centre)
    planned = PlannedInvitation.objects.create(person=person, due_at=timezone.now())
    now = timezone.now()
    with CaptureQueriesContext(connection) as captured, scope(centre=[centre.pk]):
        first = leases.claim(PlannedInvitation, planned.pk, "lease_until", now)
        second = leases.claim(PlannedInvitation, planned.pk, "lease_until", now)
        later = now + leases.lease_length() + dt.timedelta(seconds=1)
        sent = leases.claim(
            PlannedInvitation, planned.pk, "lease_until", later, {"sent_at__isnull": False}
        )
    assert (first, second, sent) == (True, False, False)
    assert not [sql for sql in _updates(captured) if SUBQUERY in sql]
