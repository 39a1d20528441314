"""The network's progress scores: each team's score per period and the chart of how
the teams are spread over the scale. Reads what ``services.overview`` read: no
query of its own."""

import statistics
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lib.svgchart import Spread, render_spread
from reports import scale
from reports.models import ReportPeriod, ReportStatus, StatusReport


def current(reports: list[StatusReport | None]) -> StatusReport | None:
    """The latest submitted report that carries a score, confirmed or proposed."""
    scored = [
        r
        for r in reports
        if r is not None
        and r.status == ReportStatus.SUBMITTED
        and (r.score is not None or r.proposed_score is not None)
    ]
    return scored[-1] if scored else None


def confirmed(report: StatusReport | None) -> Decimal | None:
    if report is None or report.status != ReportStatus.SUBMITTED:
        return None
    return report.score


@dataclass
class SpreadChart:
    svg: SafeString
    #: The text alternative: per level (high to low), the number of teams per period.
    table: list[tuple[str, list[int]]]
    periods: list[ReportPeriod]
    scored: int
    description: str


def spread_chart(periods: list[ReportPeriod], rows, chart_id: str = "score-spread") -> SpreadChart:
    """``rows`` as ``services.overview`` gives them: the confirmed scores only."""
    counts: list[Counter] = [Counter() for _period in periods]
    for row in rows:
        for index, (_period, _state, report) in enumerate(row.cells):
            score = confirmed(report)
            if score is not None:
                counts[index][float(score)] += 1
    medians = [float(statistics.median(list(c.elements()))) if c else None for c in counts]
    scored = sum(sum(c.values()) for c in counts)
    levels = [float(s) for s in scale.SCORES]
    described = []
    for period, c, median in zip(periods, counts, medians, strict=True):
        if not c:
            continue
        spread = ", ".join(
            ngettext("%(count)d team at %(score)s", "%(count)d teams at %(score)s", n)
            % {"count": n, "score": number_format(level, 1)}
            for level, n in sorted(c.items())
        )
        described.append(
            _("%(period)s: %(spread)s (median %(median)s)")
            % {"period": period.title, "spread": spread, "median": number_format(median, 1)}
        )
    description = "; ".join(described) or _("No score is confirmed yet.")
    svg = render_spread(
        Spread(
            labels=[_("Report %(number)d") % {"number": p.number} for p in periods],
            levels=levels,
            counts=[dict(c) for c in counts],
            medians=medians,
            title=_("The teams' confirmed progress scores per report period"),
            description=description,
            median_label=_("Median of the teams"),
            chart_id=chart_id,
        )
    )
    table = [
        (scale.label(score), [c.get(float(score), 0) for c in counts])
        for score in reversed(scale.SCORES)
    ]
    # Our own markup, its texts escaped in render_spread.
    return SpreadChart(mark_safe(svg), table, periods, scored, description)  # noqa: S308


def history_text(reports: list[StatusReport | None]) -> SafeString:
    """ "1,0 → 2,0 → 2,5": the confirmed scores in order (for the PDF)."""
    scores = [confirmed(r) for r in reports]
    return format_html_join(" → ", "{}", ((number_format(s, 1),) for s in scores if s))
