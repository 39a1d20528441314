"""A measure's control chart: the choice of chart, its words, its SVG and its pages."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import translation

from network.models import MeasureKind, RecommendedMeasure
from teams.charts import measure_chart
from teams.models import ChartType, Measure, Measurement, Role
from tests.factories import TeamMemberFactory, UserFactory

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def leader(team):
    return TeamMemberFactory(
        team=team, role=Role.TEAM_LEADER, person__user=UserFactory(email="leder@kommune.no")
    ).person.user


def month(index):
    return dt.date(2026 + index // 12, index % 12 + 1, 1)


@pytest.fixture
def assessed(team):
    """A P chart: 9/10, 18/20, 45/50, 10/20 assessed (the figures of test_controlchart)."""
    measure = Measure.objects.create(
        team=team, name="Andel vurdert", kind=MeasureKind.PROPORTION, chart=ChartType.P
    )
    for index, (numerator, denominator) in enumerate([(9, 10), (18, 20), (45, 50), (10, 20)]):
        Measurement.objects.create(
            measure=measure,
            period_start=month(index),
            numerator=numerator,
            denominator=denominator,
        )
    return measure


def shapes(svg_markup):
    """The <svg> elements of the markup, each as (title, polygons, polylines)."""
    root = ET.fromstring(f"<div>{svg_markup}</div>")
    return [
        (
            svg.find(f"{SVG}title").text,
            len(svg.findall(f"{SVG}polygon")),
            len(svg.findall(f"{SVG}polyline")),
        )
        for svg in root.findall(f"{SVG}svg")
    ]


def test_a_p_chart_names_its_signal_and_says_its_limits_are_provisional(assessed):
    with translation.override("nb"):
        chart = measure_chart(assessed)
    assert chart["analysis"].kind == "p" and chart["analysis"].signal
    # p̄ = 82 %; April's 50 % is below its limit of 56,23 % (n = 20).
    assert chart["description"] == (
        "P-diagram, 4 punkter. Senterlinje 82 %; grensene følger nevneren i hver periode, "
        "i siste periode 56,23 % til 100 %. Signal: 1 punkt utenfor grensene: "
        "Apr 2026 (50 %, under). Grensene er foreløpige: de bygger på færre enn 20 punkter."
    )
    [(title, diamonds, lines)] = shapes(chart["svg"])
    assert title == "P-diagram: Andel vurdert"
    assert diamonds == 1 + 1  # the point and the legend's sample
    assert lines == 1 + 3  # the values; the upper and lower limits and the centre line
    assert "Foreløpige grenser" in chart["svg"]


def test_twenty_points_are_no_longer_provisional(team):
    measure = Measure.objects.create(team=team, name="Fall", chart=ChartType.C)
    for index in range(20):
        Measurement.objects.create(measure=measure, period_start=month(index), value=index % 3)
    with translation.override("nb"):
        chart = measure_chart(measure)
    assert not chart["provisional"]
    assert "foreløpige" not in chart["description"]
    # c̄ = 19/20 = 0,95; UCL 0,95 + 3 √0,95 = 3,87; every count within.
    assert "C-diagram, 20 punkter. Senterlinje 0,95, grenser 0 til 3,87." in chart["description"]
    assert "Ingen signal: variasjonen er tilfeldig" in chart["description"]


def test_an_i_chart_has_its_moving_ranges_beneath(team):
    measure = Measure.objects.create(
        team=team, name="Ventetid", kind=MeasureKind.VALUE, chart=ChartType.I
    )
    for index, value in enumerate([5, 7, 6, 8, 6, 7, 5, 7, 6, 18]):
        Measurement.objects.create(measure=measure, period_start=month(index), value=value)
    with translation.override("nb"):
        chart = measure_chart(measure)
    titles = [title for title, _d, _l in shapes(chart["svg"])]
    assert titles == ["I-diagram: Ventetid", "Variasjonsbredder: Ventetid"]
    # Figures of test_controlchart: limits 3,18 – 11,82; moving ranges' mean 25/9 = 2,78,
    # upper limit 3.267 × 25/9 = 9.075; October's 18 is beyond both.
    assert "Senterlinje 7,5, grenser 3,18 til 11,82." in chart["description"]
    assert "Signal: 1 punkt utenfor grensene: Okt 2026 (18, over)." in chart["description"]
    assert "gjennomsnitt 2,78, øvre grense 9,08." in chart["description"]
    assert "1 variasjonsbredde over grensen: Okt 2026 (12, over)." in chart["description"]


def test_few_crossings_are_counted_in_words_once_or_many_times(team):
    measure = Measure.objects.create(
        team=team, name="Skår", kind=MeasureKind.VALUE, chart=ChartType.I
    )
    values = [10, 11, 9, 12, 10, 11, 9, 10, 20, 21, 22, 20, 19, 21, 23, 22]
    for index, value in enumerate(values):
        Measurement.objects.create(measure=measure, period_start=month(index), value=value)
    with translation.override("nb"):
        description = measure_chart(measure)["description"]
    assert "krysser senterlinjen bare 1 gang (minst 4 forventet)" in description
    assert "16 punkter på rad" not in description and "8 punkter på rad" in description


def test_an_existing_measure_keeps_its_run_chart(team):
    measure = Measure.objects.create(team=team, name="Fall")
    assert measure.chart == ChartType.RUN
    Measurement.objects.create(measure=measure, period_start=month(0), value=3)
    with translation.override("nb"):
        chart = measure_chart(measure)
    assert chart["description"].startswith("1 punkt; median 3.")


def create(client, team, **fields):
    data = {"name": "Ny måling", "definition": "", "kind": "count", "period": "month"}
    data.update(direction="down", goal="", baseline_points="", chart="")
    data.update(fields)
    return client.post(reverse("teams:measure_create", args=[team.pk]), data)


@pytest.mark.parametrize(
    "kind, chosen, stored",
    [
        ("proportion", "", "p"),
        ("count", "", "c"),
        ("value", "", "i"),
        ("count", "run", "run"),
        ("proportion", "up", "up"),
    ],
)
def test_the_type_proposes_a_chart_and_the_team_may_choose(
    client, team, leader, kind, chosen, stored
):
    client.force_login(leader)
    response = create(client, team, kind=kind, chart=chosen)
    assert response.status_code == 302
    assert Measure.objects.get(team=team).chart == stored


def test_a_recommended_measure_proposes_the_chart_of_its_own_type(client, team, leader):
    recommended = RecommendedMeasure.objects.get(name="Andel pasienter risikovurdert for fall")
    client.force_login(leader)
    response = create(client, team, recommended=recommended.pk, name="", kind="count")
    assert response.status_code == 302
    assert Measure.objects.get(team=team).chart == ChartType.P


def test_a_chart_that_does_not_fit_the_type_is_refused_next_to_its_field(client, team, leader):
    client.force_login(leader)
    with translation.override("nb"):
        response = create(client, team, kind="value", chart="p", name="Ventetid")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        "chart": ["Et P-diagram trenger teller og nevner: velg det for en andel."]
    }
    page = response.content.decode()
    assert 'value="Ventetid"' in page  # nothing typed is lost
    assert not Measure.objects.filter(team=team).exists()


def test_the_form_says_when_to_use_each_chart(client, team, leader):
    client.force_login(leader)
    with translation.override("nb"):
        page = client.get(reverse("teams:measure_create", args=[team.pk])).content.decode()
    assert "P′-diagram: for en andel med store nevnere" in page
    assert "C-diagram: for antall hendelser i omtrent like store perioder" in page
    assert (
        "Foreslått for typen: P for andel, U for rate, C for antall, I for verdi, "
        "T for sjeldne hendelser" in page
    )
    assert "T-diagram: for sjeldne hendelser, som trykksår" in page
    assert "G-diagram: for sjeldne hendelser talt i tilfeller" in page
    assert "U-diagram: for hendelser per eksponering, som fall per 1000 liggedøgn" in page


def test_the_team_page_shows_the_control_chart(client, team, leader, assessed):
    client.force_login(leader)
    page = client.get(reverse("teams:team", args=[team.pk])).content.decode()
    assert "P-diagram: Andel vurdert" in page
    assert "Signal: 1 punkt utenfor grensene: Apr 2026 (50 %, under)." in page
