import pytest

from agreements import services
from bench.conftest import measure
from lib.tokens import sha256_hex
from network.models import Coordinator
from sessions_app.services import propose_timeline
from teams.models import Role
from tests.factories import (
    CentreFactory,
    NetworkFactory,
    PersonFactory,
    TeamFactory,
    TeamMemberFactory,
    UserFactory,
)

BUDGET_CPU_SECONDS = 2.0


@pytest.mark.django_db
def test_signed_agreement_pdf_renders_within_budget(report):
    centre = CentreFactory()
    Coordinator.objects.create(
        centre=centre, person=PersonFactory(centre=centre, user=UserFactory())
    )
    network = NetworkFactory(centre=centre, participation_fee=2500)
    propose_timeline(network)
    team = TeamFactory(
        network=network, unit_leader=PersonFactory(centre=centre, email="leder@kommune.no")
    )
    TeamMemberFactory(team=team, role=Role.TEAM_LEADER)
    TeamMemberFactory.create_batch(4, team=team)
    token = services.send(team.agreement)
    agreement = services.sign(
        token,
        signer_name="Marit Berg",
        signer_title="Enhetsleder",
        top_manager_name="Per Direktør",
        top_manager_email="per@kommune.no",
        shown_sha256=sha256_hex(services.render_document(team.agreement)),
        ip="127.0.0.1",
        user_agent="bench",
    )
    timing = measure(lambda: services.signed_pdf(agreement), repeat=5)
    report("agreement PDF (signed, with audit page)", timing, BUDGET_CPU_SECONDS)
    assert timing.cpu <= BUDGET_CPU_SECONDS
