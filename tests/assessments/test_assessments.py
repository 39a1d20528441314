import pytest
from django.urls import reverse

from assessments.models import Assessment
from teams.models import Role
from tests.factories import TeamFactory, TeamMemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def round_data(label, date, rating):
    data = {"label": label, "held_on": date}
    for number in range(1, 10):
        data[f"rating_{number}"] = str(rating if number != 5 else 1)
        data[f"comment_{number}"] = f"Kommentar {number}" if number == 2 else ""
    return data


@pytest.fixture
def member(team):
    return TeamMemberFactory(team=team, role=Role.MEMBER, person__user=UserFactory()).person.user


def test_rounds_are_recorded_and_compared(client, team, member):
    client.force_login(member)
    url = reverse("assessments:create", args=[team.pk])
    assert client.post(url, round_data("Oppstart", "2026-09-01", 2)).status_code == 302
    assert client.post(url, round_data("Avslutning", "2027-05-20", 4)).status_code == 302
    page = client.get(reverse("assessments:overview", args=[team.pk])).content.decode()
    assert "Oppstart" in page and "Avslutning" in page
    assert "<svg" in page and 'role="img"' in page
    assert "Kommentar 2" in page
    assert "1: Oppstart (01.09.2026) 2, Avslutning (20.05.2027) 4" in page
    assert Assessment.objects.count() == 2


def test_a_missing_rating_is_shown_and_the_rest_kept(client, team, member):
    client.force_login(member)
    data = round_data("Oppstart", "2026-09-01", 3)
    del data["rating_7"]
    response = client.post(reverse("assessments:create", args=[team.pk]), data)
    assert response.context["form"].errors["rating_7"] == ["Velg et nivå for denne påstanden."]
    assert 'value="Oppstart"' in response.content.decode()
    assert not Assessment.objects.exists()


def test_only_the_unit_and_its_coordinator_see_the_results(
    client, team, network, coordinator, outsider
):
    other_member = TeamMemberFactory(
        team=TeamFactory(network=network), person__user=UserFactory()
    ).person.user
    url = reverse("assessments:overview", args=[team.pk])
    client.force_login(other_member)
    assert client.get(url).status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(coordinator)
    assert client.get(url).status_code == 200
    team.unit_leader = TeamMemberFactory(team=team, person__user=UserFactory()).person
    team.save()
    client.force_login(team.unit_leader.user)
    assert client.get(url).status_code == 200
