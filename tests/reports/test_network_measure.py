"""The network's view of one measure: a small chart per team, and the pooled chart."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from network.models import RecommendedMeasure
from teams.models import ChartType, Measure, Measurement, Role
from tests.factories import TeamFactory, TeamMemberFactory, UserFactory

pytestmark = pytest.mark.django_db
NAME = "Andel pasienter risikovurdert for fall"


def month(index):
    return dt.date(2026, index + 1, 1)


def track(network, unit, series, chart=ChartType.P):
    """A team of ``unit`` that tracks the recommended proportion: (numerator, denominator)s."""
    team = TeamFactory(network=network, unit=unit)
    measure = Measure.objects.create(
        team=team,
        recommended=RecommendedMeasure.objects.get(name=NAME),
        name=NAME,
        kind="proportion",
        chart=chart,
    )
    for index, (numerator, denominator) in enumerate(series):
        Measurement.objects.create(
            measure=measure, period_start=month(index), numerator=numerator, denominator=denominator
        )
    return team


@pytest.fixture
def three(network):
    return [
        track(network, "Bjørka", [(5, 10), (6, 10), (7, 10)]),  # 50 → 70 %
        track(network, "Aspa", [(9, 10), (9, 10)], chart=ChartType.RUN),  # 90 → 90 %
        track(network, "Cedern", [(2, 10), (3, 10), (6, 10), (0, 10)]),  # 20 → 0 %
    ]


def url(network, name=NAME):
    return reverse(
        "reports:network_measure", args=[network.pk, RecommendedMeasure.objects.get(name=name).pk]
    )


def test_each_team_on_one_scale_sorted_and_the_pooled_chart(client, coordinator, network, three):
    client.force_login(coordinator)
    overview = client.get(reverse("reports:network_reports", args=[network.pk])).content.decode()
    assert url(network) in overview and "3 team" in overview

    response = client.get(url(network))
    rows = response.context["rows"]
    assert [row["team"].unit for row in rows] == ["Aspa", "Bjørka", "Cedern"]
    for row in rows:
        assert f'<title id="team-{row["team"].pk}-title">{row["team"]}</title>' in row["svg"]
    assert len({first_grid_line(row) for row in rows}) == 1  # one scale for every team
    assert [row["signal"] for row in rows] == [False, False, False]
    page = response.content.decode()
    assert "3 team følger denne målingen." in page
    # Pooled: 16/30, 18/30, 13/20, 0/10: p̄ = 47/90 = 52,22 %. April (n = 10): sigma
    # √(0,5222 × 0,4778 / 10) = 0,15796, LCL 52,22 − 47,39 = 4,83 %; its 0 % is below.
    pooled = response.context["pooled"]
    assert pooled["reporting"] == [
        ("Jan 2026", 3),
        ("Feb 2026", 3),
        ("Mar 2026", 2),
        ("Apr 2026", 1),
    ]
    assert "Signal: 1 punkt utenfor grensene: Apr 2026 (0 %, under)." in pooled["description"]
    assert "Team som rapporterer per periode (høyst 3): Jan 2026: 3" in page

    by_last = [r["team"].unit for r in client.get(url(network) + "?sort=last").context["rows"]]
    assert by_last == ["Aspa", "Bjørka", "Cedern"]  # higher is better: 90, 70, 0 %
    by_change = [
        r["team"].unit for r in client.get(url(network) + "?sort=improvement").context["rows"]
    ]
    assert by_change == ["Bjørka", "Aspa", "Cedern"]  # +20, 0, −20 points
    assert client.get(url(network) + "?sort=<x>").context["sort"] == "name"


def first_grid_line(row):
    """The small SVG's lowest grid line: where it lies tells the scale it was drawn on."""
    svg = str(row["svg"])
    return svg[svg.index("<line") : svg.index("/>", svg.index("<line"))]


def test_the_query_count_does_not_grow_with_the_teams(client, coordinator, network):
    client.force_login(coordinator)
    track(network, "A", [(1, 2)] * 12)
    with CaptureQueriesContext(connection) as one:
        client.get(url(network))
    for unit in "BCDE":
        track(network, unit, [(1, 2)] * 12)
    with CaptureQueriesContext(connection) as five:
        response = client.get(url(network))
    assert len(response.context["rows"]) == 5
    assert len(five) == len(one)


def test_outsiders_get_404_and_team_leaders_403(client, outsider, network, three):
    client.force_login(outsider)
    assert client.get(url(network)).status_code == 404
    leader = TeamMemberFactory(
        team=three[0], role=Role.TEAM_LEADER, person__user=UserFactory(email="l@kommune.no")
    ).person.user
    client.force_login(leader)
    assert client.get(url(network)).status_code == 403


def test_a_measure_no_team_tracks_says_so(client, coordinator, network, three):
    client.force_login(coordinator)
    page = client.get(url(network, "Antall fall")).content.decode()
    assert "Ingen team i nettverket følger denne målingen ennå." in page


def test_the_funnel_plot_of_the_last_period(client, coordinator, network):
    track(network, "Stor", [(45, 50)])
    track(network, "Middels", [(40, 50)])
    track(network, "Liten", [(10, 50)])
    track(network, "Gammel", [])  # no point: not in the funnel
    client.force_login(coordinator)
    funnel = client.get(url(network)).context["funnel"]
    # p̄ = 95/150 = 63,33 %; n = 50: sigma √(0,6333 × 0,3667 / 50) = 0,068149.
    # 99.8 %: ± 3,0902 × 0,068149 = 0,21060 → 42,27 % to 84,39 %: 90 % and 20 % beyond.
    # 95 %: ± 1,96 × 0,068149 = 0,13357 → 49,98 % to 76,69 %: 80 % beyond only that.
    assert funnel["outside"] == [
        str(funnel_team(network, "Stor")),
        str(funnel_team(network, "Liten")),
    ]
    assert funnel["description"].startswith(
        "Traktdiagram for Jan 2026: 3 team, nettverkets andel 63,3 %."
    )
    assert "Utenfor 99,8 %-grensene: Stor" in funnel["description"]
    assert "(90 %, n = 50)" in funnel["description"] and "(20 %, n = 50)" in funnel["description"]
    assert "Middels" not in funnel["description"]
    assert funnel["svg"].count("<polygon") == 2  # the two beyond


def funnel_team(network, unit):
    return network.teams.get(unit=unit)


def test_the_small_charts_are_cached_and_a_change_shows_at_once(
    client, coordinator, network, monkeypatch
):
    """The cache's key is the chart's content: the same data draws nothing again, and a
    corrected point, a changed setting or another language is a new chart at once."""
    from django.core.cache import cache

    from teams import services, small_multiples

    cache.clear()
    team = track(network, "Aspa", [(5, 10), (6, 10), (7, 10)], chart=ChartType.RUN)
    track(network, "Bjørka", [(1, 10), (2, 10)])
    drawn = []
    real = small_multiples.measure_chart
    monkeypatch.setattr(
        small_multiples,
        "measure_chart",
        lambda measure, *args, **kwargs: (
            drawn.append(measure.team.unit) or real(measure, *args, **kwargs)
        ),
    )
    client.force_login(coordinator)

    def aspa():
        rows = client.get(url(network)).context["rows"]
        return next(row for row in rows if row["team"] == team)

    first = aspa()
    pooled_before = client.get(url(network)).context["pooled"]["description"]
    assert sorted(drawn) == ["Aspa", "Bjørka"]
    assert "3 punkter; median 60." in first["chart"]["description"]
    drawn.clear()
    assert aspa()["svg"] == first["svg"] and drawn == []  # warm: nothing drawn again

    measure = team.measures.get()
    services.save_series(measure, [(month(2), 1, 10, None)])  # March: 70 % → 10 %
    corrected = aspa()
    assert drawn == ["Aspa"]  # only the team whose data changed
    assert "3 punkter; median 50." in corrected["chart"]["description"]
    assert corrected["svg"] != first["svg"]
    pooled_after = client.get(url(network)).context["pooled"]["description"]
    # Pooled: (5 + 1 + 6 + 2 + 7) / 50 = 42 % before, (5 + 1 + 6 + 2 + 1) / 50 = 30 % after.
    assert "Senterlinje 42 %" in pooled_before and "Senterlinje 30 %" in pooled_after

    drawn.clear()
    measure.chart = ChartType.P
    measure.save(update_fields=["chart"])
    assert aspa()["chart"]["description"].startswith("P-diagram, 3 punkter.")
    assert drawn == ["Aspa"]

    drawn.clear()
    client.cookies["django_language"] = "en"
    english = client.get(url(network)).context["rows"]
    assert drawn == ["Aspa", "Bjørka"]  # another language: other words
    assert any(row["chart"]["description"].startswith("P chart, 3 points.") for row in english)


def test_the_pooled_u_chart_of_a_rate(client, coordinator, network):
    """Falls per 1,000 bed-days in two teams: their events and exposure pooled."""
    recommended = RecommendedMeasure.objects.create(
        focus_area=RecommendedMeasure.objects.get(name=NAME).focus_area,
        name="Fall per 1000 liggedøgn",
        kind="rate",
        direction="down",
    )
    for unit, series in (("A", [(3, 900), (2, 1000)]), ("B", [(5, 1100)])):
        measure = Measure.objects.create(
            team=TeamFactory(network=network, unit=unit),
            recommended=recommended,
            name=recommended.name,
            kind="rate",
            chart=ChartType.U,
            rate_per=1000,
        )
        for index, (events, exposure) in enumerate(series):
            Measurement.objects.create(
                measure=measure, period_start=month(index), numerator=events, denominator=exposure
            )
    client.force_login(coordinator)
    pooled = client.get(url(network, recommended.name)).context["pooled"]
    # January: 3 + 5 falls in 900 + 1,100 bed-days, February: 2 in 1,000. ū = 10 / 3,000
    # = 3,333 per 1,000; January (n = 2,000): UCL 3,333 + 3 √(0,003333 / 2000) × 1000
    # = 3,333 + 3,873 = 7,206; February (n = 1,000): 3,333 + 5,477 = 8,811.
    analysis = pooled["analysis"]
    assert analysis.kind == "u"
    assert analysis.y == pytest.approx([4.0, 2.0])
    assert analysis.cl == pytest.approx([10 / 3] * 2)
    assert analysis.ucl == pytest.approx([7.2063, 8.8105], abs=1e-4)
    assert pooled["reporting"] == [("Jan 2026", 2), ("Feb 2026", 1)]
    assert "Hendelser per 1000 enheter eksponering." in pooled["description"]
