"""Status reports: periods from the timeline, drafts, submission, the PDF, the overview."""

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from agreements.models import Agreement, AgreementStatus
from improvement.queries import drawn_diagram
from lib import leases
from lib.conditional import update_if
from lib.emails import Attachment, message_id, send_email
from lib.pdf import render_pdf
from lib.tasks import queue_on_commit
from network.models import Network, Person, User
from network.queries import coordinator_emails
from reports import progress
from reports.models import Export, ReportPeriod, ReportStatus, StatusReport
from reports.scale import SCORES, label
from reports.signals import report_status_changed, report_submitted
from sessions_app.models import SessionKind, SessionStatus
from sessions_app.queries import NO_GATHERINGS, TeamAttendance, attendance_by_team
from teams.charts import team_charts
from teams.models import PDSACycle, Role, Team

REQUIRED_ON_SUBMIT = ("what_worked", "challenges", "next_steps")
DUE_BEFORE_GATHERING = dt.timedelta(days=7)


class ReportError(Exception):
    pass


@transaction.atomic
def propose_report_periods(network: Network) -> list[ReportPeriod]:
    """One period between each pair of gatherings, due a week before the next one.

    Periods are identified by number; one that exists is kept as the
    coordinator left it, so running this again never duplicates or overwrites.
    """
    gatherings = list(
        network.sessions.filter(kind=SessionKind.GATHERING)
        .exclude(status=SessionStatus.CANCELLED)
        .order_by("starts_at")
    )
    created = []
    with translation.override("nb"):
        for number, (first, second) in enumerate(itertools.pairwise(gatherings), start=1):
            start = timezone.localtime(first.starts_at).date()
            due = timezone.localtime(second.starts_at).date() - DUE_BEFORE_GATHERING
            period, was_created = ReportPeriod.objects.get_or_create(
                network=network,
                number=number,
                defaults={
                    "title": _("Status report %(number)d (before gathering %(next)d)")
                    % {"number": number, "next": number + 1},
                    "starts_on": start,
                    "due_on": max(due, start),
                },
            )
            if was_created:
                created.append(period)
    return created


def report_for(team: Team, period: ReportPeriod) -> StatusReport:
    report, _created = StatusReport.objects.get_or_create(team=team, period=period)
    return report


class SubmittedMeanwhile(ReportError):
    """The report was submitted (by someone else) after this person opened it."""


#: What the team writes; a draft save writes these and the cycles, nothing else.
TEXT_FIELDS = (
    "activities",
    "what_worked",
    "challenges",
    "support_needed",
    "next_steps",
    "proposed_score",
    "plan_kept",
    "plan_spread",
    "plan_responsible",
    "plan_by",
    "plan_measures",
)


def _write_draft(
    report: StatusReport, cycles: Iterable[PDSACycle], fields: dict[str, Any]
) -> StatusReport:
    """In the caller's transaction: lock the row, check that it is still a draft,
    and write only the text and the cycles. Never a full save of a copy read
    before: a submit in between would be turned back into a draft."""
    if report.pk is None:  # the team's first save for the period makes the report
        report = report_for(report.team, report.period)
    locked = StatusReport.objects.select_for_update().get(pk=report.pk)
    if locked.is_locked:
        raise SubmittedMeanwhile(
            _(
                "The report was submitted while you were writing, so your changes were "
                "not saved. What you wrote is kept below; ask the coordinator to reopen "
                "the report if it should change."
            )
        )
    unknown = set(fields) - set(TEXT_FIELDS)
    if unknown:
        raise ValueError(f"not a report text: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=[*fields, "updated_at"])
    locked.cycles.set(cycles)
    return locked


def save_draft(report: StatusReport, *, cycles: Iterable[PDSACycle], **fields: Any) -> StatusReport:
    """Save the team's text as a draft; ``SubmittedMeanwhile`` if it is submitted."""
    with transaction.atomic():
        return _write_draft(report, cycles, fields)


def save_and_submit(
    report: StatusReport, *, user: User, cycles: Iterable[PDSACycle], **fields: Any
) -> tuple[StatusReport, list[str]]:
    """Save the text and submit it, in one transaction with the row locked, so that
    the report is submitted with exactly this text. When a required answer is
    missing, the text is saved as a draft and the missing fields are returned."""
    with transaction.atomic():
        saved = _write_draft(report, cycles, fields)
        missing = missing_for_submit(saved)
        if missing:
            return saved, missing
        return submit(saved, user=user), []


def missing_for_submit(report: StatusReport) -> list[str]:
    return [name for name in REQUIRED_ON_SUBMIT if not getattr(report, name).strip()]


def submit(report: StatusReport, *, user: User, now: dt.datetime | None = None) -> StatusReport:
    """Lock the report and queue its PDF to the coordinators and the unit leader."""
    now = now or timezone.now()
    with transaction.atomic():
        updated = update_if(
            StatusReport,
            report.pk,
            {"status": ReportStatus.DRAFT},
            status=ReportStatus.SUBMITTED,
            submitted_at=now,
            submitted_by=user,
            delivered_at=None,
        )
        if not updated:
            raise ReportError(_("The report is already submitted."))
        report_status_changed.send(StatusReport, report=report)
        report_submitted.send(StatusReport, report=report, at=now)
        from reports.tasks import deliver_report

        queue_on_commit(deliver_report, report.pk)
    report.refresh_from_db()
    return report


class ReopenedMeanwhile(ReportError):
    """The report is no longer the submission the coordinator looked at: reopened by
    someone else, or reopened and submitted again."""


def reopen(
    report: StatusReport,
    *,
    user: User,
    reason: str,
    submitted_at: dt.datetime | None,
    now: dt.datetime | None = None,
) -> StatusReport:
    """The coordinator unlocks the submission they saw (``submitted_at``), with a
    reason that is e-mailed to the team leader. Its old PDF is kept until the next
    submission replaces it. ``ReopenedMeanwhile`` when the report has changed since."""
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise ValueError("a reopening needs a reason")
    with transaction.atomic():
        reopened = update_if(
            StatusReport,
            report.pk,
            {"status": ReportStatus.SUBMITTED, "submitted_at": submitted_at},
            status=ReportStatus.DRAFT,
            reopen_reason=reason,
            reopened_at=now,
            reopened_by=user,
            reopen_notified_at=None,
            reopen_lease_until=None,
        )
        if not reopened:
            raise ReopenedMeanwhile(
                _(
                    "The report was reopened or submitted again after you opened this "
                    "page, so nothing was changed. Look at the report as it is now."
                )
            )
        report_status_changed.send(StatusReport, report=report)
        from reports.tasks import notify_reopened

        queue_on_commit(notify_reopened, report.pk)
    report.refresh_from_db()
    return report


def reopen_recipients(report: StatusReport) -> list[str]:
    """The team leaders (their person's address)."""
    return list(
        dict.fromkeys(
            report.team.members.filter(role=Role.TEAM_LEADER)
            .exclude(person__email="")
            .order_by("pk")
            .values_list("person__email", flat=True)
        )
    )


def notify_reopened(report_id: int, *, now: dt.datetime | None = None) -> bool:
    """E-mail the team leader that the report is open again, and why; once per
    reopening (the worker holds the reopening's lease while it sends)."""
    now = now or timezone.now()
    waiting = {"reopened_at__isnull": False, "reopen_notified_at__isnull": True}
    if not leases.claim(StatusReport, report_id, "reopen_lease_until", now, waiting):
        return False
    report = StatusReport.objects.select_related(
        "team__network__centre", "team__municipality", "period"
    ).get(pk=report_id)
    to = reopen_recipients(report)
    try:
        if to:
            send_email(
                "report_reopened",
                {
                    "report": report,
                    "team": report.team,
                    "reopened_by": person_name(report.reopened_by),
                    "report_url": settings.SITE_URL
                    + reverse("reports:report", args=[report.team_id, report.period_id]),
                },
                to,
                reply_to=coordinator_emails(report.team.network) or None,
                headers={"Message-ID": message_id("reopen", f"{report.pk}:{report.reopened_at}")},
            )
    except Exception:
        StatusReport.objects.filter(pk=report_id).update(reopen_lease_until=None)
        raise
    update_if(
        StatusReport,
        report_id,
        {"reopened_at": report.reopened_at},
        reopen_notified_at=now,
        reopen_lease_until=None,
    )
    return True


# --- The progress score ----------------------------------------------------------------


class StaleScore(ReportError):
    """The report changed (a score set, reopened, a new proposal) since the page was read."""


def confirm_score(
    report: StatusReport,
    *,
    score: Decimal,
    comment: str,
    by: User,
    seen_version: int,
    now: dt.datetime | None = None,
) -> None:
    """The coordinator confirms the team's proposed score or sets another, with a
    comment. A conditional UPDATE on what the coordinator saw: the report still
    submitted, with the same proposal and no newer confirmation."""
    if score not in SCORES:
        raise ValueError(f"not on the scale: {score}")
    now = now or timezone.now()
    proposal = (
        Q(proposed_score__isnull=True)
        if report.proposed_score is None
        else Q(proposed_score=report.proposed_score)
    )
    updated = update_if(
        StatusReport,
        report.pk,
        proposal & Q(status=ReportStatus.SUBMITTED, score_version=seen_version),
        score=score,
        score_comment=comment.strip(),
        score_set_at=now,
        score_set_by=by,
        score_version=F("score_version") + 1,
    )
    if not updated:
        raise StaleScore(
            _(
                "%(team)s: the report changed after you opened the page (another score was "
                "set, or it was reopened). Look at it again and confirm once more."
            )
            % {"team": report.team}
        )


def is_last_period(period: ReportPeriod) -> bool:
    """The network's last reporting period: its report carries the spread plan."""
    last = (
        ReportPeriod.objects.filter(network_id=period.network_id)
        .order_by("-due_on", "-number")
        .values_list("pk", flat=True)
        .first()
    )
    return last == period.pk


def report_context(report: StatusReport) -> dict[str, Any]:
    team = report.team
    return {
        "is_last": is_last_period(report.period),
        "proposed_label": label(report.proposed_score),
        "score_label": label(report.score),
        "report": report,
        "team": team,
        "network": team.network,
        "cycles": list(report.cycles.select_related("measure")),
        "submitted_by": person_name(report.submitted_by),
        "charts": team_charts([team])[team.pk][0],
        "diagram": drawn_diagram(team),
    }


def person_name(user: User | None) -> str:
    """The name of the person behind a login (their e-mail only if no person)."""
    if user is None:
        return ""
    person = Person.objects.filter(user=user).only("name").first()
    return person.name if person else user.email


def report_pdf(report: StatusReport) -> bytes:
    return render_pdf("reports/report_pdf.html", report_context(report))


def recipients(report: StatusReport) -> list[str]:
    """The coordinators, the unit leader, and a copy for the team leader and the
    person who submitted it."""
    team = report.team
    emails = coordinator_emails(team.network)
    if team.unit_leader and team.unit_leader.email:
        emails.append(team.unit_leader.email)
    emails += (
        team.members.filter(role=Role.TEAM_LEADER)
        .exclude(person__email="")
        .values_list("person__email", flat=True)
    )
    if report.submitted_by and report.submitted_by.email:
        emails.append(report.submitted_by.email)
    return list(dict.fromkeys(emails))


def deliver_report(report_id: int, *, now: dt.datetime | None = None) -> bool:
    """Render, keep and e-mail the submitted report's PDF; once per submission.

    The worker holds the report's delivery lease while it works; one that dies
    leaves the lease to run out and ``deliver_pending`` takes the report again.
    """
    now = now or timezone.now()
    waiting = {"status": ReportStatus.SUBMITTED, "delivered_at__isnull": True}
    if not leases.claim(StatusReport, report_id, "delivery_lease_until", now, waiting):
        return False
    report = StatusReport.objects.select_related(
        "team__network__centre", "team__municipality", "team__unit_leader", "period"
    ).get(pk=report_id)
    try:
        pdf = report_pdf(report)
        name = f"statusrapport-{report.team.pk}-{report.period.number}.pdf"
        report.pdf.save(name, ContentFile(pdf), save=False)
        report.save(update_fields=["pdf"])
        send_email(
            "report_submitted",
            {"report": report, "team": report.team, "site_url": settings.SITE_URL},
            recipients(report),
            attachments=(Attachment(name, pdf, "application/pdf"),),
            headers={"Message-ID": message_id("report", f"{report.pk}:{report.submitted_at}")},
        )
    except Exception:
        # Give the lease back, so that a retry or the sweep can deliver it.
        StatusReport.objects.filter(pk=report_id).update(delivery_lease_until=None)
        raise
    StatusReport.objects.filter(pk=report_id).update(delivered_at=now, delivery_lease_until=None)
    return True


def deliver_pending(now: dt.datetime | None = None) -> int:
    """Deliver every submitted report whose PDF has not gone out and that no live
    worker holds: the broker was down when it was submitted, or a worker died."""
    now = now or timezone.now()
    waiting = (
        StatusReport.objects.filter(status=ReportStatus.SUBMITTED, delivered_at__isnull=True)
        .filter(leases.free("delivery_lease_until", now))
        .order_by("submitted_at")
        .values_list("pk", flat=True)
    )
    delivered = sum(deliver_report(pk, now=now) for pk in list(waiting[:200]))
    reopened = (
        StatusReport.objects.filter(reopened_at__isnull=False, reopen_notified_at__isnull=True)
        .filter(leases.free("reopen_lease_until", now))
        .order_by("reopened_at")
        .values_list("pk", flat=True)
    )
    return delivered + sum(notify_reopened(pk, now=now) for pk in list(reopened[:200]))


# --- The coordinator's overview ---------------------------------------------------------


class Cell:
    SUBMITTED, DRAFT, MISSING, OVERDUE = "submitted", "draft", "missing", "overdue"


@dataclass
class OverviewRow:
    team: Team
    cells: list[tuple[ReportPeriod, str, StatusReport | None]]
    agreement: Agreement | None = None  # the team's participation agreement, if it has one
    attendance: TeamAttendance = NO_GATHERINGS  # at the gatherings held so far

    @property
    def current_score(self) -> StatusReport | None:
        """The latest submitted report with a score, confirmed or proposed."""
        return progress.current([report for _period, _state, report in self.cells])


def overview(network: Network, today: dt.date) -> tuple[list[ReportPeriod], list[OverviewRow]]:
    """Every team against every period: submitted, draft, missing or overdue."""
    periods = list(network.report_periods.order_by("due_on"))
    teams = list(
        network.teams.select_related("municipality", "agreement").order_by(
            "municipality__name", "unit"
        )
    )
    reports = {
        (r.team_id, r.period_id): r for r in StatusReport.objects.filter(period__network=network)
    }
    attendance = attendance_by_team(network.pk)
    rows = []
    for team in teams:
        cells = []
        for period in periods:
            report = reports.get((team.pk, period.pk))
            if report and report.status == ReportStatus.SUBMITTED:
                state = Cell.SUBMITTED
            elif period.due_on < today:
                state = Cell.OVERDUE
            elif report:
                state = Cell.DRAFT
            else:
                state = Cell.MISSING
            cells.append((period, state, report))
        rows.append(
            OverviewRow(
                team,
                cells,
                getattr(team, "agreement", None),
                attendance.get(team.pk, NO_GATHERINGS),
            )
        )
    return periods, rows


def agreement_counts(rows: Iterable[OverviewRow]) -> list[tuple[str, str | Promise, int]]:
    """(state, label, number of teams) for the states the network's agreements are in."""
    counts = Counter(row.agreement.status for row in rows if row.agreement)
    return [
        (value, label, counts[value]) for value, label in AgreementStatus.choices if counts[value]
    ]


# --- Heavy exports, made by a worker --------------------------------------------------------


def request_summary(network: Network, user: User) -> Export:
    """Queue the network summary PDF; the page shows progress until it is ready."""
    from reports.tasks import build_summary

    with transaction.atomic():
        export = Export.objects.create(network=network, requested_by=user)
        queue_on_commit(build_summary, export.pk)
    return export


#: A summary that failed this many times stays failed; the coordinator may retry.
EXPORT_ATTEMPTS = 3


def build_summary(export_id: int, *, now: dt.datetime | None = None) -> bool:
    """Make the summary PDF, holding the export's lease. A second run of the same
    task does nothing; a worker that died leaves the lease to run out, and
    ``build_pending`` tries again, at most ``EXPORT_ATTEMPTS`` times in all."""
    from reports.exports import summary_pdf
    from reports.models import ExportStatus

    now = now or timezone.now()
    claimable = {
        "status__in": [ExportStatus.PENDING, ExportStatus.RUNNING],
        "attempts__lt": EXPORT_ATTEMPTS,
    }
    if not leases.claim(Export, export_id, "lease_until", now, claimable):
        return False
    Export.objects.filter(pk=export_id).update(
        status=ExportStatus.RUNNING, attempts=F("attempts") + 1
    )
    export = Export.objects.select_related("network__centre").get(pk=export_id)
    try:
        pdf = summary_pdf(export.network)
    except Exception as error:
        Export.objects.filter(pk=export_id).update(
            status=ExportStatus.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
            lease_until=None,
        )
        raise
    export.file.save(
        f"sammendrag-{export.network_id}-{export.pk}.pdf", ContentFile(pdf), save=False
    )
    export.status, export.finished_at, export.lease_until = ExportStatus.DONE, timezone.now(), None
    export.save(update_fields=["file", "status", "finished_at", "lease_until"])
    return True


def build_pending(now: dt.datetime | None = None) -> dict[str, int]:
    """Build the exports that wait with no live worker; give up on those that have
    had all their attempts (a worker died each time): they are shown as failed."""
    from reports.models import ExportStatus

    now = now or timezone.now()
    open_states = [ExportStatus.PENDING, ExportStatus.RUNNING]
    abandoned = Export.objects.filter(
        leases.free("lease_until", now), status__in=open_states, attempts__gte=EXPORT_ATTEMPTS
    ).update(
        status=ExportStatus.FAILED,
        error=_("The summary could not be made: the worker stopped each time it tried."),
        finished_at=now,
    )
    waiting = list(
        Export.objects.filter(leases.free("lease_until", now), status__in=open_states)
        .order_by("created_at")
        .values_list("pk", flat=True)[:20]
    )
    return {"built": sum(build_summary(pk, now=now) for pk in waiting), "failed": abandoned}


def retry_export(export: Export) -> bool:
    """The coordinator asks again for a summary that failed."""
    from reports.models import ExportStatus

    return bool(
        update_if(
            Export,
            export.pk,
            {"status": ExportStatus.FAILED},
            status=ExportStatus.PENDING,
            attempts=0,
            error="",
            finished_at=None,
            lease_until=None,
        )
    )
