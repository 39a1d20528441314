"""Entering measurements: the decimal comma on every number field of the workspace,
future and duplicate periods, corrections, more rows, and deleting a measure."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from network.models import MeasureKind
from teams.models import Measure, Measurement, PDSACycle, Role
from tests.factories import CoordinatorFactory, TeamMemberFactory, UserFactory
from tests.teams.test_workspace import grid_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    """2 December 2026: December's point may be entered, January's not yet."""
    with time_machine.travel(dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


def member(team, role, email):
    return TeamMemberFactory(
        team=team, role=role, person__user=UserFactory(email=email)
    ).person.user


@pytest.fixture
def leader(team):
    return member(team, Role.TEAM_LEADER, "leder@kommune.no")


@pytest.fixture
def lead(team):
    return member(team, Role.MEASUREMENT_LEAD, "maler@kommune.no")


def measure_of(team, kind=MeasureKind.COUNT, **fields):
    return Measure.objects.create(team=team, name=f"Måling {kind}", kind=kind, **fields)


def test_the_goal_and_baseline_read_the_decimal_comma(client, team, leader):
    """The goal "12,5" is twelve and a half; it used to become 125 without a word."""
    client.force_login(leader)
    url = reverse("teams:measure_create", args=[team.pk])
    page = client.get(url).content.decode()
    assert 'name="goal"' in page and 'inputmode="decimal"' in page and 'type="number"' not in page
    fields = {"name": "Andel", "kind": "proportion", "period": "month", "direction": "up"}
    response = client.post(url, {**fields, "goal": "12,5", "baseline_points": "1 2"})
    assert response.context["form"].errors == {
        "baseline_points": ["Skriv et helt tall, for eksempel 12."]
    }
    page = response.content.decode()
    assert 'value="12,5"' in page  # kept as typed
    assert page.count("Skriv et helt tall, for eksempel 12.") == 1  # by its field, once
    assert "Ingenting er lagret ennå. Rett opp feltene som er merket med rødt nedenfor." in page
    response = client.post(url, {**fields, "goal": "12,5,3", "baseline_points": "12"})
    assert response.context["form"].errors == {
        "goal": ["Skriv et tall, for eksempel 12,5 eller 1 234,5."]
    }
    response = client.post(url, {**fields, "goal": "1 012,5", "baseline_points": "12"})
    assert response.status_code == 302
    measure = Measure.objects.get(team=team)
    assert (measure.goal, measure.baseline_points) == (Decimal("1012.5"), 12)
    page = client.get(reverse("teams:measure", args=[team.pk, measure.pk])).content.decode()
    assert "Mål: 1012,5" in page


@pytest.mark.parametrize("text", ["12,5", "12.5", "1 234,5", "1\u00a0234,5", "abc", "12,5,3"])
def test_the_grid_reads_numerator_denominator_and_value_alike(client, team, leader, text):
    proportion = measure_of(team, MeasureKind.PROPORTION)
    value = measure_of(team, MeasureKind.VALUE)
    client.force_login(leader)
    expected = {"12,5": "12.5", "12.5": "12.5", "1 234,5": "1234.5", "1\u00a0234,5": "1234.5"}
    for measure, row in (
        (proportion, {"numerator": text, "denominator": "2000"}),
        (proportion, {"numerator": "1", "denominator": text}),
        (value, {"value": text}),
    ):
        url = reverse("teams:measure", args=[team.pk, measure.pk])
        response = client.post(url, grid_data([{"period_start": "2026-09-01", **row}]))
        field = next(name for name, typed in row.items() if typed == text)
        if text in expected:
            assert response.status_code == 302
            point = measure.measurements.get()
            assert getattr(point, field) == Decimal(expected[text])
            point.delete()
        else:
            grid = response.context["grid"]
            assert grid.forms[0].errors == {
                field: ["Skriv et tall, for eksempel 12,5 eller 1 234,5."]
            }
            assert f'value="{text}"' in response.content.decode()
            assert not measure.measurements.exists()


def test_the_grid_shows_counts_without_decimals_and_values_with_the_comma(client, team, leader):
    count = measure_of(team, MeasureKind.COUNT)
    Measurement.objects.create(measure=count, period_start=dt.date(2026, 9, 1), value=5)
    value = measure_of(team, MeasureKind.VALUE)
    Measurement.objects.create(measure=value, period_start=dt.date(2026, 9, 1), value="12.50")
    client.force_login(leader)
    page = client.get(reverse("teams:measure", args=[team.pk, count.pk])).content.decode()
    assert 'value="5"' in page and "5,00" not in page and "5.00" not in page
    page = client.get(reverse("teams:measure", args=[team.pk, value.pk])).content.decode()
    assert 'value="12,5"' in page


def test_the_csv_import_reads_numbers_with_the_same_parser(client, team, leader):
    measure = measure_of(team, MeasureKind.VALUE)
    client.force_login(leader)
    upload = SimpleUploadedFile(
        "v.csv", "periode;verdi\n2026-09-01;12,5\n2026-10-01;1\u00a0234,5\n".encode()
    )
    url = reverse("teams:measure_upload", args=[team.pk, measure.pk])
    assert client.post(url, {"file": upload}).status_code == 302
    assert list(measure.measurements.values_list("value", flat=True)) == [
        Decimal("12.5"),
        Decimal("1234.5"),
    ]
    upload = SimpleUploadedFile("v.csv", b"periode;verdi\n2026-11-01;12,5,3\n")
    response = client.post(url, {"file": upload})
    assert response.context["form"].row_errors == [(2, "«12,5,3» er ikke et tall.")]


def test_a_future_period_is_refused_on_its_field(client, team, leader):
    measure = measure_of(team)
    client.force_login(leader)
    url = reverse("teams:measure", args=[team.pk, measure.pk])
    response = client.post(
        url,
        grid_data(
            [
                {"period_start": "2026-12-01", "value": "3"},  # the current month: fine
                {"period_start": "2027-01-01", "value": "4"},
                {"period_start": "2027-02-01", "value": ""},  # a blank row ahead: fine
            ]
        ),
    )
    grid = response.context["grid"]
    assert [form.errors for form in grid.forms] == [
        {},
        {
            "period_start": [
                "Denne perioden har ikke begynt ennå (den starter 1. januar 2027): et punkt "
                "kan ikke føres for framtiden. Sjekk datoen."
            ]
        },
        {},
    ]
    assert not measure.measurements.exists()
    upload = SimpleUploadedFile("f.csv", b"periode;verdi\n2027-03-01;2\n")
    response = client.post(
        reverse("teams:measure_upload", args=[team.pk, measure.pk]), {"file": upload}
    )
    assert (
        response.context["form"]
        .row_errors[0][1]
        .startswith("Denne perioden har ikke begynt ennå (den starter 1. mars 2027)")
    )
    assert not measure.measurements.exists()


def test_blank_rows_never_continue_from_a_future_point(client, team, leader):
    measure = measure_of(team)
    Measurement.objects.create(measure=measure, period_start=dt.date(2026, 10, 1), value=2)
    Measurement.objects.create(measure=measure, period_start=dt.date(2062, 1, 1), value=9)
    client.force_login(leader)
    grid = client.get(reverse("teams:measure", args=[team.pk, measure.pk])).context["grid"]
    starts = [row["period_start"] for row in grid.initial]
    assert starts[:3] == [dt.date(2026, 10, 1), dt.date(2026, 11, 1), dt.date(2026, 12, 1)]
    assert starts[-1] == dt.date(2062, 1, 1) and dt.date(2062, 2, 1) not in starts
    # "Add rows" without the script: the rows come back as typed, with more after
    # the latest date that is not in the future.
    response = client.post(
        reverse("teams:measure", args=[team.pk, measure.pk]),
        {
            **grid_data(
                [
                    {"period_start": "2026-10-01", "value": "2,5"},
                    {"period_start": "2062-05-01", "value": "7"},
                ]
            ),
            "add_rows": "1",
        },
    )
    grid = response.context["grid"]
    assert [form.initial.get("value") for form in grid.forms[:2]] == ["2,5", "7"]
    assert [form.initial["period_start"] for form in grid.forms[2:]] == [
        dt.date(2026, month, 1) for month in (11, 12)
    ] + [dt.date(2027, month, 1) for month in (1, 2, 3, 4)]
    assert 'value="2,5"' in response.content.decode()
    assert measure.measurements.count() == 2  # nothing saved


def test_a_duplicate_period_is_flagged_next_to_the_row(client, team, leader):
    measure = measure_of(team)
    client.force_login(leader)
    response = client.post(
        reverse("teams:measure", args=[team.pk, measure.pk]),
        grid_data(
            [
                {"period_start": "2026-09-01", "value": "3"},
                {"period_start": "2026-10-01", "value": "x"},
                {"period_start": "2026-09-15", "value": "4"},  # the same month as row 1
            ]
        ),
    )
    grid = response.context["grid"]
    assert grid.forms[2].errors == {"period_start": ["Denne perioden står også i rad 1."]}
    page = response.content.decode()
    assert page.count("Denne perioden står også i rad 1.") == 1
    assert 'aria-describedby="id_form-2-period_start_error"' in page
    assert not measure.measurements.exists()


def test_a_point_is_corrected_and_moved(client, team, lead):
    measure = measure_of(team)
    Measurement.objects.create(measure=measure, period_start=dt.date(2026, 9, 1), value=3)
    Measurement.objects.create(measure=measure, period_start=dt.date(2026, 10, 1), value=4)
    client.force_login(lead)
    url = reverse("teams:measure", args=[team.pk, measure.pk])
    page = client.get(url).content.decode()
    assert 'name="form-0-original" value="2026-09-01"' in page
    response = client.post(
        url,
        grid_data(
            [
                {"period_start": "2026-08-01", "value": "3", "original": "2026-09-01"},
                {"period_start": "2026-10-01", "value": "5", "original": "2026-10-01"},
            ]
        ),
    )
    assert response.status_code == 302
    assert list(measure.measurements.values_list("period_start", "value")) == [
        (dt.date(2026, 8, 1), 3),
        (dt.date(2026, 10, 1), 5),
    ]


def test_the_team_leader_deletes_a_measure_after_a_confirmation(client, team, leader):
    measure = measure_of(team)
    Measurement.objects.create(measure=measure, period_start=dt.date(2026, 9, 1), value=3)
    cycle = PDSACycle.objects.create(
        team=team, measure=measure, change="Test", start_date=dt.date(2026, 9, 1)
    )
    client.force_login(leader)
    url = reverse("teams:measure_delete", args=[team.pk, measure.pk])
    detail = client.get(reverse("teams:measure", args=[team.pk, measure.pk])).content.decode()
    assert url in detail
    page = client.get(url).content.decode()
    assert "Slette målingen «Måling count»?" in page
    assert "Det 1 punktet slettes sammen med den." in page
    assert "1 PDSA-syklus blir stående i PDSA-loggen" in page
    assert Measure.objects.filter(pk=measure.pk).exists()  # a GET deletes nothing
    response = client.post(url, follow=True)
    assert "Målingen Måling count ble slettet, med sitt 1 punkt." in response.content.decode()
    assert not Measure.objects.filter(pk=measure.pk).exists()
    assert not Measurement.objects.exists()
    cycle.refresh_from_db()
    assert cycle.measure is None


def test_only_the_team_leader_or_a_coordinator_deletes(client, team, lead, network, outsider):
    measure = measure_of(team)
    url = reverse("teams:measure_delete", args=[team.pk, measure.pk])
    plain = member(team, Role.MEMBER, "medlem@kommune.no")
    for user in (lead, plain):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
        detail = client.get(reverse("teams:measure", args=[team.pk, measure.pk]))
        assert url not in detail.content.decode()
    client.force_login(outsider)
    assert client.post(url).status_code == 404
    assert Measure.objects.filter(pk=measure.pk).exists()
    coordinator = CoordinatorFactory(
        centre=network.centre, person__user=UserFactory(email="k@usht.no")
    ).person.user
    client.force_login(coordinator)
    assert client.post(url).status_code == 302
    assert not Measure.objects.filter(pk=measure.pk).exists()
