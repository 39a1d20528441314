"""Reading status reports."""

import datetime as dt

from django.db.models import OuterRef, Q, Subquery

from reports.models import ReportPeriod, ReportStatus, StatusReport
from teams.models import Team


def periods_with_state(team: Team) -> list[tuple[ReportPeriod, str | None]]:
    """The network's reporting periods in order, each with the state of the team's
    report for it (None: not started), in one query."""
    report_state = StatusReport.objects.filter(team=team, period=OuterRef("pk")).order_by()
    periods = ReportPeriod.objects.filter(network_id=team.network_id).annotate(
        report_state=Subquery(report_state.values("status")[:1])
    )
    return [(period, period.report_state) for period in periods.order_by("due_on")]


def next_due(periods: list[tuple[ReportPeriod, str | None]], today: dt.date) -> ReportPeriod | None:
    """The first period still ahead whose report is not submitted."""
    return next(
        (p for p, state in periods if p.due_on >= today and state != ReportStatus.SUBMITTED), None
    )


def spread_plans(network) -> dict[int, StatusReport]:
    """{team id: report} of the network's last period, for the reports that carry an
    implementation and spread plan (the follow-up call reads them)."""
    last = ReportPeriod.objects.filter(network=network).order_by("-due_on", "-number").first()
    if last is None:
        return {}
    reports = StatusReport.objects.filter(period=last).order_by()
    return {report.team_id: report for report in reports if report.has_plan}


def team_scores(team: Team) -> list[StatusReport]:
    """The team's submitted reports that carry a progress score (proposed or
    confirmed), in period order, in one query: the last one is the score now."""
    return list(
        StatusReport.objects.filter(team=team, status=ReportStatus.SUBMITTED)
        .filter(Q(score__isnull=False) | Q(proposed_score__isnull=False))
        .select_related("period")
        .order_by("period__due_on", "period__number")
    )
