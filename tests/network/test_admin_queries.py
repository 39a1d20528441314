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
