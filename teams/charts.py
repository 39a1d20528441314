"""A measure's run chart: its points, the Anhøj analysis, and the SVG."""

import functools
from collections import defaultdict
from typing import NamedTuple

from django.template.defaultfilters import floatformat
from django.utils.dates import MONTHS_3
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext, override
from django.utils.translation import gettext as _

from lib.svgchart import Chart, render
from network.models import MeasureKind, MeasurePeriod
from teams.models import Measure, PDSACycle, plotted
from teams.runchart import analyse


class Point(NamedTuple):
    """What a chart needs of a measurement, read without building a model object
    (a team's page plots a few hundred of them)."""

    period_start: object
    result: object


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
        )
    )
    for row in rows:
        measure_id = row[key]
        if measure_id not in measures:
            measures[measure_id] = Measure.from_db(rows.db, fields, row[: len(fields)])
        start, numerator, denominator, value = row[len(fields) :]
        if start is not None:
            points[measure_id].append(Point(start, plotted(numerator, denominator, value)))
    by_measure, by_team = defaultdict(list), defaultdict(list)
    for cycle in PDSACycle.objects.filter(team_id__in=team_ids).order_by(
        "team_id", "-start_date", "pk"
    ):
        by_team[cycle.team_id].append(cycle)
        if cycle.measure_id in measures:
            cycle.measure = measures[cycle.measure_id]
            by_measure[cycle.measure_id].append(cycle)
    charts = defaultdict(list)
    for measure in measures.values():
        charts[measure.team_id].append(
            run_chart(measure, points[measure.pk], by_measure[measure.pk])
        )
    return {pk: (charts[pk], by_team[pk]) for pk in team_ids}


def axis_labels(measure, starts):
    """The x-axis labels: "w12 2026" for weeks, "Mar 2026" for months."""
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


def describe(measure, analysis) -> str:
    """The chart in words, for screen readers and for the PDF's text."""
    if not analysis["n_obs"]:
        return _("No measurements yet.")
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
            _(
                "Signal: the line crosses the median %(crossings)d times "
                "(at least %(limit)d expected)."
            )
            % {"crossings": analysis["crossings"], "limit": analysis["crossings_min"]}
        )
    if not analysis["signal"]:
        parts.append(_("No signal of non-random variation."))
    if measure.goal is not None:
        parts.append(_("Goal: %(goal)s.") % {"goal": floatformat(measure.goal, -1)})
    return " ".join(parts)


def run_chart(measure, points=None, cycles=None):
    """Everything a page or PDF shows for one measure: analysis, words, SVG."""
    points = list(measure.measurements.all()) if points is None else points
    cycles = list(measure.pdsa_cycles.all()) if cycles is None else cycles
    values = [float(p.result) if p.result is not None else None for p in points]
    freeze = (
        measure.baseline_points
        if measure.baseline_points
        and measure.baseline_points <= len([v for v in values if v is not None])
        else None
    )
    analysis = analyse(values, freeze=freeze)
    starts = [p.period_start for p in points]
    annotations = []
    for number, cycle in enumerate(sorted(cycles, key=lambda c: c.start_date), start=1):
        index = next((i for i, start in enumerate(starts) if start >= cycle.start_date), None)
        if index is not None:
            annotations.append((index, f"PDSA {number}"))
    description = describe(measure, analysis)
    chart = Chart(
        labels=axis_labels(measure, starts),
        values=values,
        centre=analysis["centre"],
        goal=float(measure.goal) if measure.goal is not None else None,
        signal=analysis["signal"],
        freeze=freeze,
        annotations=annotations,
        title=_("Run chart: %(name)s") % {"name": measure.name},
        description=description,
        unit="%" if measure.kind == MeasureKind.PROPORTION else "",
        chart_id=f"chart-{measure.pk}",
    )
    return {
        "measure": measure,
        "analysis": analysis,
        "description": description,
        "svg": mark_safe(render(chart)),
        "cycles": cycles,
    }  # noqa: S308 - our own markup
