"""The team page: everything about one team in one place.

It shows several apps at once (the team, its measures, the timeline), so it
lives here, in the highest app it shows, and reads the others through their
queries.
"""

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lib.keep_post import login_required_keeping_post, take_kept_post
from network.models import Network
from network.queries import get_coordinated_network, is_coordinator
from reports import exports, services
from reports.forms import StatusReportForm
from reports.models import Export, ExportStatus, ReportPeriod, ReportStatus, StatusReport
from sessions_app.queries import next_sessions, open_gatherings
from teams.charts import team_charts
from teams.queries import (
    DATA_ROLES,
    get_workspace_team,
    may_enter_data,
    role_in,
    workspace_teams,
)


def home(request):
    """The front page: where each kind of user goes next. It shows networks and
    open gatherings, so it lives here, in the top app."""
    coordinator = request.user.is_superuser or is_coordinator(request.user)
    networks = (
        Network.objects.visible_to(request.user)
        .select_related("centre")
        .order_by("-start_date")[:20]
        if coordinator
        else []
    )
    return render(
        request,
        "network/home.html",
        {
            "is_coordinator": coordinator,
            "networks": networks,
            "open_gatherings": open_gatherings()[:10],
        },
    )


@login_required
def my_teams(request):
    teams = list(
        workspace_teams(request.user)
        .select_related("network", "municipality")
        .order_by("network__title", "municipality__name", "unit")[:200]
    )
    if len(teams) == 1:
        return redirect("reports:team", teams[0].pk)
    return render(request, "reports/my_teams.html", {"teams": teams})


@login_required
def team_page(request, team_id):
    team = get_workspace_team(request.user, team_id)
    role = role_in(request.user, team)
    members = list(team.members.select_related("person").order_by("role", "person__name"))
    charts, cycles = team_charts([team])[team.pk]
    # Explicit orderings: the models' default ones sort by related models (joins).
    interventions = (
        list(team.focus_area.interventions.order_by("position", "id")) if team.focus_area else []
    )
    # Each period with the state of the team's report for it (None: not started).
    report_state = StatusReport.objects.filter(team=team, period=OuterRef("pk")).order_by()
    periods = [
        (period, period.report_state)
        for period in team.network.report_periods.annotate(
            report_state=Subquery(report_state.values("status")[:1])
        ).order_by("due_on")
    ]
    today = timezone.localdate()
    next_due = next(
        (p for p, state in periods if p.due_on >= today and state != ReportStatus.SUBMITTED), None
    )
    return render(
        request,
        "reports/team_page.html",
        {
            "periods": periods,
            "next_due": next_due,
            "today": today,
            "team": team,
            "members": members,
            "interventions": interventions,
            "charts": charts,
            "cycles": cycles,
            "upcoming": next_sessions(team, timezone.now()),
            "editable": role in DATA_ROLES,
            "role": role,
        },
    )


# --- Status reports: the team's side ----------------------------------------------------


@login_required_keeping_post
def report_edit(request, team_id, period_id):
    """Write the report: save a draft at any time, submit when it is done."""
    team = get_workspace_team(request.user, team_id)
    period = get_object_or_404(ReportPeriod, pk=period_id, network_id=team.network_id)
    editable = may_enter_data(request.user, team)
    report = StatusReport.objects.filter(team=team, period=period).first()
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(
                _("Only the team leader and the measurement lead write the report.")
            )
        report = report or services.report_for(team, period)
        form = StatusReportForm(request.POST, instance=report, team=team)
        if report.is_locked:
            messages.error(
                request, _("The report is submitted and locked. Ask the coordinator to reopen it.")
            )
            return redirect("reports:report", team.pk, period.pk)
        if form.is_valid():
            data = dict(form.cleaned_data)
            services.save_draft(report, cycles=data.pop("cycles"), **data)
            if "submit" not in request.POST:
                messages.success(request, _("The draft is saved."))
                return redirect("reports:report", team.pk, period.pk)
            missing = services.missing_for_submit(report)
            if not missing:
                services.submit(report, user=request.user)
                messages.success(
                    request,
                    _(
                        "The report is submitted. The coordinator and "
                        "the unit leader get it as a PDF."
                    ),
                )
                return redirect("reports:team", team.pk)
            for name in missing:
                form.add_error(name, _("Fill this in before you submit. The draft is saved."))
    else:
        kept = take_kept_post(request)
        form = (
            StatusReportForm(kept, instance=report, team=team)
            if kept
            else StatusReportForm(instance=report, team=team)
        )
        if kept:
            messages.warning(
                request, _("Your login had expired. What you wrote is kept below: save it now.")
            )
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
            "editable": editable and not (report and report.is_locked),
        },
    )


@login_required
def report_pdf(request, team_id, report_id):
    team = get_workspace_team(request.user, team_id)
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
    network = get_coordinated_network(request.user, network_id)
    periods, rows = services.overview(network, timezone.localdate())
    return render(
        request,
        "reports/network_reports.html",
        {
            "network": network,
            "periods": periods,
            "rows": rows,
            "agreements": services.agreement_counts(rows),
        },
    )


@login_required
@require_POST
def report_reopen(request, network_id, report_id):
    network = get_coordinated_network(request.user, network_id)
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
    network = get_coordinated_network(request.user, network_id)
    export = services.request_summary(network, request.user)
    return redirect("reports:export", network.pk, export.pk)


def _export(request, network_id, export_id):
    network = get_coordinated_network(request.user, network_id)
    return get_object_or_404(Export, pk=export_id, network=network)


@login_required
def export_status(request, network_id, export_id):
    export = _export(request, network_id, export_id)
    return render(request, "reports/export.html", {"export": export, "network": export.network})


@login_required
def export_file(request, network_id, export_id):
    export = _export(request, network_id, export_id)
    if export.status != ExportStatus.DONE or not export.file:
        raise Http404
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"sammendrag-{export.network_id}.pdf",
        content_type="application/pdf",
    )


@login_required
def network_measurements_csv(request, network_id):
    network = get_coordinated_network(request.user, network_id)
    return _download(
        exports.to_csv(*exports.measurement_rows(network)),
        f"malinger-{network.pk}.csv",
        "text/csv; charset=utf-8",
    )


@login_required
def network_reports_csv(request, network_id):
    network = get_coordinated_network(request.user, network_id)
    return _download(
        exports.to_csv(*exports.report_rows(network)),
        f"rapporter-{network.pk}.csv",
        "text/csv; charset=utf-8",
    )


@login_required
def network_xlsx(request, network_id):
    network = get_coordinated_network(request.user, network_id)
    content = exports.to_xlsx(
        [
            (_("Measurements"), *exports.measurement_rows(network)),
            (_("Status reports"), *exports.report_rows(network)),
        ]
    )
    return _download(
        content,
        f"nettverk-{network.pk}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
