"""The network's view of one measure: a small chart per team on one scale, and the
network's pooled chart.

Read in a fixed number of queries whatever the number of teams: the teams' measures
with their teams in one, their points as plain tuples of floats in another.
"""

import dataclasses
import hashlib
import math
from collections import defaultdict

from django.core.cache import cache
from django.db.models import Count, FloatField
from django.db.models.functions import Cast
from django.template.defaultfilters import floatformat
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from lib.svgchart import Chart, Funnel, render, render_funnel
from network.models import Direction, MeasureKind, RecommendedMeasure
from teams import controlchart
from teams.charts import Point, axis_labels, describe_control, measure_chart
from teams.models import DEFAULT_RATE_PER, Measure, Measurement, plotted

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
    measures = {}
    for measure in (
        Measure.objects.filter(team__network=network, recommended=recommended)
        .select_related("team__municipality")
        .order_by("team_id", "pk")
    ):
        if all(m.team_id != measure.team_id for m in measures.values()):
            measures[measure.pk] = measure  # one measure a team: its first
    # measure id: (id, start, numerator, denominator, value, new part, excluded)
    rows = defaultdict(list)
    as_float = FloatField()
    for row in (
        Measurement.objects.filter(measure_id__in=list(measures))
        .order_by("measure_id", "period_start")
        .values_list(
            "measure_id",
            "period_start",
            Cast("numerator", as_float),
            Cast("denominator", as_float),
            Cast("value", as_float),
            "new_part",
            "excluded",
        )
    ):
        rows[row[0]].append(row)
    language = get_language()
    keys = {pk: _content_key(language, measure, rows[pk]) for pk, measure in measures.items()}
    charts = _cached_charts(measures, rows, keys)
    entries = []
    for measure in measures.values():
        per = measure.per
        known = [r for r in (_result(row, per) for row in rows[measure.pk]) if r is not None]
        entries.append(
            {
                "team": measure.team,
                "measure": measure,
                "chart": charts[measure.pk],
                "signal": charts[measure.pk]["signal"],
                "last": known[-1] if known else None,
                "change": known[-1] - known[0] if len(known) > 1 else None,
            }
        )
    scale = _scale([v for entry in entries for v in entry["chart"]["drawn"]])
    svgs = _cached_svgs(entries, keys, rows, scale)
    for entry in entries:
        entry["svg"] = mark_safe(svgs[entry["measure"].pk])  # noqa: S308 - our own markup
    entries.sort(key=_sort_key(sort, recommended.direction))

    def network_charts():
        all_rows = [row for pk in measures for row in rows[pk]]
        # The funnel needs only the last period that has a numerator and a denominator.
        last = max((row[1] for row in all_rows if row[2] is not None and row[3]), default=None)
        per = next((m.rate_per for m in measures.values()), None)
        return (
            pooled_chart(recommended, all_rows, per=per),
            funnel(
                recommended,
                [
                    (m.team, [_point(row, m.per) for row in rows[m.pk] if row[1] == last])
                    for m in measures.values()
                ],
            ),
        )

    pooled, funnel_plot = _cached_network_charts(recommended, language, keys, network_charts)
    return entries, pooled, funnel_plot


def _result(row, per):
    return plotted(row[2], row[3], row[4], per)


def _point(row, per):
    return Point(row[1], plotted(row[2], row[3], row[4], per), row[2], row[3], row[5], row[6])


def _signal(analysis):
    return bool(analysis["signal"] if isinstance(analysis, dict) else analysis.signal)


# --- The cache of the small charts ---------------------------------------------------
#
# A team's small chart is a pure function of its measure, its points, the language and
# the shared scale. Each is cached under a key made of exactly those (a digest of the
# content, not of ids), so that a changed point, setting or language makes a new key and
# a stale chart is never shown: nothing needs to be invalidated. Entries expire after
# a day; CACHE_VERSION changes when the drawing or the words change.

CACHE_VERSION = 1
CACHE_SECONDS = 24 * 3600
_MEASURE_FIELDS = [field.attname for field in Measure._meta.concrete_fields]


def _content_key(language, measure, rows):
    """A digest of everything the team's chart (not yet its scale) is made of: the
    measure's fields, its points as read (``rows``), the team's name, the language."""
    material = repr(
        (
            CACHE_VERSION,
            language,
            str(measure.team),
            [getattr(measure, name) for name in _MEASURE_FIELDS],
            rows,
        )
    )
    digest = hashlib.blake2b(material.encode(), digest_size=16).hexdigest()
    return f"small-multiples:{digest}"


def _cached_charts(measures, rows, keys):
    """{measure id: chart}: its words, its signal, ``drawn`` (the numbers its figure
    draws, for the shared scale) and, when it had to be made now, its ``figure``. From
    the cache where it has them; the figure is kept under a key of its own, read only
    when the SVG has to be drawn again."""
    found = cache.get_many(list(keys.values()))
    charts, missing = {}, {}
    for pk, measure in measures.items():
        chart = found.get(keys[pk])
        if chart is None:
            made = measure_chart(
                measure, [_point(row, measure.per) for row in rows[pk]], [], draw=False
            )
            chart = {
                "description": made["description"],
                "signal": _signal(made["analysis"]),
                "drawn": _drawn(made["figure"]),
            }
            missing[keys[pk]] = chart
            missing[f"{keys[pk]}:figure"] = made["figure"]
            chart = {**chart, "figure": made["figure"]}
        charts[pk] = {**chart, "measure": measure}
    if missing:
        cache.set_many(missing, CACHE_SECONDS)
    return charts


def _figures(entries, keys, rows):
    """{measure id: figure} for ``entries``: those made now, the cache's, or made again."""
    figures = {e["measure"].pk: e["chart"].get("figure") for e in entries}
    wanted = {f"{keys[pk]}:figure": pk for pk, figure in figures.items() if figure is None}
    for key, figure in cache.get_many(list(wanted)).items():
        figures[wanted[key]] = figure
    for entry in entries:
        pk, measure = entry["measure"].pk, entry["measure"]
        if figures[pk] is None:
            points = [_point(row, measure.per) for row in rows[pk]]
            figures[pk] = measure_chart(measure, points, [], draw=False)["figure"]
    return figures


def _cached_svgs(entries, keys, rows, scale):
    """{measure id: the small SVG on ``scale``}, from the cache where it has them."""
    on_scale = hashlib.blake2b(repr(scale).encode(), digest_size=8).hexdigest()
    svg_keys = {pk: f"{key}:{on_scale}" for pk, key in keys.items()}
    svgs = {}
    found = cache.get_many(list(svg_keys.values()))
    for pk, key in svg_keys.items():
        if key in found:
            svgs[pk] = found[key]
    to_draw = [entry for entry in entries if entry["measure"].pk not in svgs]
    if not to_draw:
        return svgs
    figures = _figures(to_draw, keys, rows)
    missing = {}
    for entry in to_draw:
        pk = entry["measure"].pk
        figure = dataclasses.replace(
            figures[pk],
            height=SMALL_HEIGHT,
            width=SMALL_WIDTH,
            legend=[],
            annotations=[],
            y_range=scale,
            chart_id=f"team-{entry['team'].pk}",
            title=str(entry["team"]),
        )
        svgs[pk] = missing[svg_keys[pk]] = render(figure)
    cache.set_many(missing, CACHE_SECONDS)
    return svgs


def _cached_network_charts(recommended, language, keys, make):
    """The pooled chart and the funnel plot, from the cache when no team's data, no
    setting and not the language has changed (the teams' keys say it all)."""
    material = repr(
        (
            CACHE_VERSION,
            language,
            [getattr(recommended, f.attname) for f in recommended._meta.concrete_fields],
            sorted(keys.values()),
        )
    )
    key = (
        "small-multiples:network:" + hashlib.blake2b(material.encode(), digest_size=16).hexdigest()
    )
    found = cache.get(key)
    if found is None:
        found = make()
        cache.set(key, found, CACHE_SECONDS)
    return found


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


def pooled_chart(recommended, rows, per=None):
    """The network as one unit: a P chart of the pooled numerators and denominators of a
    proportion, a U chart of the pooled events and exposure of a rate (per ``per``
    units, by default the recommended measure's), a C chart of the summed counts,
    with how many teams report each period. None for measured values and rare events,
    which do not add up. ``rows``: (measure id, period start, numerator, denominator,
    value, …) of one measure a team."""
    if recommended.kind in (MeasureKind.VALUE, MeasureKind.EVENTS):
        return None
    numerators, denominators, reporting = defaultdict(float), defaultdict(float), defaultdict(int)
    pooled = recommended.kind in (MeasureKind.PROPORTION, MeasureKind.RATE)
    for _measure, start, numerator, denominator, value, *_marks in rows:
        if pooled:
            if numerator is None or not denominator:
                continue
            numerators[start] += numerator
            denominators[start] += denominator
        else:
            result = plotted(numerator, denominator, value)
            if result is None:
                continue
            numerators[start] += result
        reporting[start] += 1
    starts = sorted(reporting)
    if not starts:
        return None
    if recommended.kind == MeasureKind.PROPORTION:
        kind, name, unit, multiply = controlchart.ChartKind.P, _("P chart"), "%", 100
        sizes = [denominators[s] for s in starts]
    elif recommended.kind == MeasureKind.RATE:
        kind, name, unit = controlchart.ChartKind.U, _("U chart"), ""
        multiply = per or DEFAULT_RATE_PER
        sizes = [denominators[s] for s in starts]
    else:
        kind, name, unit, multiply = controlchart.ChartKind.C, _("C chart"), "", 1
        sizes = None
    analysis = controlchart.analyse(kind, [numerators[s] for s in starts], sizes, multiply=multiply)
    labels = axis_labels(recommended, starts)
    counts = ", ".join(f"{label}: {reporting[s]}" for label, s in zip(labels, starts, strict=True))
    words = [describe_control(recommended, name, analysis, labels, unit)]
    if recommended.kind == MeasureKind.RATE:
        words.append(_("Events per %(per)s units of exposure.") % {"per": multiply})
    description = " ".join(
        [
            *words,
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
