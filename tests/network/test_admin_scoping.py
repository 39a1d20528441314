"""A coordinator sees and changes only their own centre's objects."""

import pytest
from django.urls import reverse

from network.models import Coordinator
from tests.factories import (
    NetworkFactory,
    PersonFactory,
    SessionFactory,
    TeamFactory,
    TeamMemberFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def theirs(other_centre):
    """Another centre's objects, each with a name that must never leak."""
    network = NetworkFactory(centre=other_centre, title="Hemmelig nettverk Vestland")
    team = TeamFactory(network=network, unit="Hemmelig avdeling")
    member = TeamMemberFactory(team=team, person__name="Hemmelig Person")
    session = SessionFactory(network=network, title="Hemmelig samling")
    return {
        "network": network,
        "team": team,
        "person": member.person,
        "session": session,
        "centre": other_centre,
        "coordinator": Coordinator.objects.create(centre=other_centre, person=member.person),
        "agreement": team.agreement,
    }


ADMIN_MODELS = ["network", "team", "person", "session", "centre", "coordinator", "agreement"]
ADMIN_URL_NAMES = {
    "network": "admin:network_network",
    "team": "admin:teams_team",
    "person": "admin:network_person",
    "session": "admin:sessions_app_session",
    "centre": "admin:network_centre",
    "coordinator": "admin:network_coordinator",
    "agreement": "admin:agreements_agreement",
}


@pytest.mark.parametrize("kind", ADMIN_MODELS)
@pytest.mark.parametrize("view", ["change", "delete", "history"])
def test_another_centres_change_urls_answer_404(client, coordinator, theirs, kind, view):
    client.force_login(coordinator)
    url = reverse(f"{ADMIN_URL_NAMES[kind]}_{view}", args=[theirs[kind].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404


@pytest.mark.parametrize("kind", ADMIN_MODELS)
def test_lists_show_only_the_own_centre(client, coordinator, centre, theirs, kind):
    mine = {
        "network": lambda: NetworkFactory(centre=centre, title="Mitt nettverk"),
        "team": lambda: TeamFactory(network__centre=centre, unit="Min avdeling"),
        "person": lambda: PersonFactory(centre=centre, name="Min Person"),
        "session": lambda: SessionFactory(network__centre=centre, title="Min samling"),
        "centre": lambda: centre,
        "coordinator": lambda: Coordinator.objects.get(person__user=coordinator),
        "agreement": lambda: TeamFactory(network__centre=centre).agreement,
    }[kind]()
    client.force_login(coordinator)
    response = client.get(reverse(f"{ADMIN_URL_NAMES[kind]}_changelist"))
    assert response.status_code == 200
    shown = list(response.context["cl"].result_list)
    assert mine in shown
    assert theirs[kind] not in shown
    assert "Hemmelig" not in response.content.decode()


def test_the_own_change_page_opens(client, coordinator, network):
    client.force_login(coordinator)
    response = client.get(reverse("admin:network_network_change", args=[network.pk]))
    assert response.status_code == 200
    assert network.title in response.content.decode()


def test_pickers_offer_only_the_own_centre(client, coordinator, centre, network, theirs):
    client.force_login(coordinator)
    page = client.get(reverse("admin:teams_team_add")).content.decode()
    assert network.title in page
    assert "Hemmelig nettverk Vestland" not in page

    page = client.get(reverse("admin:network_network_add")).content.decode()
    assert centre.name in page
    assert theirs["centre"].name not in page

    page = client.get(reverse("admin:sessions_app_session_add")).content.decode()
    assert "Hemmelig" not in page


def test_autocomplete_finds_only_the_own_centres_people(client, coordinator, centre, theirs):
    ours = PersonFactory(centre=centre, name="Hemmelig Kollega")  # ours, despite the name
    client.force_login(coordinator)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Hemmelig",
            "app_label": "teams",
            "model_name": "teammember",
            "field_name": "person",
        },
    )
    names = [row["text"] for row in response.json()["results"]]
    assert names == [f"Hemmelig Kollega ({ours.email})"]


def test_a_forged_foreign_key_is_refused(client, coordinator, centre, theirs):
    """Posting another centre's network id into a team form is a form error."""
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:teams_team_add"),
        {
            "network": theirs["network"].pk,
            "municipality": theirs["team"].municipality.pk,
            "unit": "Smuglet avdeling",
            "members-TOTAL_FORMS": "0",
            "members-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "network" in response.context["adminform"].form.errors
    assert not type(theirs["team"]).objects.filter(unit="Smuglet avdeling").exists()


def test_superuser_sees_every_centre(client, superuser, network, theirs):
    client.force_login(superuser)
    response = client.get(reverse("admin:network_network_changelist"))
    assert set(response.context["cl"].result_list) == {network, theirs["network"]}
    assert (
        client.get(reverse("admin:network_network_change", args=[theirs["network"].pk])).status_code
        == 200
    )


def test_a_logged_in_non_coordinator_gets_no_admin(client, django_user_model, network):
    user = django_user_model.objects.create_user("teamleder@example.no", "pw", is_staff=True)
    client.force_login(user)
    response = client.get(reverse("admin:network_network_change", args=[network.pk]))
    assert response.status_code == 403
    index = client.get(reverse("admin:index"))
    assert network.title not in index.content.decode()


def test_anonymous_is_sent_to_the_login(client, network):
    response = client.get(reverse("admin:network_network_change", args=[network.pk]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_admin_index_is_norwegian_and_shows_the_coordinators_models(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("admin:index")).content.decode()
    for heading in ("Nettverk og sentre", "Forbedringsteam", "Tidslinje", "Kommuner"):
        assert heading in page
    # Logins are the superuser's business.
    assert reverse("admin:network_user_changelist") not in page
