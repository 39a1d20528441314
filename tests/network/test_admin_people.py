"""The right person, every time: pickers tell namesakes apart, a known e-mail is
refused with a link to its person, a namesake and a team leader who already leads
a running team are warned about."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape

from network.models import NetworkStatus, Person
from teams.models import Role
from tests.factories import NetworkFactory, PersonFactory, TeamFactory, TeamMemberFactory
from tests.network.test_admin_forms import team_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_karis(centre):
    return (
        PersonFactory(
            centre=centre,
            name="Kari Nordmann",
            email="kari.nordmann@vestvagoy.kommune.no",
            organisation="Vestvågøy kommune",
        ),
        PersonFactory(
            centre=centre,
            name="Kari Nordmann",
            email="kari.n@bodo.kommune.no",
            organisation="Bodø kommune",
        ),
    )


def autocomplete(client, model_name, field_name, term):
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": term, "app_label": "teams", "model_name": model_name, "field_name": field_name},
    )
    return [row["text"] for row in response.json()["results"]]


def test_the_autocomplete_tells_two_people_of_the_same_name_apart(client, coordinator, two_karis):
    client.force_login(coordinator)
    for model_name, field_name in (("teammember", "person"), ("team", "unit_leader")):
        assert sorted(autocomplete(client, model_name, field_name, "Kari Nordmann")) == [
            "Kari Nordmann (kari.n@bodo.kommune.no, Bodø kommune)",
            "Kari Nordmann (kari.nordmann@vestvagoy.kommune.no, Vestvågøy kommune)",
        ]


def test_a_person_is_found_by_e_mail(client, coordinator, two_karis):
    client.force_login(coordinator)
    assert autocomplete(client, "teammember", "person", "bodo.kommune") == [
        "Kari Nordmann (kari.n@bodo.kommune.no, Bodø kommune)"
    ]


def test_the_picked_people_are_shown_with_e_mail_and_organisation(
    client, coordinator, team, two_karis
):
    vestvagoy, bodo = two_karis
    team.unit_leader = bodo
    team.save()
    TeamMemberFactory(team=team, person=vestvagoy, role=Role.TEAM_LEADER)
    client.force_login(coordinator)
    page = client.get(reverse("admin:teams_team_change", args=[team.pk])).content.decode()
    assert (
        f'<option value="{bodo.pk}" selected>'
        f"Kari Nordmann (kari.n@bodo.kommune.no, Bodø kommune)</option>"
    ) in page
    assert (
        f'<option value="{vestvagoy.pk}" selected>'
        f"Kari Nordmann (kari.nordmann@vestvagoy.kommune.no, Vestvågøy kommune)</option>"
    ) in page


def test_the_coordinator_picker_shows_e_mail_and_organisation(client, superuser, two_karis):
    client.force_login(superuser)
    texts = [
        row["text"]
        for row in client.get(
            reverse("admin:autocomplete"),
            {
                "term": "Kari",
                "app_label": "network",
                "model_name": "coordinator",
                "field_name": "person",
            },
        ).json()["results"]
    ]
    assert "Kari Nordmann (kari.n@bodo.kommune.no, Bodø kommune)" in texts
    assert "Kari Nordmann (kari.nordmann@vestvagoy.kommune.no, Vestvågøy kommune)" in texts


def person_form(centre, **overrides):
    return {
        "centre": centre.pk,
        "name": "Kari Nordmann",
        "email": "kari.nordmann@vestvagoy.kommune.no",
        "phone": "",
        "title": "Sykepleier",
        "organisation": "Vestvågøy kommune",
    } | overrides


def test_a_known_e_mail_is_refused_with_a_link_to_its_person(
    client, coordinator, centre, two_karis
):
    existing = two_karis[0]
    before = Person.objects.count()
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:network_person_add"),
        person_form(centre, name="Kari N.", email="Kari.Nordmann@Vestvagoy.kommune.no"),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["email"]
    link = reverse("admin:network_person_change", args=[existing.pk])
    assert errors == [
        "E-postadressen tilhører en person som allerede er registrert: "
        f'<a href="{link}">{escape(existing.label)}</a>'
    ]
    page = response.content.decode()
    assert f'<a href="{link}">' in page  # a link, not escaped markup
    assert 'value="Kari N."' in page and 'value="Sykepleier"' in page  # nothing typed is lost
    assert Person.objects.count() == before


def test_a_known_e_mail_in_another_centre_is_no_obstacle(client, coordinator, centre, other_centre):
    PersonFactory(centre=other_centre, email="kari.nordmann@vestvagoy.kommune.no")
    client.force_login(coordinator)
    response = client.post(reverse("admin:network_person_add"), person_form(centre))
    assert response.status_code == 302
    assert Person.objects.get(centre=centre, email="kari.nordmann@vestvagoy.kommune.no")


def test_changing_a_person_keeps_their_own_e_mail(client, coordinator, centre, two_karis):
    kari = two_karis[0]
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:network_person_change", args=[kari.pk]),
        person_form(centre, title="Fagutviklingssykepleier"),
    )
    assert response.status_code == 302
    kari.refresh_from_db()
    assert kari.title == "Fagutviklingssykepleier"
    # An unchanged name warns of nothing.
    assert list(get_messages(response.wsgi_request))[-1].level_tag == "success"


def test_a_namesake_in_the_centre_is_a_warning_not_a_refusal(
    client, coordinator, centre, two_karis
):
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:network_person_add"),
        person_form(centre, email="kari@leknes.no", organisation="Leknes sykehjem"),
        follow=True,
    )
    added = Person.objects.get(email="kari@leknes.no")
    assert added.name == "Kari Nordmann"
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1
    assert warnings[0].startswith(
        "Noen med samme navn er allerede registrert ved senteret. "
        "Sjekk at det ikke er samme person:"
    )
    for other in two_karis:
        assert reverse("admin:network_person_change", args=[other.pk]) in warnings[0]
        assert other.email in warnings[0]
    assert reverse("admin:network_person_change", args=[added.pk]) not in warnings[0]
    link = reverse("admin:network_person_change", args=[two_karis[0].pk])
    assert f'<a href="{link}">' in response.content.decode()  # a link on the page, not markup


def test_a_team_leader_who_leads_a_running_team_is_warned(client, coordinator, centre):
    running = NetworkFactory(centre=centre, title="Fallforebygging 2026", status="running")
    led = TeamFactory(network=running, unit="Leknes sykehjem")
    kari = PersonFactory(centre=centre, name="Kari Nordmann")
    TeamMemberFactory(team=led, person=kari, role=Role.TEAM_LEADER)
    new_team = TeamFactory(network=NetworkFactory(centre=centre, title="Legemidler 2027"))
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:teams_team_change", args=[new_team.pk]),
        team_form(new_team, [(kari, Role.TEAM_LEADER)]),
        follow=True,
    )
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert (
        f"Teamlederen leder allerede teamet {led} i nettverket Fallforebygging 2026, "
        "som pågår." in warnings
    )
    assert new_team.members.get().person == kari  # a warning, not a refusal


def test_leading_a_team_of_an_ended_network_is_no_warning(client, coordinator, centre):
    ended = NetworkFactory(centre=centre, status=NetworkStatus.ENDED)
    kari = PersonFactory(centre=centre)
    TeamMemberFactory(team=TeamFactory(network=ended), person=kari, role=Role.TEAM_LEADER)
    new_team = TeamFactory(network=NetworkFactory(centre=centre))
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:teams_team_change", args=[new_team.pk]),
        team_form(new_team, [(kari, Role.TEAM_LEADER)]),
        follow=True,
    )
    assert not any("leder allerede" in str(m) for m in response.context["messages"])
