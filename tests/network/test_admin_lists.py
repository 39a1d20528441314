"""The admin's lists are Django's own, in Norwegian, with filters offering what the
coordinator may see."""

import pytest
from django.urls import reverse

from network.models import FocusArea
from tests.factories import NetworkFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def networks(centre, other_centre):
    """Two of the coordinator's networks (each with a team) and another centre's."""
    ours = [
        NetworkFactory(centre=centre, title="Fall & <fall>"),
        NetworkFactory(centre=centre, title="Legemidler"),
    ]
    for network in ours:
        TeamFactory(network=network)
    theirs = NetworkFactory(centre=other_centre, title="Hemmelig nettverk")
    TeamFactory(network=theirs)
    return ours, theirs


def test_a_list_has_the_action_bar_and_row_checkboxes_in_norwegian(client, coordinator, networks):
    client.force_login(coordinator)
    page = client.get(reverse("admin:network_network_changelist")).content.decode()
    assert '<option value="" selected>- Velg et alternativ -</option>' in page
    assert '<option value="propose_timeline">Foreslå standard tidslinje</option>' in page
    assert ">Utfør</button>" in page
    assert 'aria-label="Velg alle objektene på denne siden for en handling"' in page
    assert page.count('class="action-select"') == 2
    assert 'aria-label="Velg dette objektet for en handling – Fall &amp; &lt;fall&gt;"' in page
    assert "Etter status" in page and "Vis antall" in page


def test_a_filter_by_network_offers_only_the_visible_networks(client, coordinator, networks):
    ours, theirs = networks
    client.force_login(coordinator)
    url = reverse("admin:agreements_agreement_changelist")
    response = client.get(url)
    spec = next(f for f in response.context["cl"].filter_specs if f.field.name == "network")
    assert sorted(label for _, label in spec.lookup_choices) == ["Fall & <fall>", "Legemidler"]
    page = response.content.decode()
    assert f"?team__network__id__exact={ours[0].pk}" in page
    assert "Fall &amp; &lt;fall&gt;" in page
    assert theirs.title not in page

    response = client.get(url, {"team__network__id__exact": ours[1].pk})
    assert [a.team.network for a in response.context["cl"].result_list] == [ours[1]]
    assert '<li class="selected">\n    <a href="?team__network__id__exact=' in (
        response.content.decode()
    )


def test_a_filter_by_focus_area_offers_the_national_focus_areas(client, coordinator, networks):
    client.force_login(coordinator)
    response = client.get(reverse("admin:teams_team_changelist"))
    spec = next(f for f in response.context["cl"].filter_specs if f.field.name == "focus_area")
    assert [label for _, label in spec.lookup_choices] == [str(f) for f in FocusArea.objects.all()]
