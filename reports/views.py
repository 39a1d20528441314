"""Status reports: the team writes and submits them; the coordinator follows every
team's reports on the network overview, reopens one, and exports them."""

import os
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from improvement.queries import drawn_diagram
from lib.keep_post import login_required_keeping_post, take_kept_post
from lib.tasks import queue_on_commit
from network.models import RecommendedMeasure
from network.queries import get_coordinated_network
from reports import exports, progress, services
from reports.forms import ReopenForm, ScoreForm, StatusReportForm
from reports.models import Export, ExportStatus, ReportPeriod, StatusReport
from teams.charts import team_charts
from teams.queries import (
    get_workspace_team,
    may_coordinate_team,
    may_enter_data,
)
from teams.small_multiples import SORTS, shared_measures, small_multiples

# --- Status reports: the team's side ----------------------------------------------------


@login_required_keeping_post
def report_edit(request, team_id, period_id):
    """Write the report: save a draft at any time, submit when it is done."""
    team = get_workspace_team(request, team_id)
    period = get_object_or_404(ReportPeriod, pk=period_id, network_id=team.network_id)
    editable = may_enter_data(team)
    last = services.is_last_period(period)
    draft_saved = False
    report = StatusReport.objects.filter(team=team, period=period).first()
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(
                _("Only the team leader and the measurement lead write the report.")
            )
        # Nothing is stored until the input is valid: a new report is made by the
        # first save.
        report = report or StatusReport(team=team, period=period)
        # A report submitted meanwhile gets a form of its own: the locked report's
        # form would show the submitted text instead of what this person typed.
        form = StatusReportForm(
            request.POST,
            instance=None if report.is_locked else report,
            team=team,
            period=period,
            last=last,
        )
        if form.is_valid():
            data = dict(form.cleaned_data)
            cycles = data.pop("cycles")
            try:
                if "submit" not in request.POST:
                    services.save_draft(report, cycles=cycles, **data)
                    messages.success(request, _("The draft is saved."))
                    return redirect("reports:report", team.pk, period.pk)
                report, missing = services.save_and_submit(
                    report, user=request.user, cycles=cycles, **data
                )
            except services.SubmittedMeanwhile as error:
                # Nothing is written over the submitted report; the form keeps what
                # this person typed, so that they can copy it.
                form.add_error(None, str(error))
                report = StatusReport.objects.get(team=team, period=period)
                editable = False
            else:
                if not missing:
                    messages.success(
                        request,
                        _(
                            "The report is submitted and locked. You, the coordinator "
                            "and the unit leader get it as a PDF."
                        ),
                    )
                    return redirect("teams:team", team.pk)
                draft_saved = True
                for name in missing:
                    form.add_error(name, _("Fill this in before you submit."))
    else:
        kept = take_kept_post(request)
        form = (
            StatusReportForm(kept, instance=report, team=team, period=period, last=last)
            if kept
            else StatusReportForm(instance=report, team=team, period=period, last=last)
        )
        if kept:
            messages.warning(
                request, _("Your login had expired. What you wrote is kept below: save it now.")
            )
    if report is not None and report.pk is None:
        report = None  # not saved yet: the page shows no state
    editable = editable and not (report and report.is_locked)
    context = services.report_context(report) if report else {"team": team, "charts": []}
    if not report:
        context["charts"] = team_charts([team])[team.pk][0]
        context["diagram"] = drawn_diagram(team)
    return render(
        request,
        "reports/report_form.html",
        {
            **context,
            "team": team,
            "period": period,
            "report": report,
            "form": form,
            "is_last": last,
            "draft_saved": draft_saved,
            "editable": editable,
            # Read-only (the submitted report, or anyone who does not write it) as
            # text; a form only to write, or to keep what was typed when the report
            # was submitted meanwhile.
            "show_form": editable or form.is_bound,
            "may_reopen": report is not None and may_coordinate_team(request, team),
        },
    )


@login_required
def report_pdf(request, team_id, report_id):
    team = get_workspace_team(request, team_id)
    report = get_object_or_404(StatusReport, pk=report_id, team=team)
    if not report.pdf:
        raise Http404
    return FileResponse(
        report.pdf.open("rb"),
        as_attachment=True,
        filename=os.path.basename(report.pdf.name),
        content_type="application/pdf",
    )


# --- Status reports: the coordinator's side -------------------------------------------------


@login_required
def network_reports(request, network_id):
    network = get_coordinated_network(request, network_id)
    periods, rows = services.overview(network, timezone.localdate())
    return render(
        request,
        "reports/network_reports.html",
        {
            "network": network,
            "periods": periods,
            "rows": rows,
            "spread": progress.spread_chart(periods, rows),
            "agreements": services.agreement_counts(rows),
            "shared_measures": shared_measures(network),
        },
    )


@dataclass
class ScoreEntry:
    """One report's score form as the page draws it: the choices are drawn once for
    the page, not per form (a select of ten options per team was most of the page's
    time)."""

    team: Any
    report: StatusReport
    selected: str
    comment: str
    version: int
    errors: Any = None  # the ScoreForm sent back with errors, if this is the one

    @property
    def prefix(self):
        return f"r{self.report.pk}"


def _score_page(request, network, *, period_id=None, bound=None):
    """The submitted reports of one period (the latest with any, unless asked),
    each with its score form; ``bound`` is (report id, form) of a form sent back
    with errors, shown as sent. One period at a time: a network's page stays the
    size of its teams, whatever the number of periods."""
    periods, rows = services.overview(network, timezone.localdate())
    submitted = [
        index
        for index in range(len(periods))
        if any(row.cells[index][2] is not None and row.cells[index][2].is_locked for row in rows)
    ]
    chosen = next((i for i in submitted if periods[i].pk == period_id), None)
    if chosen is None and submitted:
        chosen = submitted[-1]
    entries = []
    for row in rows if chosen is not None else []:
        _period, _state, report = row.cells[chosen]
        if report is None or not report.is_locked:
            continue
        score = report.score if report.score is not None else report.proposed_score
        entry = ScoreEntry(
            row.team,
            report,
            selected=str(score) if score is not None else "",
            comment=report.score_comment,
            version=report.score_version,
        )
        if bound and bound[0] == report.pk:
            form = bound[1]
            entry.selected = form["score"].value() or ""
            entry.comment = form["comment"].value() or ""
            entry.version = form["version"].value()
            entry.errors = form
        entries.append(entry)
    return render(
        request,
        "reports/network_scores.html",
        {
            "network": network,
            "period": periods[chosen] if chosen is not None else None,
            "periods": [periods[i] for i in submitted],
            "entries": entries,
            "options": [(str(s), label) for s, label in progress.scale.choices()],
            "spread": progress.spread_chart(periods, rows),
            "scale": progress.scale.SCALE,
        },
    )


@login_required
def network_scores(request, network_id):
    """The coordinator confirms or adjusts the teams' progress scores."""
    network = get_coordinated_network(request, network_id)
    try:
        period_id = int(request.GET.get("periode", ""))
    except ValueError:
        period_id = None
    return _score_page(request, network, period_id=period_id)


@login_required
@require_POST
def confirm_score(request, network_id, report_id):
    network = get_coordinated_network(request, network_id)
    report = get_object_or_404(
        StatusReport.objects.select_related("team__municipality"),
        pk=report_id,
        period__network=network,
    )
    form = ScoreForm(request.POST, proposed=report.proposed_score, prefix=f"r{report.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.confirm_score(
                report,
                score=data["score"],
                comment=data["comment"],
                by=request.user,
                seen_version=data["version"],
            )
        except services.StaleScore as error:
            form.add_error(None, str(error))
        except services.ReportError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(team)s: the progress score %(score)s is confirmed.")
                % {"team": report.team, "score": progress.scale.label(data["score"])},
            )
            url = reverse("reports:network_scores", args=[network.pk])
            return redirect(f"{url}?periode={report.period_id}#r{report.pk}")
    return _score_page(request, network, period_id=report.period_id, bound=(report.pk, form))


@login_required
def network_measure(request, network_id, recommended_id):
    """One measure across the network's teams: small charts on one scale, sorted by
    name, last value or improvement, and the network's pooled chart."""
    network = get_coordinated_network(request, network_id)
    recommended = get_object_or_404(RecommendedMeasure, pk=recommended_id)
    sort = request.GET.get("sort") if request.GET.get("sort") in SORTS else "name"
    rows, pooled, funnel = small_multiples(network, recommended, sort)
    # One reverse() for the links of every row (thirty of them cost a few milliseconds).
    placeholder = 2_000_000_001
    link = reverse("teams:team", args=[placeholder])
    for row in rows:
        row["url"] = link.replace(str(placeholder), str(row["team"].pk))
    return render(
        request,
        "reports/network_measure.html",
        {
            "network": network,
            "recommended": recommended,
            "rows": rows,
            "pooled": pooled,
            "funnel": funnel,
            "sort": sort,
            "sorts": [
                ("name", _("Name")),
                ("last", _("Last value")),
                ("improvement", _("Improvement")),
            ],
        },
    )


@login_required
def report_reopen(request, network_id, report_id):
    """Reopen a submitted report, with a reason that the team leader is e-mailed."""
    network = get_coordinated_network(request, network_id)
    report = get_object_or_404(
        StatusReport.objects.select_related("team__municipality", "period", "submitted_by"),
        pk=report_id,
        period__network=network,
    )
    if request.method == "POST":
        form = ReopenForm(request.POST)
        if form.is_valid():
            try:
                services.reopen(
                    report,
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                    submitted_at=form.cleaned_data["submitted_at"],
                )
            except services.ReopenedMeanwhile as error:
                form.add_error(None, str(error))
                report.refresh_from_db()
            else:
                messages.success(
                    request,
                    _(
                        "The report from %(team)s is open for changes again. The team "
                        "leader is e-mailed the reason."
                    )
                    % {"team": report.team},
                )
                return redirect("reports:network_reports", network.pk)
    else:
        form = ReopenForm(
            initial={"submitted_at": report.submitted_at.isoformat() if report.submitted_at else ""}
        )
    return render(
        request,
        "reports/report_reopen.html",
        {
            "network": network,
            "report": report,
            "team": report.team,
            "form": form,
            "team_leaders": services.reopen_recipients(report),
        },
    )


# --- Exports -----------------------------------------------------------------------------------


def _download(content, filename, content_type):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def network_summary_pdf(request, network_id):
    """Ask a worker for the summary PDF; the export page shows when it is ready."""
    network = get_coordinated_network(request, network_id)
    export = services.request_summary(network, request.user)
    return redirect("reports:export", network.pk, export.pk)


def _export(request, network_id, export_id):
    network = get_coordinated_network(request, network_id)
    return get_object_or_404(Export, pk=export_id, network=network)


@login_required
def export_status(request, network_id, export_id):
    export = _export(request, network_id, export_id)
    return render(request, "reports/export.html", {"export": export, "network": export.network})


@login_required
@require_POST
def export_retry(request, network_id, export_id):
    """Ask again for a summary that failed."""
    export = _export(request, network_id, export_id)
    if services.retry_export(export):
        from reports.tasks import build_summary

        queue_on_commit(build_summary, export.pk)
    return redirect("reports:export", export.network_id, export.pk)


@login_required
def export_file(request, network_id, export_id):
    export = _export(request, network_id, export_id)
    if export.status != ExportStatus.DONE or not export.file:
        raise Http404
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=exports.file_name(export.network, "pdf", "sammendrag"),
        content_type="application/pdf",
    )


@login_required
def network_measurements_csv(request, network_id):
    network = get_coordinated_network(request, network_id)
    return _download(
        exports.to_csv(*exports.measurement_rows(network)),
        exports.file_name(network, "csv", "malinger"),
        "text/csv; charset=utf-8",
    )


@login_required
def network_reports_csv(request, network_id):
    network = get_coordinated_network(request, network_id)
    return _download(
        exports.to_csv(*exports.report_rows(network)),
        exports.file_name(network, "csv", "rapporter"),
        "text/csv; charset=utf-8",
    )


@login_required
def network_xlsx(request, network_id):
    network = get_coordinated_network(request, network_id)
    content = exports.to_xlsx(
        [
            (_("Measurements"), *exports.measurement_rows(network)),
            (_("Status reports"), *exports.report_rows(network)),
        ],
        title=network.title,
        author=network.centre.name,
    )
    return _download(
        content,
        exports.file_name(network, "xlsx"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
