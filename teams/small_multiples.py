"""The network's view of one measure: a small chart per team on one scale, and the
network's pooled chart.

Read in a fixed number of queries whatever the number of teams: the teams' measures
with their points in one left join (as ``teams.charts.team_charts``), the teams in one.
"""

import dataclasses
import math
from collections import defaultdict

from django.db.models import Count
from django.template.defaultfilters import floatformat
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lib.svgchart import Chart, Funnel, render, render_funnel
from network.models import Direction, MeasureKind, RecommendedMeasure
from teams import controlchart
from teams.charts import Point, axis_labels, describe_control, measure_chart
from teams.models import Measure, Team, plotted

SORTS = ("name", "last", "improvement")
#: Two-sided normal quantiles of the funnel's limits: 95 % and 99.8 %.
Z95, Z998 = 1.959964, 3.090232
SMALL_WIDTH, SMALL_HEIGHT = 360, 220


def shared_measures(network):
    """The focus areas' recommended measures that two or more of the network's teams
    track, each with ``teams``: how many."""
    return (
        RecommendedMeasure.objects.filter(team_measures__team__network=network)
        .annotate(teams=Count("team_measures__team", distinct=True))
        .filter(teams__gte=2)
        .order_by("name")
    )


def _drawn(figure):
    """Every number the figure draws, for a scale shared by all the teams."""
    numbers = [*figure.values, figure.centre, figure.goal]
    for line in (figure.centre_line, figure.lower, figure.upper):
        numbers += line or []
    return [v for v in numbers if v is not None]


def small_multiples(network, recommended, sort="name"):
    """(rows, pooled, funnel): a row per team that tracks ``recommended`` (team, chart,
    its small SVG, last value, change), sorted by ``sort``; the network's pooled chart;
    the funnel plot of the last period."""
    fields = [field.attname for field in Measure._meta.concrete_fields]
    key = fields.index("id")
    measures, points = {}, defaultdict(list)
    rows = (
        Measure.objects.filter(team__network=network, recommended=recommended)
        .order_by("team_id", "pk", "measurements__period_start")
        .values_list(
            *fields,
            "measurements__period_start",
            "measurements__numerator",
            "measurements__denominator",
            "measurements__value",
        )
    )
    for row in rows:
        measure_id = row[key]
        if measure_id not in measures:
            measure = Measure.from_db(rows.db, fields, row[: len(fields)])
            if any(m.team_id == measure.team_id for m in measures.values()):
                continue  # one measure a team: its first
            measures[measure_id] = measure
        start, numerator, denominator, value = row[len(fields) :]
        if start is not None:
            numerator = None if numerator is None else float(numerator)
            denominator = None if denominator is None else float(denominator)
            value = None if value is None else float(value)
            points[measure_id].append(
                Point(start, plotted(numerator, denominator, value), numerator, denominator)
            )
    teams = Team.objects.filter(pk__in=[m.team_id for m in measures.values()]).select_related(
        "municipality"
    )
    team_of = {team.pk: team for team in teams}
    entries = []
    for measure in measures.values():
        measure.team = team_of[measure.team_id]
        chart = measure_chart(measure, points[measure.pk], [], draw=False)
        known = [float(p.result) for p in points[measure.pk] if p.result is not None]
        entries.append(
            {
                "team": measure.team,
                "measure": measure,
                "chart": chart,
                "last": known[-1] if known else None,
                "change": known[-1] - known[0] if len(known) > 1 else None,
            }
        )
    drawn = [v for entry in entries for v in _drawn(entry["chart"]["figure"])]
    scale = _scale(drawn)
    for entry in entries:
        figure = dataclasses.replace(
            entry["chart"]["figure"],
            height=SMALL_HEIGHT,
            width=SMALL_WIDTH,
            legend=[],
            annotations=[],
            y_range=scale,
            chart_id=f"team-{entry['team'].pk}",
            title=str(entry["team"]),
        )
        entry["svg"] = mark_safe(render(figure))  # noqa: S308 - our own markup
    entries.sort(key=_sort_key(sort, recommended.direction))
    return (
        entries,
        pooled_chart(recommended, measures.values(), points),
        funnel(recommended, [(m.team, points[m.pk]) for m in measures.values()]),
    )


def funnel(recommended, teams_points):
    """The last period's proportions against their denominators, around the pooled
    proportion, with 95 % and 99.8 % limits: a small unit's 0 % or 100 % is then seen
    within its wide limits rather than read as a signal. ``teams_points`` is
    [(team, points)]; None for measures that are not proportions, or no data."""
    if recommended.kind != MeasureKind.PROPORTION:
        return None
    complete = [
        (team, p)
        for team, points in teams_points
        for p in points
        if p.numerator is not None and p.denominator
    ]
    if not complete:
        return None
    last = max(p.period_start for _team, p in complete)
    units = [
        (team, float(p.numerator), float(p.denominator))
        for team, p in complete
        if p.period_start == last
    ]
    centre = sum(x for _t, x, _n in units) / sum(n for _t, _x, n in units)
    spread = centre * (1 - centre)

    def limits(z, n):
        half = z * math.sqrt(spread / n)
        return max(centre - half, 0.0) * 100, min(centre + half, 1.0) * 100

    largest = max(n for _t, _x, n in units)
    sizes = [largest * 1.05 * (i / 60) ** 2 for i in range(1, 61)]
    sizes = [n for n in sizes if n >= 1] or [1.0]
    outside, named = [], []
    for team, x, n in units:
        low, high = limits(Z998, n)
        beyond = not low <= x / n * 100 <= high
        outside.append(beyond)
        if beyond:
            named.append(
                _("%(team)s (%(value)s %%, n = %(n)s)")
                % {"team": team, "value": _percent(x / n), "n": floatformat(n, -1)}
            )
    period = axis_labels(recommended, [last])[0]
    words = [
        ngettext(
            "Funnel plot of %(period)s: %(count)d team, network proportion %(centre)s %%.",
            "Funnel plot of %(period)s: %(count)d teams, network proportion %(centre)s %%.",
            len(units),
        )
        % {"period": period, "count": len(units), "centre": _percent(centre)}
    ]
    if named:
        words.append(_("Outside the 99.8 %% limits: %(teams)s.") % {"teams": ", ".join(named)})
    else:
        words.append(_("Every team is within the 99.8 per cent limits."))
    description = " ".join(words)
    figure = Funnel(
        points=[(n, x / n * 100) for _t, x, n in units],
        outside=outside,
        centre=centre * 100,
        limits=[
            (_("95 per cent limits"), [(n, *limits(Z95, n)) for n in sizes]),
            (_("99.8 per cent limits"), [(n, *limits(Z998, n)) for n in sizes]),
        ],
        title=_("Funnel plot: %(name)s, %(period)s") % {"name": recommended.name, "period": period},
        description=description,
        x_label=_("Denominator"),
    )
    return {
        "description": description,
        "svg": mark_safe(render_funnel(figure)),  # noqa: S308 - our own markup
        "outside": [str(team) for (team, _x, _n), out in zip(units, outside, strict=True) if out],
    }


def _percent(proportion):
    """A proportion in per cent, at most one decimal, in the language's number format."""
    return floatformat(proportion * 100, -1)


def _scale(numbers):
    if not numbers:
        return None
    low, high = min(numbers), max(numbers)
    if high == low:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.08
    return (low - pad, high + pad)


def _sort_key(sort, direction):
    better = -1 if direction == Direction.UP else 1  # the best first

    def by_name(entry):
        return str(entry["team"]).casefold()

    if sort == "last":
        return lambda e: (e["last"] is None, better * (e["last"] or 0), by_name(e))
    if sort == "improvement":
        return lambda e: (e["change"] is None, better * (e["change"] or 0), by_name(e))
    return by_name


def pooled_chart(recommended, measures, points):
    """The network as one unit: a P chart of the pooled numerators and denominators of a
    proportion, a C chart of the summed counts, with how many teams report each period.
    None for measured values, which do not add up."""
    if recommended.kind == MeasureKind.VALUE:
        return None
    numerators, denominators, reporting = defaultdict(float), defaultdict(float), defaultdict(int)
    for measure in measures:
        for point in points[measure.pk]:
            if recommended.kind == MeasureKind.PROPORTION:
                if point.numerator is None or not point.denominator:
                    continue
                numerators[point.period_start] += float(point.numerator)
                denominators[point.period_start] += float(point.denominator)
            elif point.result is not None:
                numerators[point.period_start] += float(point.result)
            else:
                continue
            reporting[point.period_start] += 1
    starts = sorted(reporting)
    if not starts:
        return None
    if recommended.kind == MeasureKind.PROPORTION:
        kind, name, unit, multiply = controlchart.ChartKind.P, _("P chart"), "%", 100
        sizes = [denominators[s] for s in starts]
    else:
        kind, name, unit, multiply = controlchart.ChartKind.C, _("C chart"), "", 1
        sizes = None
    analysis = controlchart.analyse(kind, [numerators[s] for s in starts], sizes, multiply=multiply)
    labels = axis_labels(recommended, starts)
    counts = ", ".join(f"{label}: {reporting[s]}" for label, s in zip(labels, starts, strict=True))
    description = " ".join(
        [
            describe_control(recommended, name, analysis, labels, unit),
            ngettext(
                "Teams reporting per period (at most %(count)d): %(counts)s.",
                "Teams reporting per period (at most %(count)d): %(counts)s.",
                max(reporting.values()),
            )
            % {"count": max(reporting.values()), "counts": counts},
        ]
    )
    figure = Chart(
        labels=labels,
        values=analysis.y,
        signal=analysis.runs_signal,
        title=_("%(chart)s: %(name)s, all teams") % {"chart": name, "name": recommended.name},
        description=description,
        unit=unit,
        chart_id="pooled",
        centre_line=analysis.cl,
        lower=analysis.lcl,
        upper=analysis.ucl,
        outside=analysis.outside,
        in_run=analysis.in_long_run,
        legend=[
            ("centre", _("Centre line")),
            ("limit", _("Limits (3 sigma)")),
            ("outside", _("Outside the limits")),
        ],
    )
    return {
        "analysis": analysis,
        "description": description,
        "svg": mark_safe(render(figure)),  # noqa: S308 - our own markup
        "reporting": [(label, reporting[s]) for label, s in zip(labels, starts, strict=True)],
    }
