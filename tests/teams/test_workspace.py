"""The team's workspace: the team page, measures, data entry and the PDSA log."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from network.models import MeasureKind, RecommendedMeasure
from sessions_app.services import propose_timeline
from teams.models import Measure, Measurement, PDSACycle, Role
from tests.factories import TeamFactory, TeamMemberFactory, UserFactory

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
def falls(team):
    measure = Measure.objects.create(
        team=team,
        name="Antall fall",
        kind=MeasureKind.COUNT,
        period="month",
        goal=2,
        direction="down",
    )
    for month, value in enumerate([9, 8, 10, 9, 11, 9, 3, 2, 3, 2, 1, 2, 3, 2], start=1):
        year, m = 2026 + (month - 1) // 12, (month - 1) % 12 + 1
        Measurement.objects.create(measure=measure, period_start=dt.date(year, m, 1), value=value)
    return measure


def grid_data(rows, total=None):
    data = {"form-TOTAL_FORMS": str(total or len(rows)), "form-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"form-{index}-{key}"] = value
    return data


def test_the_team_page_shows_the_team_and_its_charts(client, team, leader, falls):
    propose_timeline(team.network)
    client.force_login(leader)
    page = client.get(reverse("teams:team", args=[team.pk])).content.decode()
    assert "Færre fall innen mai" in page
    assert "Teamleder" in page
    assert "Vurder fallrisiko ved innkomst" in page  # the focus area's bundle
    assert "Neste samling" in page
    assert "Antall fall" in page
    assert 'role="img"' in page and "<desc" in page
    # Median 3: the three 3s are ignored; six points above, then five below.
    assert (
        "14 punkter; median 3. Signal: linjen krysser medianen bare 1 gang "
        "(minst 2 forventet). Mål: 2." in page
    )


def test_another_teams_pages_answer_404(client, team, leader, network):
    other = TeamFactory(network=network)
    measure = Measure.objects.create(team=other, name="Hemmelig måling")
    client.force_login(leader)
    for url in (
        reverse("teams:team", args=[other.pk]),
        reverse("teams:measure", args=[other.pk, measure.pk]),
        reverse("teams:measure_create", args=[other.pk]),
        reverse("teams:pdsa_create", args=[other.pk]),
        reverse("teams:measure", args=[team.pk, measure.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_coordinators_see_their_centres_teams_but_outsiders_do_not(
    client, team, coordinator, outsider, falls
):
    client.force_login(coordinator)
    assert client.get(reverse("teams:team", args=[team.pk])).status_code == 200
    client.force_login(outsider)
    assert client.get(reverse("teams:team", args=[team.pk])).status_code == 404


def test_anonymous_goes_to_the_login(client, team):
    response = client.get(reverse("teams:team", args=[team.pk]))
    assert response.status_code == 302 and "/konto/logg-inn/" in response["Location"]


def test_a_member_without_the_edit_role_reads_but_gets_403_on_changes(
    client, team, plain_member, falls
):
    client.force_login(plain_member)
    detail = reverse("teams:measure", args=[team.pk, falls.pk])
    assert "Antall fall" in client.get(detail).content.decode()
    assert client.get(reverse("teams:measure_create", args=[team.pk])).status_code == 403
    assert (
        client.post(detail, grid_data([{"period_start": "2027-03-01", "value": "1"}])).status_code
        == 403
    )
    assert client.get(reverse("teams:pdsa_create", args=[team.pk])).status_code == 403
    assert falls.measurements.count() == 14


def test_a_measure_from_the_recommended_list(client, team, leader):
    recommended = RecommendedMeasure.objects.get(name="Andel pasienter risikovurdert for fall")
    client.force_login(leader)
    response = client.post(
        reverse("teams:measure_create", args=[team.pk]),
        {
            "recommended": recommended.pk,
            "name": "",
            "definition": "",
            "kind": "count",
            "period": "week",
            "direction": "down",
            "goal": "90",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    measure = Measure.objects.get(team=team)
    assert response.status_code == 302
    assert (measure.name, measure.kind, measure.period, measure.direction) == (
        recommended.name,
        MeasureKind.PROPORTION,
        "week",
        "up",
    )


def test_the_grid_saves_a_whole_series(client, team, leader):
    measure = Measure.objects.create(
        team=team, name="Andel risikovurdert", kind=MeasureKind.PROPORTION, period="month"
    )
    client.force_login(leader)
    url = reverse("teams:measure", args=[team.pk, measure.pk])
    initial = client.get(url).context["grid"]
    assert initial.initial[0]["period_start"] == dt.date(2026, 9, 1)
    response = client.post(
        url,
        grid_data(
            [
                {"period_start": "2026-09-01", "numerator": "4", "denominator": "10"},
                {"period_start": "2026-10-15", "numerator": "6,5", "denominator": "10"},
                {"period_start": "2026-11-01", "numerator": "", "denominator": ""},
            ]
        ),
    )
    assert response.status_code == 302
    points = list(measure.measurements.values_list("period_start", "numerator", "denominator"))
    assert points == [(dt.date(2026, 9, 1), 4, 10), (dt.date(2026, 10, 1), 6.5, 10)]
    assert float(measure.measurements.last().result) == 65.0


def test_bad_rows_in_the_grid_are_marked_and_nothing_is_saved(client, team, leader):
    measure = Measure.objects.create(team=team, name="Andel", kind=MeasureKind.PROPORTION)
    client.force_login(leader)
    url = reverse("teams:measure", args=[team.pk, measure.pk])
    response = client.post(
        url,
        grid_data(
            [
                {"period_start": "2026-09-01", "numerator": "4", "denominator": "10"},
                {"period_start": "2026-10-01", "numerator": "12", "denominator": "10"},
                {"period_start": "2026-11-01", "numerator": "tre", "denominator": "10"},
                {"period_start": "2026-12-01", "numerator": "2", "denominator": ""},
            ]
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    # Each error once, on the field it concerns, marked red there and tied to it.
    for field, message in (
        ("form-1-numerator", "Telleren må være mellom 0 og nevneren."),
        ("form-2-numerator", "Skriv et tall, for eksempel 12,5 eller 1 234,5."),
        ("form-3-denominator", "En andel trenger både teller og nevner."),
    ):
        assert page.count(message) == 1, message
        feedback = re.search(
            rf'<input class="[^"]*is-invalid" id="id_{field}"[^>]*'
            rf'aria-describedby="id_{field}_error">\s*'
            rf'<div class="invalid-feedback" id="id_{field}_error">([^<]*)</div>',
            page,
        )
        assert feedback and feedback.group(1) == message, field
    assert "3 felt er merket med rødt" in page
    assert "table-danger" not in page  # no separate error rows
    assert 'value="tre"' in page  # what was typed stays
    assert not Measurement.objects.exists()


def test_csv_upload_saves_every_row(client, team, leader):
    measure = Measure.objects.create(team=team, name="Antall fall", kind=MeasureKind.COUNT)
    client.force_login(leader)
    upload = SimpleUploadedFile(
        "fall.csv", b"periode;verdi\n2026-09-01;4\n01.10.2026;3\n2026-11;2\n"
    )
    response = client.post(
        reverse("teams:measure_upload", args=[team.pk, measure.pk]), {"file": upload}
    )
    assert response.status_code == 302
    assert list(measure.measurements.values_list("value", flat=True)) == [4, 3, 2]


def test_csv_with_bad_rows_lists_each_and_saves_nothing(client, team, leader):
    measure = Measure.objects.create(team=team, name="Antall fall", kind=MeasureKind.COUNT)
    client.force_login(leader)
    upload = SimpleUploadedFile(
        "fall.csv",
        (
            b"periode;verdi\n2026-09-01;4\n2026-13-01;3\n2026-11-01;-2\n2026-12-01;to\n"
            b"2026-09-15;5\n"
        ),
    )
    response = client.post(
        reverse("teams:measure_upload", args=[team.pk, measure.pk]), {"file": upload}
    )
    assert response.status_code == 200
    errors = response.context["form"].row_errors
    assert errors == [
        (3, "«2026-13-01» er ikke en dato."),
        (4, "Et antall er et helt tall, 0 eller mer."),
        (5, "«to» er ikke et tall."),
        (6, "Perioden 2026-09-01 står også på linje 2."),
    ]
    assert "Ingenting ble lagret" in response.content.decode()
    assert not Measurement.objects.exists()


def test_csv_without_the_right_columns_says_which(client, team, leader):
    measure = Measure.objects.create(team=team, name="Andel", kind=MeasureKind.PROPORTION)
    client.force_login(leader)
    upload = SimpleUploadedFile("a.csv", b"dato;verdi\n2026-09-01;4\n")
    response = client.post(
        reverse("teams:measure_upload", args=[team.pk, measure.pk]), {"file": upload}
    )
    assert response.context["form"].row_errors == [
        (1, "Første linje må navngi kolonnene: periode;teller;nevner.")
    ]


def test_a_file_that_is_not_csv_is_refused_with_a_message(client, team, leader):
    """A spreadsheet or a zip uploaded by mistake: a bare carriage return inside a
    field made the csv module raise, and the page answered 500 (found by the fuzz
    test, whose zip's bytes change with the clock)."""
    measure = Measure.objects.create(team=team, name="Antall fall", kind=MeasureKind.COUNT)
    client.force_login(leader)
    upload = SimpleUploadedFile("fall.xlsx", b"PK\x03\x04\x14\x00\r\x82]\xc7 ;\n\x00\x00")
    response = client.post(
        reverse("teams:measure_upload", args=[team.pk, measure.pk]), {"file": upload}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Filen kunne ikke leses som en CSV-fil. Lagre arket som CSV (semikolonseparert) "
        "og last opp den filen."
    ]
    assert not Measurement.objects.exists()


def test_a_pdsa_cycle_shows_on_its_measures_chart(client, team, leader, falls):
    client.force_login(leader)
    response = client.post(
        reverse("teams:pdsa_create", args=[team.pk]),
        {
            "change": "Sklisikre sokker til alle",
            "measure": falls.pk,
            "prediction": "Færre fall",
            "start_date": "2026-07-01",
            "end_date": "",
        },
    )
    assert response.status_code == 302
    assert PDSACycle.objects.get().team == team
    page = client.get(reverse("teams:team", args=[team.pk])).content.decode()
    assert "Sklisikre sokker til alle" in page
    assert ">PDSA 1</text>" in page


def test_pdsa_end_before_start_is_refused_and_kept(client, team, leader):
    client.force_login(leader)
    response = client.post(
        reverse("teams:pdsa_create", args=[team.pk]),
        {
            "change": "Tavlemøte hver morgen",
            "start_date": "2026-10-10",
            "end_date": "2026-10-01",
        },
    )
    assert response.context["form"].errors["end_date"] == ["Slutt kan ikke være før start."]
    assert 'value="Tavlemøte hver morgen"' in response.content.decode()


def test_team_page_query_count_does_not_grow(client, team, leader):
    client.force_login(leader)
    url = reverse("teams:team", args=[team.pk])

    def grow(count):
        for index in range(count):
            measure = Measure.objects.create(team=team, name=f"Måling {Measure.objects.count()}")
            for month in range(1, 7):
                Measurement.objects.create(
                    measure=measure, period_start=dt.date(2026, month, 1), value=month + index
                )
            PDSACycle.objects.create(
                team=team, measure=measure, change="Test", start_date=dt.date(2026, 2, 1)
            )
            TeamMemberFactory(team=team)

    grow(1)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    grow(4)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(response.context["charts"]) == 5
    assert len(small) == len(large)


def test_adding_a_member_with_email_sends_a_set_password_link(
    client, coordinator, team, django_capture_on_commit_callbacks
):
    from tests.factories import PersonFactory

    person = PersonFactory(centre=team.network.centre, name="Nina Ny", email="nina@kommune.no")
    client.force_login(coordinator)
    data = {
        "network": team.network.pk,
        "municipality": team.municipality.pk,
        "unit": team.unit,
        "name": "",
        "focus_area": team.focus_area.pk,
        "aim": "",
        "progress_plan": "",
        "members-TOTAL_FORMS": "1",
        "members-INITIAL_FORMS": "0",
        "members-0-person": person.pk,
        "members-0-role": "measurement_lead",
        "members-0-profession": "nurse",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:teams_team_change", args=[team.pk]), data)
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.to == ["nina@kommune.no"]
    assert "Velg passordet ditt her" in message.body
    link = re.search(r"http://\S+/konto/nytt-passord/\S+/", message.body).group(0)
    client.logout()
    form_page = client.get(link.split("8000", 1)[1], follow=True)
    assert "Velg et passord" in form_page.content.decode()
    person.refresh_from_db()
    assert person.user.email == "nina@kommune.no"


def test_password_reset_sends_a_norwegian_link(client, leader):
    response = client.post(
        reverse("security:password_reset"), {"email": "leder@kommune.no"}, follow=True
    )
    assert "Sjekk e-posten din" in response.content.decode()
    message = mail.outbox[-1]
    assert message.subject == "Velg nytt passord for USHT læringsnettverk"
    assert "/konto/nytt-passord/" in message.body
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
