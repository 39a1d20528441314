"""Bad input in the admin: a clear message by the field, nothing typed is lost."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from network.models import Municipality, Network
from sessions_app.models import Session, SessionKind
from teams.models import Role, TeamMember
from tests.factories import (
    MunicipalityFactory,
    PersonFactory,
    SessionFactory,
    TeamMemberFactory,
)

pytestmark = pytest.mark.django_db


def network_form(centre, **overrides):
    data = {
        "centre": centre.pk,
        "title": "Læringsnettverk trykksår 2027",
        "kind": "learning",
        "status": "planned",
        "start_date": "2027-09-01",
        "end_date": "2028-06-01",
        "focus_area_mode": "single",
        "participation_fee": "3000",
        "gathering_hours": "6.5",
        "phone_conference_hours": "1",
        "weekly_minutes": "20",
        "teams-TOTAL_FORMS": "0",
        "teams-INITIAL_FORMS": "0",
        "sessions-TOTAL_FORMS": "0",
        "sessions-INITIAL_FORMS": "0",
        "report_periods-TOTAL_FORMS": "0",
        "report_periods-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_a_coordinator_creates_a_network_with_a_team_and_a_session(client, coordinator, centre):
    municipality = MunicipalityFactory(name="Vestvågøy", number="1860")
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:network_network_add"),
        network_form(
            centre,
            **{
                "teams-TOTAL_FORMS": "1",
                "teams-0-municipality": municipality.pk,
                "teams-0-unit": "Leknes sykehjem",
                "sessions-TOTAL_FORMS": "1",
                "sessions-0-kind": "gathering",
                "sessions-0-number": "1",
                "sessions-0-starts_at_0": "2027-09-14",
                "sessions-0-starts_at_1": "09:00",
                "sessions-0-ends_at_0": "2027-09-14",
                "sessions-0-ends_at_1": "15:30",
                "sessions-0-status": "planned",
            },
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    network = Network.objects.get(title="Læringsnettverk trykksår 2027")
    assert network.centre == centre
    assert [str(t) for t in network.teams.all()] == ["Leknes sykehjem, Vestvågøy"]
    session = network.sessions.get()
    assert (session.kind, session.starts_at.hour) == (SessionKind.GATHERING, 7)  # 09:00 Oslo


def test_end_before_start_is_refused_next_to_the_field(client, coordinator, centre):
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:network_network_add"), network_form(centre, end_date="2027-01-01")
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["end_date"] == ["Slutt kan ikke være før start."]
    page = response.content.decode()
    assert 'value="Læringsnettverk trykksår 2027"' in page
    assert 'value="3000"' in page
    assert not Network.objects.exists()


def test_a_session_ending_before_it_starts_is_refused(client, coordinator, network):
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:sessions_app_session_add"),
        {
            "network": network.pk,
            "kind": "gathering",
            "number": "1",
            "status": "planned",
            "title": "Samling 1",
            "place": "Leknes",
            "starts_at_0": "2027-09-14",
            "starts_at_1": "09:00",
            "ends_at_0": "2027-09-14",
            "ends_at_1": "08:00",
            "attendance-TOTAL_FORMS": "0",
            "attendance-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["ends_at"] == [
        "En samling må slutte etter at den starter."
    ]
    assert 'value="Leknes"' in response.content.decode()
    assert not Session.objects.exists()


def test_a_duplicate_municipality_number_is_refused(client, coordinator):
    MunicipalityFactory(name="Vestvågøy", number="1860")
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:network_municipality_add"),
        {"name": "Vestvågøy kommune", "number": "1860", "county": "18"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["number"] == [
        "Det finnes allerede en kommune med dette nummeret."
    ]
    assert 'value="Vestvågøy kommune"' in response.content.decode()
    assert Municipality.objects.count() == 1


def test_a_municipality_number_must_have_four_digits(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:network_municipality_add"), {"name": "Bodø", "number": "184", "county": "18"}
    )
    assert "Et kommunenummer har fire sifre." in response.context["adminform"].form.errors["number"]


def team_form(team, rows):
    data = {
        "network": team.network.pk,
        "municipality": team.municipality.pk,
        "unit": team.unit,
        "name": "",
        "focus_area": team.focus_area.pk,
        "aim": "Færre fall innen mai",
        "progress_plan": "",
        "members-TOTAL_FORMS": str(len(rows)),
        "members-INITIAL_FORMS": "0",
    }
    for index, (person, role) in enumerate(rows):
        data |= {
            f"members-{index}-person": person.pk,
            f"members-{index}-role": role,
            f"members-{index}-profession": "nurse",
        }
    return data


def test_a_second_team_leader_in_one_save_is_refused_with_a_message(client, coordinator, team):
    kari, anne = (
        PersonFactory(centre=team.network.centre),
        PersonFactory(centre=team.network.centre),
    )
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:teams_team_change", args=[team.pk]),
        team_form(team, [(kari, Role.TEAM_LEADER), (anne, Role.TEAM_LEADER)]),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Teamet har allerede en teamleder. Et team har nøyaktig én." in page
    assert "Færre fall innen mai" in page
    assert not TeamMember.objects.exists()


@pytest.mark.parametrize("typed", ["abc", "1.5", "'; DROP TABLE x", "9" * 30, "\u00e6\u00f8\u00e5"])
def test_a_value_that_is_not_a_person_in_an_autocomplete_is_a_form_error(
    client, coordinator, team, typed
):
    """The unit leader and a member's person are autocomplete pickers; what a
    browser never sends (text instead of a key) is refused by the field, not by
    a server error, and the rest of the form is kept."""
    client.force_login(coordinator)
    data = team_form(team, [(PersonFactory(centre=team.network.centre), Role.MEMBER)])
    data |= {"unit_leader": typed, "members-0-person": typed}
    response = client.post(reverse("admin:teams_team_change", args=[team.pk]), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["unit_leader"] == [
        "Velg et gyldig valg. Valget er ikke av de tilgjengelige valgene."
    ]
    assert "Færre fall innen mai" in response.content.decode()
    team.refresh_from_db()
    assert team.aim != "Færre fall innen mai" and not TeamMember.objects.exists()


def test_a_second_team_leader_against_the_saved_one_is_refused(client, coordinator, team):
    TeamMemberFactory(team=team, role=Role.TEAM_LEADER)
    anne = PersonFactory(centre=team.network.centre)
    client.force_login(coordinator)
    # The saved leader comes back as the formset's initial row.
    leader = TeamMember.objects.get()
    data = team_form(team, [(leader.person, Role.TEAM_LEADER), (anne, Role.TEAM_LEADER)])
    data |= {"members-INITIAL_FORMS": "1", "members-0-id": leader.pk, "members-0-team": team.pk}
    response = client.post(reverse("admin:teams_team_change", args=[team.pk]), data)
    assert response.status_code == 200
    assert "Teamet har allerede en teamleder" in response.content.decode()
    assert TeamMember.objects.count() == 1


def test_the_same_person_twice_is_refused(client, coordinator, team):
    kari = PersonFactory(centre=team.network.centre, name="Kari Nordmann")
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:teams_team_change", args=[team.pk]),
        team_form(team, [(kari, Role.TEAM_LEADER), (kari, Role.MEMBER)]),
    )
    assert response.status_code == 200
    assert "Kari Nordmann er allerede medlem av teamet." in response.content.decode()
    assert not TeamMember.objects.exists()


def test_saving_a_small_team_shows_the_advice(client, coordinator, team):
    kari = PersonFactory(centre=team.network.centre)
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:teams_team_change", args=[team.pk]),
        team_form(team, [(kari, Role.TEAM_LEADER)]),
        follow=True,
    )
    page = response.content.decode()
    assert "Teamet har 1 medlem; 2 til 7 medlemmer anbefales." in page
    assert "Teamet har ingen måleansvarlig." in page
    assert TeamMember.objects.get().role == Role.TEAM_LEADER


def test_propose_timeline_action(client, coordinator, network):
    client.force_login(coordinator)
    url = reverse("admin:network_network_changelist")
    for _ in range(2):
        response = client.post(
            url, {"action": "propose_timeline", "_selected_action": [network.pk]}, follow=True
        )
    assert network.sessions.count() == 8
    assert list(network.report_periods.values_list("title", "due_on")) == [
        ("Statusrapport 1 (før samling 2)", dt.date(2026, 11, 24)),
        ("Statusrapport 2 (før samling 3)", dt.date(2027, 3, 9)),
    ]
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        f"{network.title}: opprettet 0 samlinger; 8 fantes fra før og ble "
        "beholdt. 0 nye rapporteringsperioder."
    ]


def test_saving_a_network_keeps_its_listed_teams(client, coordinator, centre, team):
    """The network page lists existing teams read-only: a save leaves them as they are."""
    from network.models import FocusArea

    network, unit = team.network, team.unit
    client.force_login(coordinator)
    data = network_form(
        centre,
        title="Nytt navn",
        focus_areas=[FocusArea.objects.first().pk],
        **{"teams-TOTAL_FORMS": "1", "teams-INITIAL_FORMS": "1", "teams-0-id": team.pk},
        **{"teams-0-network": network.pk},
    )
    response = client.post(reverse("admin:network_network_change", args=[network.pk]), data)
    assert response.status_code == 302, response.context["errors"]
    network.refresh_from_db()
    assert network.title == "Nytt navn"
    assert list(network.teams.values_list("pk", "unit")) == [(team.pk, unit)]


def test_a_networks_timeline_moves_in_one_save_on_its_sessions_list(client, coordinator, network):
    """The network's page lists its sessions; the link beside them opens the sessions
    list filtered to the network, where dates, place and status change together."""
    first = SessionFactory(network=network, number=1, place="Leknes")
    second = SessionFactory(
        network=network,
        number=2,
        starts_at=dt.datetime(2026, 12, 1, 8, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 12, 1, 14, tzinfo=dt.UTC),
    )
    other = SessionFactory(number=1)  # another network of another centre
    client.force_login(coordinator)
    url = reverse("admin:sessions_app_session_changelist") + f"?network__id__exact={network.pk}"
    page = client.get(url)
    assert [s.pk for s in page.context["cl"].result_list] == [first.pk, second.pk]
    rows = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "2", "_save": "Lagre"}
    for n, (session, day, place) in enumerate(
        ((first, "2026-09-22", "Svolvær"), (second, "2026-12-08", "Bodø"))
    ):
        rows |= {
            f"form-{n}-id": session.pk,
            f"form-{n}-starts_at": f"{day}T09:00",
            f"form-{n}-ends_at": f"{day}T15:30",
            f"form-{n}-place": place,
            f"form-{n}-status": "planned",
        }
    response = client.post(url, rows)
    assert response.status_code == 302, response.context["cl"].formset.errors
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.place, first.starts_at) == ("Svolvær", dt.datetime(2026, 9, 22, 7, tzinfo=dt.UTC))
    assert (second.place, second.ends_at) == (
        "Bodø",
        dt.datetime(2026, 12, 8, 14, 30, tzinfo=dt.UTC),
    )
    other.refresh_from_db()
    assert other.place != "Bodø"


def test_a_session_list_save_that_ends_before_it_starts_keeps_what_was_typed(
    client, coordinator, network
):
    session = SessionFactory(network=network, number=1, place="Leknes")
    client.force_login(coordinator)
    url = reverse("admin:sessions_app_session_changelist") + f"?network__id__exact={network.pk}"
    response = client.post(
        url,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "_save": "Lagre",
            "form-0-id": session.pk,
            "form-0-starts_at": "2026-09-22T09:00",
            "form-0-ends_at": "2026-09-22T08:00",
            "form-0-place": "Svolvær",
            "form-0-status": "planned",
        },
    )
    assert response.status_code == 200
    assert response.context["cl"].formset.errors[0]["ends_at"] == [
        "En samling må slutte etter at den starter."
    ]
    page = response.content.decode()
    assert 'value="Svolvær"' in page and 'value="2026-09-22T08:00"' in page
    session.refresh_from_db()
    assert session.place == "Leknes"


def test_the_admins_number_fields_read_the_decimal_comma(client, coordinator, centre):
    """Browsers' number inputs read "12,5" as 125; the admin's are text inputs read
    by lib.numbers, like every number field of the product."""
    client.force_login(coordinator)
    page = client.get(reverse("admin:network_network_add")).content.decode()
    for name in ("participation_fee", "gathering_hours", "weekly_minutes"):
        field = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
        assert 'type="text"' in field and "inputmode=" in field, field
    response = client.post(
        reverse("admin:network_network_add"),
        network_form(
            centre, participation_fee="3 000", gathering_hours="12,5", weekly_minutes="20,5"
        ),
    )
    assert response.context["adminform"].form.errors == {
        "weekly_minutes": ["Skriv et helt tall, for eksempel 12."]
    }
    response = client.post(
        reverse("admin:network_network_add"),
        network_form(centre, participation_fee="3 000", gathering_hours="12,5"),
    )
    assert response.status_code == 302
    network = Network.objects.get(title="Læringsnettverk trykksår 2027")
    assert (network.participation_fee, network.gathering_hours) == (3000, Decimal("12.5"))
    # The agreement's hourly rate: offered as "450", and "487,5" is 487.5.
    add = reverse("admin:agreements_agreementtext_add")
    page = client.get(f"{add}?network={network.pk}").content.decode()
    field = re.search(r'<input[^>]*name="hourly_rate"[^>]*>', page).group(0)
    assert 'type="text"' in field and 'inputmode="decimal"' in field and 'value="450"' in field
    text = network.agreement_texts.get()
    data = {
        name: getattr(text, name)
        for name in ("introduction", "municipality_commitments", "centre_commitments", "closing")
    }
    response = client.post(add, {**data, "network": network.pk, "hourly_rate": "487,5"})
    assert response.status_code == 302
    assert network.agreement_texts.order_by("-version").first().hourly_rate == Decimal("487.5")
