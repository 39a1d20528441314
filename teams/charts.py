"""A measure's chart: its points, the analysis (a run chart's Anhøj rules, or a
control chart's limits as well), the words that say what it shows, and the SVG."""

import functools
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.template.defaultfilters import floatformat
from django.utils import formats
from django.utils.dates import MONTHS_3
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext, override
from django.utils.translation import gettext as _

from lib.svgchart import Chart, render
from network.models import MeasureKind, MeasurePeriod
from teams import controlchart, rare_events
from teams.models import CHARTS_FOR_KIND, ChartType, Measure, PDSACycle, plotted
from teams.runchart import analyse

#: Below this many points a control chart's limits are provisional (Anhøj, Provost).
PROVISIONAL_BELOW = 20


class Point(NamedTuple):
    """What a chart needs of a measurement, read without building a model object
    (a team's page plots a few hundred of them)."""

    period_start: object
    result: object
    numerator: object = None
    denominator: object = None
    #: The chart starts a new part here; the point is left out of the analysis.
    new_part: bool = False
    excluded: bool = False


def team_charts(teams):
    """{team id: (charts, cycles)} for ``teams``, in two queries whatever their number:
    the measures with their points as plain tuples (a left join, a row per point), and
    the PDSA cycles, given their measures from the first."""
    team_ids = [team.pk for team in teams]
    fields = [field.attname for field in Measure._meta.concrete_fields]
    key = fields.index("id")
    measures, points = {}, defaultdict(list)
    rows = (
        Measure.objects.filter(team_id__in=team_ids)
        .order_by("team_id", "name", "pk", "measurements__period_start")
        .values_list(
            *fields,
            "measurements__period_start",
            "measurements__numerator",
            "measurements__denominator",
            "measurements__value",
            "measurements__new_part",
            "measurements__excluded",
        )
    )
    for row in rows:
        measure_id = row[key]
        if measure_id not in measures:
            measures[measure_id] = Measure.from_db(rows.db, fields, row[: len(fields)])
        start, numerator, denominator, value, new_part, excluded = row[len(fields) :]
        if start is not None:
            result = plotted(numerator, denominator, value, measures[measure_id].per)
            points[measure_id].append(
                Point(start, result, numerator, denominator, new_part, excluded)
            )
    by_measure, by_team = defaultdict(list), defaultdict(list)
    for cycle in PDSACycle.objects.filter(team_id__in=team_ids).order_by(
        "team_id", "-start_date", "-pk"
    ):
        by_team[cycle.team_id].append(cycle)
        if cycle.measure_id in measures:
            cycle.measure = measures[cycle.measure_id]
            by_measure[cycle.measure_id].append(cycle)
    for cycles in by_team.values():
        number_cycles(cycles)
    charts = defaultdict(list)
    for measure in measures.values():
        charts[measure.team_id].append(
            measure_chart(measure, points[measure.pk], by_measure[measure.pk])
        )
    return {pk: (charts[pk], by_team[pk]) for pk in team_ids}


def number_cycles(cycles):
    """Number a team's PDSA cycles in one sequence, whatever their measure: 1 is the
    first to start. Sets ``number`` on each; ``cycles`` are all of one team's."""
    for number, cycle in enumerate(sorted(cycles, key=lambda c: (c.start_date, c.pk)), start=1):
        cycle.number = number
    return cycles


def axis_labels(measure, starts):
    """The x-axis labels: "w12 2026" for weeks, "Mar 2026" for months, the date of
    each rare event (12.03.2026)."""
    if getattr(measure, "kind", None) == MeasureKind.EVENTS:
        return [start.strftime("%d.%m.%Y") for start in starts]
    if measure.period == MeasurePeriod.WEEK:
        week_label = _("w%(week)d %(year)d")
        return [
            week_label % {"week": start.isocalendar()[1], "year": start.isocalendar()[0]}
            for start in starts
        ]
    months = _month_names(get_language())
    return [f"{months[start.month]} {start.year}" for start in starts]


@functools.lru_cache(maxsize=8)
def _month_names(language):
    """MONTHS_3, as date_format(start, "M Y") would show them, translated once per
    language (the catalogues do not change while the process runs)."""
    with override(language):
        return {month: str(name).capitalize() for month, name in MONTHS_3.items()}


def describe(measure, analysis, excluded=0) -> str:
    """The chart in words, for screen readers and for the PDF's text: each part's
    median and signals when the chart has parts."""
    if not analysis["n_obs"]:
        return _("No measurements yet.")
    chart_parts = analysis.get("parts") or [analysis]
    parts = []
    for number, part in enumerate(chart_parts, start=1):
        if len(chart_parts) > 1:
            parts.append(_("Part %(number)d:") % {"number": number})
        parts += _describe_run_part(part)
    if excluded:
        parts.append(
            ngettext(
                "%(count)d point is left out of the analysis.",
                "%(count)d points are left out of the analysis.",
                excluded,
            )
            % {"count": excluded}
        )
    if not analysis["signal"]:
        parts.append(_("No signal of non-random variation."))
    if measure.goal is not None:
        parts.append(_("Goal: %(goal)s.") % {"goal": floatformat(measure.goal, -1)})
    return " ".join(parts)


def _describe_run_part(analysis):
    if not analysis["n_obs"]:
        return [_("No measurements yet.")]
    parts = [
        ngettext(
            "%(count)d point; median %(centre)s.",
            "%(count)d points; median %(centre)s.",
            analysis["n_obs"],
        )
        % {"count": analysis["n_obs"], "centre": floatformat(analysis["centre"], -1)}
    ]
    if analysis["freeze"]:
        parts.append(
            _("The median is frozen on the first %(count)d points.") % {"count": analysis["freeze"]}
        )
    if analysis["long_run_signal"]:
        parts.append(
            _(
                "Signal: %(run)d points in a row on the same side of the median "
                "(the limit is %(limit)d)."
            )
            % {"run": analysis["longest_run"], "limit": analysis["longest_run_max"]}
        )
    if analysis["few_crossings_signal"]:
        parts.append(
            ngettext(
                "Signal: the line crosses the median %(crossings)d time "
                "(at least %(limit)d expected).",
                "Signal: the line crosses the median %(crossings)d times "
                "(at least %(limit)d expected).",
                analysis["crossings"],
            )
            % {"crossings": analysis["crossings"], "limit": analysis["crossings_min"]}
        )
    return parts


def run_chart(measure, points=None, cycles=None, *, draw=True):
    """Everything a page or PDF shows for one measure: analysis, words, SVG (when
    ``draw``; a caller that draws the figure its own way passes False).

    Each part (from a point marked "new part") has its own median and its own Anhøj
    rules, as qicharts2's ``part``; an excluded point is drawn but left out of both."""
    points = list(measure.measurements.all()) if points is None else points
    points = series_points(measure, points)
    cycles = list(measure.pdsa_cycles.all()) if cycles is None else cycles
    values = [float(p.result) if p.result is not None else None for p in points]
    counted = [None if p.excluded else v for p, v in zip(points, values, strict=True)]
    bounds = part_bounds(points)
    freeze = (
        measure.baseline_points
        if len(bounds) == 2
        and measure.baseline_points
        and measure.baseline_points <= len([v for v in counted if v is not None])
        else None
    )
    parts = [analyse(counted[a:b], freeze=freeze) for a, b in zip(bounds, bounds[1:], strict=False)]
    analysis = dict(parts[-1])
    analysis.update(
        n_obs=sum(part["n_obs"] for part in parts),
        signal=any(part["signal"] for part in parts),
        parts=[
            {**part, "start": a, "end": b}
            for part, a, b in zip(parts, bounds, bounds[1:], strict=False)
        ],
    )
    starts = [p.period_start for p in points]
    description = describe(measure, analysis, sum(p.excluded for p in points))
    centre_line = None
    if len(parts) > 1:
        centre_line = [
            part["centre"]
            for part, a, b in zip(parts, bounds, bounds[1:], strict=False)
            for _i in range(a, b)
        ]
    chart = Chart(
        labels=axis_labels(measure, starts),
        values=values,
        centre=analysis["centre"] if centre_line is None else None,
        centre_line=centre_line,
        goal=float(measure.goal) if measure.goal is not None else None,
        signal=analysis["signal"],
        freeze=freeze,
        annotations=_annotations(starts, cycles),
        spans=_spans(starts, cycles),
        part_starts=bounds[1:-1],
        excluded=[p.excluded for p in points],
        title=_("Run chart: %(name)s") % {"name": measure.name},
        description=description,
        unit=unit_of(measure, ChartType.RUN),
        chart_id=f"chart-{measure.pk}",
    )
    return {
        "measure": measure,
        "analysis": analysis,
        "description": description,
        "svg": mark_safe(render(chart)) if draw else "",  # noqa: S308 - our own markup
        "cycles": cycles,
        "figure": chart,
    }


def part_bounds(points):
    """[0, each point that starts a new part, the number of points]."""
    return [0, *[i for i, p in enumerate(points) if i and p.new_part], len(points)]


def unit_of(measure, kind):
    """What the plotted numbers are in: "%" for a proportion in per cent."""
    per_cent = (ChartType.RUN, ChartType.P, ChartType.P_PRIME, ChartType.I)
    return "%" if measure.kind == MeasureKind.PROPORTION and kind in per_cent else ""


def series_points(measure, points):
    """The points a chart plots: as recorded, or for rare events the series derived
    from the events (the days between them for a T chart or a run chart of them, the
    cases between them for a G chart), each at the date of the later event."""
    if measure.kind != MeasureKind.EVENTS:
        return points
    events = [(p.period_start, p.result) for p in points]
    if measure.chart == ChartType.G:
        series = rare_events.g_series(events)
    else:
        series = rare_events.t_series(events)
    return [Point(day, value) for day, value in series]


# --- Control charts ----------------------------------------------------------------------


def chart_names():
    return {
        ChartType.I: _("I chart"),
        ChartType.P: _("P chart"),
        ChartType.P_PRIME: _("P′ chart"),
        ChartType.U: _("U chart"),
        ChartType.U_PRIME: _("U′ chart"),
        ChartType.C: _("C chart"),
        ChartType.G: _("G chart"),
        ChartType.T: _("T chart"),
    }


def measure_chart(measure, points=None, cycles=None, *, draw=True):
    """The chart the measure's team chose: a run chart, or a control chart."""
    if measure.chart == ChartType.RUN or measure.chart not in CHARTS_FOR_KIND.get(measure.kind, ()):
        return run_chart(measure, points, cycles, draw=draw)
    return control_chart(measure, points, cycles, draw=draw)


def _number(value):
    return None if value is None else float(value)


def control_chart(measure, points=None, cycles=None, *, draw=True):
    """Everything a page or PDF shows for a control chart: the analysis, the words and
    the SVG; an I chart has its moving-range chart beneath."""
    points = list(measure.measurements.all()) if points is None else points
    points = series_points(measure, points)
    cycles = list(measure.pdsa_cycles.all()) if cycles is None else cycles
    kind = measure.chart
    if kind in controlchart.ChartKind.WITH_DENOMINATOR:
        values = [_number(p.numerator) for p in points]
        sizes = [_number(p.denominator) for p in points]
        multiply = measure.per  # per cent, or per 1,000 bed-days, as the run chart shows
    else:
        values, sizes, multiply = [_number(p.result) for p in points], None, 1
    freeze = measure.baseline_points if (measure.baseline_points or 0) <= len(points) else None
    parts = part_bounds(points)[1:-1]
    exclude = [i for i, p in enumerate(points) if p.excluded]
    analysis = controlchart.analyse(
        kind,
        values,
        sizes,
        freeze=freeze or None,
        parts=parts,
        exclude=exclude,
        multiply=multiply,
    )
    starts = [p.period_start for p in points]
    labels = axis_labels(measure, starts)
    unit = unit_of(measure, kind)
    name = chart_names()[kind]
    excluded = sum(p.excluded for p in points)
    description = describe_control(measure, name, analysis, labels, unit, excluded)
    provisional = analysis.n_obs < PROVISIONAL_BELOW
    legend = [
        ("centre", _("Centre line")),
        ("limit", _("Provisional limits") if provisional else _("Limits (3 sigma)")),
        ("outside", _("Outside the limits")),
    ]
    if analysis.runs_signal:
        legend.append(("run", _("In a long run")))
    if excluded:
        legend.append(("excluded", _("Excluded")))
    if measure.goal is not None:
        legend.append(("goal", _("Goal")))
    main = Chart(
        labels=labels,
        values=analysis.y,
        goal=float(measure.goal) if measure.goal is not None else None,
        signal=analysis.runs_signal,
        freeze=analysis.freeze,
        annotations=_annotations(starts, cycles),
        spans=_spans(starts, cycles),
        part_starts=parts,
        excluded=[p.excluded for p in points],
        title=_("%(chart)s: %(name)s") % {"chart": name, "name": measure.name},
        description=description,
        unit=unit,
        chart_id=f"chart-{measure.pk}",
        centre_line=analysis.cl,
        lower=analysis.lcl,
        upper=analysis.ucl,
        outside=analysis.outside,
        in_run=analysis.in_long_run,
        legend=legend,
    )
    svg = render(main) if draw else ""
    moving = None
    if kind == ChartType.I:
        moving = controlchart.analyse(
            controlchart.ChartKind.MR, values, freeze=freeze or None, parts=parts, exclude=exclude
        )
        if draw:
            svg += render(
                Chart(
                    labels=labels,
                    values=moving.y,
                    title=_("Moving ranges: %(name)s") % {"name": measure.name},
                    description=describe_moving_ranges(moving, labels),
                    unit=unit,
                    chart_id=f"chart-{measure.pk}-mr",
                    centre_line=moving.cl,
                    upper=moving.ucl,
                    outside=moving.outside,
                    legend=[
                        ("centre", _("Mean moving range")),
                        ("limit", _("Upper limit")),
                        ("outside", _("Outside the limit")),
                    ],
                    height=200,
                )
            )
        description = f"{description} {describe_moving_ranges(moving, labels)}"
    return {
        "measure": measure,
        "analysis": analysis,
        "moving_ranges": moving,
        "provisional": provisional,
        "description": description,
        "svg": mark_safe(svg),  # noqa: S308 - our own markup
        "cycles": cycles,
        "figure": main,
    }


def _cycle_number(cycle, fallback):
    return getattr(cycle, "number", None) or fallback


def _annotations(starts, cycles):
    """A label "PDSA n" at the first point of each cycle; the number is the cycle's in
    the team's one sequence (``number_cycles``) when it has one."""
    annotations = []
    for fallback, cycle in enumerate(sorted(cycles, key=lambda c: c.start_date), start=1):
        index = next((i for i, start in enumerate(starts) if start >= cycle.start_date), None)
        if index is not None:
            annotations.append((index, f"PDSA {_cycle_number(cycle, fallback)}"))
    return annotations


def _spans(starts, cycles):
    """(first, last) point index of each cycle, from its start to its end (or the last
    point, while it runs)."""
    spans = []
    for cycle in sorted(cycles, key=lambda c: c.start_date):
        inside = [
            i
            for i, start in enumerate(starts)
            if start >= cycle.start_date and (cycle.end_date is None or start <= cycle.end_date)
        ]
        first = next((i for i, start in enumerate(starts) if start >= cycle.start_date), None)
        if first is None:
            continue
        spans.append((first, inside[-1] if inside else first))
    return spans


_HUNDREDTH = Decimal("0.01")


def _num(value):
    """At most two decimals, none when whole: 8,7 and 10 (in Norwegian). Rounded half
    up, as ``floatformat`` rounds, at a fraction of its cost (a page of small
    multiples words some thirty charts)."""
    if value is None:
        return "–"
    if abs(value) >= 999.995:  # thousands grouped as the language groups them
        text = str(floatformat(value, -2))
        return text.rstrip("0").rstrip(",.") if ("," in text or "." in text) else text
    text = f"{Decimal(str(value)).quantize(_HUNDREDTH, ROUND_HALF_UP):f}"
    text = text.rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    return text.replace(".", decimal_separator())


def decimal_separator():
    return str(formats.get_format("DECIMAL_SEPARATOR"))


def _outside_points(chart, labels, unit=""):
    """Each point beyond a limit in words: Mar 2026 (41 %, above)."""
    named = []
    for index, out in enumerate(chart.outside):
        if out:
            above = chart.ucl[index] is not None and chart.y[index] > chart.ucl[index]
            named.append(
                (
                    _("%(period)s (%(value)s, above)")
                    if above
                    else _("%(period)s (%(value)s, below)")
                )
                % {"period": labels[index], "value": _num(chart.y[index]) + (" %" if unit else "")}
            )
    return named


def describe_control(measure, name, chart, labels, unit="", excluded=0) -> str:
    """A control chart in words, naming every signal, for screen readers and the PDF."""
    if not chart.n_obs:
        return _("No measurements yet.")
    parts = [
        ngettext("%(chart)s, %(count)d point.", "%(chart)s, %(count)d points.", chart.n_obs)
        % {"chart": name, "count": chart.n_obs}
    ]
    for number, part in enumerate(chart.parts, start=1):
        last = part.end - 1
        suffix = " %" if unit else ""
        words = {
            "centre": _num(chart.cl[last]) + suffix,
            "lower": _num(chart.lcl[last]) + suffix,
            "upper": _num(chart.ucl[last]) + suffix,
        }
        if len(chart.parts) > 1:
            parts.append(_("Part %(number)d:") % {"number": number})
        if chart.ucl[last] is None:
            parts.append(_("Centre line %(centre)s; too few points for limits.") % words)
        elif len({v for v in chart.ucl[part.start : part.end] if v is not None}) > 1:
            parts.append(
                _(
                    "Centre line %(centre)s; the limits follow each period's denominator, "
                    "in the last period %(lower)s to %(upper)s."
                )
                % words
            )
        else:
            parts.append(_("Centre line %(centre)s, limits %(lower)s to %(upper)s.") % words)
        if part.long_run_signal:
            parts.append(
                _(
                    "Signal: %(run)d points in a row on the same side of the centre line "
                    "(the limit is %(limit)d)."
                )
                % {"run": part.longest_run, "limit": part.longest_run_max}
            )
        if part.few_crossings_signal:
            parts.append(
                ngettext(
                    "Signal: the line crosses the centre line %(crossings)d time "
                    "(at least %(limit)d expected).",
                    "Signal: the line crosses the centre line %(crossings)d times "
                    "(at least %(limit)d expected).",
                    part.crossings,
                )
                % {"crossings": part.crossings, "limit": part.crossings_min}
            )
    if chart.freeze:
        parts.append(
            _("Centre line and limits from the first %(count)d points.") % {"count": chart.freeze}
        )
    outside = _outside_points(chart, labels, unit)
    if outside:
        parts.append(
            ngettext(
                "Signal: %(count)d point outside the limits: %(points)s.",
                "Signal: %(count)d points outside the limits: %(points)s.",
                len(outside),
            )
            % {"count": len(outside), "points": ", ".join(outside)}
        )
    if excluded:
        parts.append(
            ngettext(
                "%(count)d point is left out of the analysis.",
                "%(count)d points are left out of the analysis.",
                excluded,
            )
            % {"count": excluded}
        )
    if not chart.signal:
        parts.append(_("No signal: the variation is common-cause variation."))
    if chart.n_obs < PROVISIONAL_BELOW:
        parts.append(
            _("The limits are provisional: they rest on fewer than %(count)d points.")
            % {"count": PROVISIONAL_BELOW}
        )
    if getattr(measure, "goal", None) is not None:
        parts.append(_("Goal: %(goal)s.") % {"goal": floatformat(measure.goal, -1)})
    return " ".join(parts)


def describe_moving_ranges(chart, labels) -> str:
    last = len(chart.y) - 1
    if last < 1 or chart.cl[last] is None:
        return ""
    text = _("Moving ranges: mean %(centre)s, upper limit %(upper)s.") % {
        "centre": _num(chart.cl[last]),
        "upper": _num(chart.ucl[last]),
    }
    outside = _outside_points(chart, labels)
    if outside:
        text += " " + ngettext(
            "%(count)d moving range above the limit: %(points)s.",
            "%(count)d moving ranges above the limit: %(points)s.",
            len(outside),
        ) % {"count": len(outside), "points": ", ".join(outside)}
    return text
