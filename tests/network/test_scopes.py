"""Tenancy that cannot be forgotten: a query on a centre's data outside a declared
scope raises, instead of returning every centre's rows."""

import contextvars

import pytest
from django.apps import apps
from django.test import RequestFactory
from django_scopes import ScopeError, scope

from config.celery import app as celery_app
from network.access import ScopeMiddleware
from network.models import Centre, FocusArea, Municipality, User
from teams.models import Team
from tests.factories import TeamFactory, TeamMemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def outside_any_scope(function):
    """Run ``function`` as code that declared no scope runs: a fresh context."""
    return contextvars.Context().run(function)


def test_an_unscoped_query_on_team_raises():
    TeamFactory()
    with pytest.raises(ScopeError):
        outside_any_scope(lambda: list(Team.objects.all()))
    with pytest.raises(ScopeError):
        outside_any_scope(lambda: Team.objects.filter(unit="x").count())


def test_every_model_of_a_centre_is_scoped_and_reference_data_is_not():
    """Each model with a path to a centre refuses an unscoped query. (django-scopes
    lets ``exists()`` through, so the check counts.)"""
    unscoped = set()
    for model in apps.get_models():
        if model._meta.app_label not in {
            "network",
            "teams",
            "sessions_app",
            "gatherings",
            "knowledge",
            "agreements",
            "reports",
            "assessments",
            "reminders",
        }:
            continue
        try:
            outside_any_scope(lambda m=model: m._default_manager.count())
        except ScopeError:
            continue
        unscoped.add(model.__name__)
    # National reference data, logins and the installation's sweep heartbeat belong
    # to no centre.
    assert unscoped == {
        "User",
        "Municipality",
        "FocusArea",
        "Intervention",
        "RecommendedMeasure",
        "SweepHeartbeat",
    }
    assert {User, Municipality, FocusArea} <= {
        apps.get_model("network", n) for n in unscoped - {"SweepHeartbeat"}
    }


def test_a_scope_keeps_to_its_centres():
    mine, theirs = TeamFactory(), TeamFactory()
    with scope(centre=[mine.network.centre_id]):
        assert list(Team.objects.all()) == [mine]
        assert Centre.objects.get() == mine.network.centre
    with scope(centre=[]):
        assert not Team.objects.exists()
    with scope(centre=None):  # every centre: what a superuser's requests see
        assert set(Team.objects.all()) == {mine, theirs}


def test_a_request_runs_in_the_scope_of_its_users_centres():
    member = TeamMemberFactory(person__user=UserFactory())
    TeamFactory()  # another centre's team
    request = RequestFactory().get("/")
    request.user = member.person.user
    seen = {}

    def view(request):
        seen["teams"] = list(Team.objects.all())
        return None

    outside_any_scope(lambda: ScopeMiddleware(view)(request))
    assert seen["teams"] == [member.team]
    assert request.access.centre_ids == (member.team.network.centre_id,)

    request = RequestFactory().get("/")
    request.user = UserFactory(is_superuser=True)
    outside_any_scope(lambda: ScopeMiddleware(view)(request))
    assert len(seen["teams"]) == 2


def test_a_task_starts_without_the_scope_of_whoever_queued_it():
    """Eager in a test as in a worker: a task that declares no scope fails."""
    TeamFactory()

    @celery_app.task(name="tests.count_teams_without_a_scope")
    def count_teams():
        return Team.objects.count()

    with scope(centre=None), pytest.raises(ScopeError):
        count_teams.delay()
