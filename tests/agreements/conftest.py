import re
from urllib.parse import urlparse

import pytest
from django.core import mail

from network.models import NetworkKind
from sessions_app.services import propose_timeline
from teams.models import Role
from tests.factories import (
    NetworkFactory,
    PersonFactory,
    TeamFactory,
    TeamMemberFactory,
)


@pytest.fixture
def signing_team(centre, coordinator):
    network = NetworkFactory(
        centre=centre,
        title="Læringsnettverk fall 2026–2027",
        kind=NetworkKind.LEARNING,
        participation_fee=2500,
    )
    propose_timeline(network)
    unit_leader = PersonFactory(centre=centre, name="Marit Berg", email="marit@kommune.no")
    team = TeamFactory(
        network=network,
        unit="Leknes sykehjem",
        municipality__name="Vestvågøy",
        municipality__number="1860",
        unit_leader=unit_leader,
    )
    TeamMemberFactory(
        team=team,
        role=Role.TEAM_LEADER,
        person__name="Kari Nordmann",
        person__email="kari@kommune.no",
    )
    TeamMemberFactory(team=team, role=Role.MEASUREMENT_LEAD)
    coordinator.person.email = "koordinator@usht.no"
    coordinator.person.save()
    return team


def link_from_outbox():
    body = mail.outbox[-1].body
    match = re.search(r"https?://\S+/avtale/signer/(\S+)/", body)
    assert match, body
    return match.group(0), match.group(1)


@pytest.fixture
def sent(signing_team, django_capture_on_commit_callbacks):
    from agreements import services

    with django_capture_on_commit_callbacks(execute=True):
        services.send(signing_team.agreement)
    url, token = link_from_outbox()
    return {
        "team": signing_team,
        "agreement": signing_team.agreement,
        "url": url,
        "path": urlparse(url).path,
        "token": token,
    }
