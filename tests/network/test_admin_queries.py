"""Admin lists cost the same number of queries with few rows and with many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import NetworkFactory, SessionFactory, TeamFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db


def grow(centre, networks):
    for _ in range(networks):
        network = NetworkFactory(centre=centre)
        for _ in range(2):
            team = TeamFactory(network=network)
            TeamMemberFactory.create_batch(2, team=team)
        SessionFactory(network=network)


def count_queries(client, url):
    client.get(url)  # the first request of a process fills Django's content-type cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:network_network_changelist",
        "admin:teams_team_changelist",
        "admin:network_person_changelist",
        "admin:sessions_app_session_changelist",
        "admin:agreements_agreement_changelist",
    ],
)
def test_changelist_query_count_does_not_grow(client, coordinator, centre, url_name):
    client.force_login(coordinator)
    url = reverse(url_name)
    grow(centre, 1)
    small, _ = count_queries(client, url)
    grow(centre, 5)
    large, response = count_queries(client, url)
    assert response.context["cl"].result_count > 1
    assert small == large


def test_a_networks_page_costs_the_same_with_more_teams_and_sessions(client, coordinator, network):
    """Its teams and sessions are listed, each linked to its own page where it is
    changed, not a row of pickers each."""
    client.force_login(coordinator)
    url = reverse("admin:network_network_change", args=[network.pk])
    TeamFactory(network=network)
    SessionFactory(network=network, number=100)
    small, _ = count_queries(client, url)
    teams = [TeamFactory(network=network) for _ in range(5)]
    sessions = [SessionFactory(network=network, number=n) for n in range(101, 106)]
    large, response = count_queries(client, url)
    assert small == large
    page = response.content.decode()
    for team in teams:
        assert reverse("admin:teams_team_change", args=[team.pk]) in page
        assert str(team) in page
    for session in sessions:
        assert reverse("admin:sessions_app_session_change", args=[session.pk]) in page
    # Nothing of them is editable here; new ones are added on their own pages, with
    # the network filled in, and the timeline is changed together on the sessions list.
    assert 'name="teams-' not in page and 'name="sessions-' not in page
    assert f"{reverse('admin:teams_team_add')}?network={network.pk}" in page
    assert f"{reverse('admin:sessions_app_session_add')}?network={network.pk}" in page
    assert (
        f"{reverse('admin:sessions_app_session_changelist')}?network__id__exact={network.pk}"
        in page
    )


def test_a_teams_page_costs_the_same_in_a_larger_centre(client, coordinator, centre, team):
    client.force_login(coordinator)
    url = reverse("admin:teams_team_change", args=[team.pk])
    TeamMemberFactory.create_batch(2, team=team)
    grow(centre, 1)
    small, _ = count_queries(client, url)
    grow(centre, 5)
    large, response = count_queries(client, url)
    assert small == large
    # Municipalities and people are picked by search, not from a list of all of them.
    page = response.content.decode()
    assert 'data-field-name="municipality"' in page and 'data-field-name="unit_leader"' in page
