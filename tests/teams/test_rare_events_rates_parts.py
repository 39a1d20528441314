"""Rare events (G and T charts from the events' dates), rates per exposure (a U chart),
parts with their own centre line, excluded points, PDSA spans and the SVG download.
Expected figures worked out by hand in the comments."""

import datetime as dt
import math
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from network.models import MeasureKind
from teams import services
from teams.charts import Point, measure_chart, team_charts
from teams.forms import EventsForm, MeasureForm
from teams.models import ChartType, Measure, Measurement, PDSACycle, Role
from teams.rare_events import g_series, t_series
from tests.factories import TeamMemberFactory, UserFactory

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"
D = dt.date


@pytest.fixture
def leader(team):
    return TeamMemberFactory(
        team=team, role=Role.TEAM_LEADER, person__user=UserFactory(email="leder@kommune.no")
    ).person.user


@pytest.fixture
def member(team):
    return TeamMemberFactory(
        team=team, role=Role.MEMBER, person__user=UserFactory(email="medlem@kommune.no")
    ).person.user


def month(index):
    return D(2026 + index // 12, index % 12 + 1, 1)


# --- Rare events ------------------------------------------------------------------------


def test_the_t_series_is_the_days_between_the_events():
    # 1 Jan → 11 Jan: 10 days; a second event on 11 Jan: half a day; → 31 Jan: 20 days.
    events = [(D(2026, 1, 31), None), (D(2026, 1, 1), 1), (D(2026, 1, 11), 2)]
    assert t_series(events) == [
        (D(2026, 1, 11), 10),
        (D(2026, 1, 11), 0.5),
        (D(2026, 1, 31), 20),
    ]
    assert t_series([(D(2026, 1, 1), 1)]) == []  # one event: no time between yet


def test_the_g_series_is_the_cases_between_the_events_in_date_order():
    events = [(D(2026, 3, 20), 45), (D(2026, 1, 10), 30), (D(2026, 2, 3), None)]
    assert g_series(events) == [(D(2026, 1, 10), 30), (D(2026, 2, 3), None), (D(2026, 3, 20), 45)]


def events_measure(team, chart, events):
    measure = Measure.objects.create(
        team=team, name="Trykksår", kind=MeasureKind.EVENTS, chart=chart, direction="up"
    )
    services.save_events(measure, events)
    return measure


def test_a_g_chart_from_the_cases_between_events(team):
    # Cases 30, 12, 45, 20: mean ḡ = 26,75; sigma √(26,75 × 27,75) = 27,2454; UCL =
    # 26,75 + 3 × 27,2454 = 108,49; LCL 0 (26,75 − 81,74 < 0); the line drawn is the
    # median, (20 + 30) / 2 = 25.
    measure = events_measure(
        team,
        ChartType.G,
        [(D(2026, 1, 10), 30), (D(2026, 2, 3), 12), (D(2026, 3, 20), 45), (D(2026, 4, 9), 20)],
    )
    with translation.override("nb"):
        chart = measure_chart(measure)
    analysis = chart["analysis"]
    assert analysis.y == [30, 12, 45, 20]
    assert analysis.cl == [25] * 4
    assert analysis.ucl[0] == pytest.approx(26.75 + 3 * math.sqrt(26.75 * 27.75))
    assert analysis.ucl[0] == pytest.approx(108.49, abs=0.01)
    assert analysis.lcl == [0.0] * 4
    assert chart["figure"].labels == ["10.01.2026", "03.02.2026", "20.03.2026", "09.04.2026"]
    assert chart["description"].startswith("G-diagram, 4 punkter. Senterlinje 25, grenser 0")


def test_a_t_chart_from_the_dates_alone(team):
    # 1 Jan, 11 Jan, 31 Jan, 2 Mar: 10, 20 and 30 days between.
    measure = events_measure(
        team,
        ChartType.T,
        [(D(2026, 1, 1), 1), (D(2026, 1, 11), 1), (D(2026, 1, 31), 1), (D(2026, 3, 2), 1)],
    )
    with translation.override("nb"):
        chart = measure_chart(measure)
    assert chart["analysis"].y == [10, 20, 30]
    assert chart["figure"].labels == ["11.01.2026", "31.01.2026", "02.03.2026"]
    assert chart["description"].startswith("T-diagram, 3 punkter.")
    # The team page draws it too, from the same two queries.
    (charts, _cycles) = team_charts([team])[team.pk]
    assert charts[0]["analysis"].y == [10, 20, 30]


def test_the_events_form_reads_norwegian_dates_and_names_each_wrong_line(team):
    measure = Measure.objects.create(
        team=team, name="Fall", kind=MeasureKind.EVENTS, chart=ChartType.T
    )
    today = D(2026, 6, 1)
    form = EventsForm(
        {"events": "12.03.2026\n\n1.3.2026\n12.03.2026\n"}, measure=measure, today=today
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["events"] == [(D(2026, 3, 1), 1), (D(2026, 3, 12), 2)]
    with translation.override("nb"):
        form = EventsForm(
            {"events": "12.03.2026\n31.02.2026\n01.07.2026\n2026-03-14"},
            measure=measure,
            today=today,
        )
        assert not form.is_valid()
        assert form.errors["events"] == [
            "Linje 2: «31.02.2026» er ikke en dato; skriv den som 12.03.2026.",
            "Linje 3: 01.07.2026 er fram i tid.",
        ]


def test_the_g_form_takes_the_cases_after_a_semicolon(team):
    measure = Measure.objects.create(
        team=team, name="Infeksjoner", kind=MeasureKind.EVENTS, chart=ChartType.G
    )
    form = EventsForm(
        {"events": "12.03.2026; 45\n02.04.2026;1 200\n20.04.2026"},
        measure=measure,
        today=D(2026, 6, 1),
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["events"] == [
        (D(2026, 3, 12), Decimal(45)),
        (D(2026, 4, 2), Decimal(1200)),
        (D(2026, 4, 20), None),
    ]
    with translation.override("nb"):
        form = EventsForm(
            {"events": "12.03.2026; 4,5\n12.03.2026; 3"}, measure=measure, today=D(2026, 6, 1)
        )
        assert not form.is_valid()
        assert form.errors["events"] == ["Linje 1: «4,5» er ikke et helt antall tilfeller."]


def test_the_team_leader_enters_the_events_and_sees_the_chart(client, team, leader):
    measure = Measure.objects.create(
        team=team, name="Trykksår", kind=MeasureKind.EVENTS, chart=ChartType.T
    )
    url = reverse("teams:measure", args=[team.pk, measure.pk])
    client.force_login(leader)
    bad = client.post(url, {"events": "01.01.2026\n11.13.2026"})
    page = bad.content.decode()
    assert "Linje 2: «11.13.2026» er ikke en dato" in page
    assert "01.01.2026\n11.13.2026</textarea>" in page  # nothing typed is lost
    assert measure.measurements.count() == 0
    response = client.post(url, {"events": "01.01.2026\n11.01.2026\n31.01.2026"}, follow=True)
    page = response.content.decode()
    assert "Lagret 3 datoer med hendelser." in page
    assert "T-diagram, 2 punkter." in page
    assert "01.01.2026\n11.01.2026\n31.01.2026</textarea>" in page


def test_members_see_the_events_but_only_data_roles_save_and_outsiders_get_404(
    client, team, member, outsider
):
    measure = events_measure(team, ChartType.T, [(D(2026, 1, 1), 1)])
    url = reverse("teams:measure", args=[team.pk, measure.pk])
    client.force_login(member)
    assert "01.01.2026</pre>" in client.get(url).content.decode()
    assert client.post(url, {"events": ""}).status_code == 403
    assert measure.measurements.count() == 1
    client.force_login(outsider)
    assert client.get(url).status_code == 404


# --- Rates ------------------------------------------------------------------------------


@pytest.fixture
def falls(team):
    """Falls per 1,000 bed-days: 3 in 900, 5 in 1,100, 2 in 1,000 bed-days."""
    measure = Measure.objects.create(
        team=team,
        name="Fall per 1000 liggedøgn",
        kind=MeasureKind.RATE,
        chart=ChartType.U,
        rate_per=1000,
        direction="down",
    )
    for index, (events, exposure) in enumerate([(3, 900), (5, 1100), (2, 1000)]):
        Measurement.objects.create(
            measure=measure, period_start=month(index), numerator=events, denominator=exposure
        )
    return measure


def test_a_u_chart_of_falls_per_1000_bed_days(falls):
    # ū = 10 / 3000 = 3,333 per 1000. n = 900: sigma √(0,003333 / 900) = 0,0019245,
    # UCL 3,333 + 5,7735 = 9,107; n = 1100: 3,333 + 5,2223 = 8,556; n = 1000: 8,811.
    with translation.override("nb"):
        chart = measure_chart(falls)
    analysis = chart["analysis"]
    assert analysis.y == pytest.approx([3.3333, 4.5455, 2.0], abs=1e-4)
    assert analysis.cl == pytest.approx([10 / 3] * 3)
    assert analysis.ucl == pytest.approx([9.1068, 8.5557, 8.8105], abs=1e-4)
    assert analysis.lcl == [0.0] * 3
    assert "U-diagram, 3 punkter. Senterlinje 3,33; grensene følger" in chart["description"]


def test_a_run_chart_of_a_rate_plots_per_1000(falls):
    falls.chart = ChartType.RUN
    chart = measure_chart(falls)
    assert chart["figure"].values == pytest.approx([3.3333, 4.5455, 2.0], abs=1e-4)
    assert chart["analysis"]["centre"] == pytest.approx(3.3333, abs=1e-4)


def test_the_measure_form_proposes_a_u_chart_for_a_rate(team):
    form = MeasureForm(
        {
            "name": "Fall per liggedøgn",
            "kind": "rate",
            "period": "month",
            "direction": "down",
            "goal": "2,5",
            "rate_per": "1 000",
        },
        team=team,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["chart"] == ChartType.U
    assert form.cleaned_data["rate_per"] == 1000
    assert form.cleaned_data["goal"] == Decimal("2.5")
    form = MeasureForm(
        {"name": "Fall", "kind": "rate", "period": "month", "direction": "down", "chart": "c"},
        team=team,
    )
    assert not form.is_valid() and "chart" in form.errors


def test_the_grid_of_a_rate_asks_for_events_and_exposure(client, team, leader, falls):
    client.force_login(leader)
    page = client.get(reverse("teams:measure", args=[team.pk, falls.pk])).content.decode()
    assert '<th scope="col">Hendelser</th><th scope="col">Eksponering</th>' in page


# --- Parts and excluded points ----------------------------------------------------------


def counts(team, values, *, parts=(), excluded=(), chart=ChartType.RUN):
    measure = Measure.objects.create(
        team=team, name=f"Antall {chart}", kind=MeasureKind.COUNT, chart=chart
    )
    for index, value in enumerate(values):
        Measurement.objects.create(
            measure=measure,
            period_start=month(index),
            value=value,
            new_part=index in parts,
            excluded=index in excluded,
        )
    return measure


def test_a_run_chart_with_two_parts_has_the_median_of_each(team):
    # Part 1: 10, 12, 11, 13, 12 → median 12; part 2: 20, 22, 21, 23, 22 → median 22
    # (the whole series' median would be 16,5).
    measure = counts(team, [10, 12, 11, 13, 12, 20, 22, 21, 23, 22], parts=[5])
    with translation.override("nb"):
        chart = measure_chart(measure)
    parts = chart["analysis"]["parts"]
    assert [(p["start"], p["end"], p["centre"]) for p in parts] == [(0, 5, 12), (5, 10, 22)]
    assert chart["figure"].centre_line == [12] * 5 + [22] * 5
    assert chart["figure"].part_starts == [5]
    assert "Del 1: 5 punkter; median 12. Del 2: 5 punkter; median 22." in chart["description"]
    assert 'class="part-start"' in chart["svg"]


def test_a_p_chart_with_two_parts_has_the_centre_of_each(team):
    # Part 1: 5, 6, 4 of 10 → p̄ 15/30 = 50 %; part 2: 8, 9, 7 of 10 → 24/30 = 80 %.
    measure = Measure.objects.create(
        team=team, name="Andel", kind=MeasureKind.PROPORTION, chart=ChartType.P
    )
    for index, numerator in enumerate([5, 6, 4, 8, 9, 7]):
        Measurement.objects.create(
            measure=measure,
            period_start=month(index),
            numerator=numerator,
            denominator=10,
            new_part=index == 3,
        )
    analysis = measure_chart(measure)["analysis"]
    assert analysis.cl == pytest.approx([50, 50, 50, 80, 80, 80])
    assert [(part.start, part.end) for part in analysis.parts] == [(0, 3), (3, 6)]


def test_an_excluded_point_is_drawn_but_left_out_of_the_median(team):
    # 10, 12, (50), 11, 13: the median of 10, 12, 11, 13 is 11,5 (with 50 it would be 12).
    measure = counts(team, [10, 12, 50, 11, 13], excluded=[2])
    with translation.override("nb"):
        chart = measure_chart(measure)
    assert chart["analysis"]["centre"] == 11.5
    assert chart["analysis"]["n_obs"] == 4
    assert chart["figure"].values[2] == 50
    assert chart["svg"].count('class="excluded"') == 1
    assert "1 punkt er utelatt fra analysen." in chart["description"]
    control = counts(team, [10, 12, 50, 11, 13], excluded=[2], chart=ChartType.C)
    assert measure_chart(control)["analysis"].cl[0] == pytest.approx(11.5)  # mean of four


def test_the_team_leader_marks_a_new_part_with_its_reason(client, team, leader, member):
    measure = counts(team, [10, 12, 11, 13, 12, 20, 22, 21, 23, 22])
    url = reverse("teams:measure_mark", args=[team.pk, measure.pk])
    client.force_login(leader)
    page = client.post(url, {"period": "2026-06-01", "new_part": "on"}).content.decode()
    assert "Si hvorfor: endringen som varte, eller hvorfor punktet utelates." in page
    assert not measure.measurements.filter(new_part=True).exists()
    response = client.post(
        url,
        {"period": "2026-06-01", "new_part": "on", "note": "Ny rutine fra juni"},
        follow=True,
    )
    page = response.content.decode()
    assert "Merkingen av punktet er lagret." in page
    assert "Ny rutine fra juni" in page
    assert "Del 2: 5 punkter; median 22." in page
    client.force_login(member)
    assert (
        client.post(url, {"period": "2026-01-01", "excluded": "on", "note": "x"}).status_code == 403
    )


def test_marking_a_point_that_is_gone_saves_nothing(team):
    measure = counts(team, [1, 2])
    assert services.mark_point(measure, month(1), new_part=True, excluded=False, note="Endring")
    assert not services.mark_point(measure, month(5), new_part=True, excluded=False, note="x")


# --- PDSA cycles and the download -------------------------------------------------------


def test_pdsa_cycles_are_spans_numbered_once_for_the_team(team):
    first = counts(team, [1, 2, 3, 4, 5, 6])
    second = counts(team, [1, 2, 3, 4, 5, 6], chart=ChartType.C)
    PDSACycle.objects.create(
        team=team, measure=first, change="A", start_date=month(1), end_date=D(2026, 3, 15)
    )
    PDSACycle.objects.create(team=team, measure=second, change="B", start_date=month(2))
    charts = {c["measure"].pk: c for c in team_charts([team])[team.pk][0]}
    assert charts[first.pk]["figure"].annotations == [(1, "PDSA 1")]
    assert charts[first.pk]["figure"].spans == [(1, 2)]  # February to mid-March
    assert charts[second.pk]["figure"].annotations == [(2, "PDSA 2")]
    assert charts[second.pk]["figure"].spans == [(2, 5)]  # still running: to the last point
    assert charts[first.pk]["svg"].count('class="pdsa-span"') == 1


def test_the_chart_downloads_as_an_svg_file(client, team, member, outsider):
    measure = counts(team, [1, 2, 3])
    url = reverse("teams:measure_svg", args=[team.pk, measure.pk])
    client.force_login(member)
    response = client.get(url)
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="antall-run.svg"'
    root = ET.fromstring(response.content)
    assert root.tag == f"{SVG}svg"
    assert root.get("width") == "720" and root.get("height") == "300"
    assert root.find(f"{SVG}title").text.startswith("Run chart") or root.find(
        f"{SVG}title"
    ).text.startswith("Seriediagram")
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_points_are_plain_tuples():
    assert Point(D(2026, 1, 1), 1).excluded is False
