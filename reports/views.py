"""Status reports: the team writes and submits them; the coordinator follows every
team's reports on the network overview, reopens one, and exports them."""

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.keep_post import login_required_keeping_post, take_kept_post
from lib.tasks import queue_on_commit
from network.models import RecommendedMeasure
from network.queries import get_coordinated_network
from reports import exports, services
from reports.forms import StatusReportForm
from reports.models import Export, ExportStatus, ReportPeriod, StatusReport
from teams.charts import team_charts
from teams.queries import (
    get_workspace_team,
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
            StatusReportForm(kept, instance=report, team=team, period=period)
            if kept
            else StatusReportForm(instance=report, team=team, period=period)
        )
        if kept:
            messages.warning(
                request, _("Your login had expired. What you wrote is kept below: save it now.")
            )
    if report is not None and report.pk is None:
        report = None  # not saved yet: the page shows no state
    context = services.report_context(report) if report else {"team": team, "charts": []}
    if not report:
        context["charts"] = team_charts([team])[team.pk][0]
    return render(
        request,
        "reports/report_form.html",
        {
            **context,
            "team": team,
            "period": period,
            "report": report,
            "form": form,
            "draft_saved": draft_saved,
            "editable": editable and not (report and report.is_locked),
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
            "agreements": services.agreement_counts(rows),
            "shared_measures": shared_measures(network),
        },
    )


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
@require_POST
def report_reopen(request, network_id, report_id):
    network = get_coordinated_network(request, network_id)
    report = get_object_or_404(StatusReport, pk=report_id, period__network=network)
    if services.reopen(report):
        messages.success(
            request,
            _("The report from %(team)s is open for changes again.") % {"team": report.team},
        )
    return redirect("reports:network_reports", network.pk)


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
