"""The driver diagram's pages: who may read and change them, the forms, the team
page, the status report and its PDF."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from improvement import services
from improvement.models import ChangeIdea, Driver
from reports.models import ReportStatus, StatusReport
from reports.services import propose_report_periods, report_pdf
from sessions_app.services import propose_timeline
from teams.models import PDSACycle, Role
from tests.factories import PersonFactory, TeamFactory, TeamMemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def member(team, role, email):
    return TeamMemberFactory(
        team=team, role=role, person__user=UserFactory(email=email)
    ).person.user


@pytest.fixture
def leader(team):
    team.aim = "Færre fall innen mai"
    team.save()
    return member(team, Role.TEAM_LEADER, "leder@kommune.no")


@pytest.fixture
def plain_member(team):
    return member(team, Role.MEMBER, "medlem@kommune.no")


@pytest.fixture
def measurement_lead(team):
    return member(team, Role.MEASUREMENT_LEAD, "maaler@kommune.no")


@pytest.fixture
def unit_leader(team):
    person = PersonFactory(centre=team.network.centre, user=UserFactory(email="enhet@kommune.no"))
    team.unit_leader = person
    team.save()
    return person.user


@pytest.fixture
def stranger(network):
    return member(TeamFactory(network=network), Role.TEAM_LEADER, "fremmed@kommune.no")


@pytest.fixture
def built(team):
    driver = services.add_driver(team, "Kunnskap om fallrisiko")
    idea = services.add_idea(team, "Sklisikre sokker", driver=driver)
    return {"driver": driver, "idea": idea}


def pages(team, built):
    t, d, i = team.pk, built["driver"].pk, built["idea"].pk
    return {
        "aim": reverse("improvement:aim", args=[t]),
        "driver_add": reverse("improvement:driver_add", args=[t]),
        "driver_edit": reverse("improvement:driver_edit", args=[t, d]),
        "idea_add": reverse("improvement:idea_add", args=[t]),
        "idea_edit": reverse("improvement:idea_edit", args=[t, i]),
    }


def actions(team, built):
    t, d, i = team.pk, built["driver"].pk, built["idea"].pk
    bundle = team.focus_area.interventions.first().pk
    return {
        "driver_remove": (reverse("improvement:driver_remove", args=[t, d]), {}),
        "idea_remove": (reverse("improvement:idea_remove", args=[t, i]), {}),
        "driver_move": (reverse("improvement:driver_move", args=[t, d]), {"direction": "down"}),
        "idea_move": (reverse("improvement:idea_move", args=[t, i]), {"direction": "down"}),
        "bundle_add": (reverse("improvement:bundle_add", args=[t]), {"intervention": bundle}),
    }


def test_the_members_and_the_unit_leader_read_the_diagram_and_see_no_forms(
    client, team, built, plain_member, measurement_lead, unit_leader
):
    for user in (plain_member, measurement_lead, unit_leader):
        client.force_login(user)
        page = client.get(reverse("improvement:diagram", args=[team.pk])).content.decode()
        assert "Sklisikre sokker" in page and 'class="driver-diagram"' in page
        assert "Legg til en driver" not in page and "Legg til som endringsidé" not in page


def test_only_the_team_leader_and_the_coordinator_change_it(
    client, team, built, leader, coordinator, plain_member, measurement_lead, unit_leader
):
    for user in (plain_member, measurement_lead, unit_leader):
        client.force_login(user)
        for name, url in pages(team, built).items():
            assert client.get(url).status_code == 403, (user, name)
        for name, (url, data) in actions(team, built).items():
            assert client.post(url, data).status_code == 403, (user, name)
    assert Driver.objects.count() == 1 and ChangeIdea.objects.count() == 1
    for user in (leader, coordinator):
        client.force_login(user)
        for name, url in pages(team, built).items():
            assert client.get(url).status_code == 200, (user, name)


def test_another_teams_diagram_does_not_exist(client, team, built, stranger, outsider):
    for user in (stranger, outsider):
        client.force_login(user)
        assert client.get(reverse("improvement:diagram", args=[team.pk])).status_code == 404
        for url in pages(team, built).values():
            assert client.get(url).status_code == 404
        for url, data in actions(team, built).values():
            assert client.post(url, data).status_code == 404
    assert Driver.objects.count() == 1 and ChangeIdea.objects.count() == 1


def test_the_actions_take_only_a_post(client, team, built, leader):
    client.force_login(leader)
    for url, _data in actions(team, built).values():
        assert client.get(url).status_code == 405


def test_the_team_leader_builds_from_the_bundle_and_links_a_cycle(client, team, leader):
    cycle = PDSACycle.objects.create(
        team=team, change="Sokker om natten", start_date=dt.date(2026, 10, 1)
    )
    client.force_login(leader)
    url = reverse("improvement:diagram", args=[team.pk])
    page = client.get(url).content.decode()
    assert "Vurder fallrisiko ved innkomst og ved endret tilstand" in page
    response = client.post(
        reverse("improvement:driver_add", args=[team.pk]), {"text": "Kunnskap", "parent": ""}
    )
    driver = Driver.objects.get(text="Kunnskap")
    assert response["Location"] == f"{url}#driver-{driver.pk}"
    intervention = team.focus_area.interventions.order_by("position").first()
    response = client.post(
        reverse("improvement:bundle_add", args=[team.pk]),
        {"intervention": intervention.pk, "driver": driver.pk},
    )
    idea = ChangeIdea.objects.get(intervention=intervention)
    assert idea.driver == driver and idea.text == intervention.text
    page = client.get(url).content.decode()
    assert "Lagt til" in page  # the bundle marks what is added
    response = client.post(
        reverse("improvement:idea_edit", args=[team.pk, idea.pk]),
        {
            "text": idea.text,
            "driver": driver.pk,
            "cycles": [cycle.pk],
            "version": idea.version,
        },
    )
    assert response.status_code == 302
    assert list(idea.cycles.all()) == [cycle]
    page = client.get(url).content.decode()
    assert "Testet i: Sokker om natten" in page


def test_bad_input_is_shown_by_its_field_and_the_text_is_kept(client, team, built, leader):
    client.force_login(leader)
    long = "x" * 301
    page = client.post(
        reverse("improvement:idea_edit", args=[team.pk, built["idea"].pk]),
        {"text": long, "driver": "999999", "version": built["idea"].version},
    ).content.decode()
    assert "Ingenting er lagret ennå" in page
    assert 'href="#id_text"' in page and 'href="#id_driver"' in page
    assert long in page
    built["idea"].refresh_from_db()
    assert built["idea"].text == "Sklisikre sokker"


def test_a_stale_form_is_refused_with_the_typed_text_kept(client, team, built, leader):
    client.force_login(leader)
    driver = built["driver"]
    url = reverse("improvement:driver_edit", args=[team.pk, driver.pk])
    services.edit_driver(driver, "Kompetanse på fall", version=driver.version)  # someone else
    page = client.post(url, {"text": "Min tekst", "version": driver.version - 1}).content.decode()
    assert "Noen endret dette mens du skrev" in page
    assert 'value="Min tekst"' in page
    assert "Nå står det: <strong>Kompetanse på fall</strong>" in page
    driver.refresh_from_db()
    assert driver.text == "Kompetanse på fall"


def test_the_aim_from_a_stale_page_is_refused(client, team, built, leader):
    client.force_login(leader)
    url = reverse("improvement:aim", args=[team.pk])
    team.aim = "Endret av koordinatoren"
    team.save()
    page = client.post(url, {"aim": "Min nye mål", "original": "Færre fall innen mai"})
    assert "Noen endret målet" in page.content.decode()
    team.refresh_from_db()
    assert team.aim == "Endret av koordinatoren"
    response = client.post(url, {"aim": "Min nye mål", "original": "Endret av koordinatoren"})
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.aim == "Min nye mål"


def test_the_team_page_shows_the_diagram_and_its_list(client, team, built, plain_member):
    client.force_login(plain_member)
    page = client.get(reverse("teams:team", args=[team.pk])).content.decode()
    assert 'class="driver-diagram"' in page and 'role="img"' in page
    assert '<ul class="driver-diagram-list">' in page
    assert "<strong>Primær driver:</strong> Kunnskap om fallrisiko" in page
    assert "Åpne driverdiagrammet" in page  # a member reads


def test_the_team_page_costs_the_same_queries_with_more_boxes(client, team, leader):
    client.force_login(leader)
    url = reverse("teams:team", args=[team.pk])
    services.add_idea(team, "Én", driver=services.add_driver(team, "Første"))
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(3):
        driver = services.add_driver(team, f"Driver {n}")
        services.add_driver(team, f"Under {n}", parent=driver)
        services.add_idea(team, f"Idé {n}", driver=driver)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url).content.decode()
    assert "Idé 2" in page
    assert len(small) == len(large)


def test_the_diagram_page_costs_the_same_queries_with_more_boxes(client, team, leader):
    client.force_login(leader)
    url = reverse("improvement:diagram", args=[team.pk])
    services.add_idea(team, "Én", driver=services.add_driver(team, "Første"))
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(3):
        driver = services.add_driver(team, f"Driver {n}")
        services.add_driver(team, f"Under {n}", parent=driver)
        services.add_idea(team, f"Idé {n}", driver=driver)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(small) == len(large)


def test_the_status_report_and_its_pdf_carry_the_diagram(client, team, built, leader):
    propose_timeline(team.network)
    propose_report_periods(team.network)
    period = team.network.report_periods.get(number=1)
    client.force_login(leader)
    page = client.get(reverse("reports:report", args=[team.pk, period.pk])).content.decode()
    assert "Driverdiagram" in page and "Sklisikre sokker" in page
    report = StatusReport.objects.create(
        team=team, period=period, status=ReportStatus.SUBMITTED, what_worked="x"
    )
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(report_pdf(report))).pages)
    assert "Driverdiagram" in text
    assert "Endringsidé: Sklisikre sokker" in text  # the list under the picture
    assert "Kunnskap om fallrisiko" in text


def test_the_admin_shows_the_diagram_as_a_list_to_its_centres_coordinator(
    client, team, built, coordinator, outsider
):
    diagram = team.driver_diagram
    client.force_login(coordinator)
    listing = client.get(reverse("admin:improvement_driverdiagram_changelist")).content.decode()
    assert str(team) in listing
    page = client.get(
        reverse("admin:improvement_driverdiagram_change", args=[diagram.pk])
    ).content.decode()
    assert "<strong>Endringsidé:</strong> Sklisikre sokker" in page
    assert reverse("improvement:diagram", args=[team.pk]) in page
    assert client.get(reverse("admin:improvement_driverdiagram_add")).status_code == 403
    client.force_login(outsider)
    url = reverse("admin:improvement_driverdiagram_change", args=[diagram.pk])
    assert client.get(url).status_code == 404
