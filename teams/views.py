"""The team's workspace: the team page, measures, data entry and the PDSA log.

Every view starts from ``get_workspace_team``: another team's pages answer 404.
Entering data takes the team leader's or the measurement lead's role: 403 for
other members.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reports.queries import next_due, periods_with_state
from sessions_app.queries import next_sessions
from teams import services
from teams.charts import measure_chart, team_charts
from teams.forms import CSVUploadForm, MeasureForm, PDSAForm, PointFormSet, grid_initial
from teams.queries import (
    DATA_ROLES,
    get_workspace_team,
    may_enter_data,
    workspace_teams,
)


def _editable_team(request, team_id):
    team = get_workspace_team(request, team_id)
    if not may_enter_data(team):
        raise PermissionDenied(_("Only the team leader and the measurement lead enter data."))
    return team


@login_required
def measure_create(request, team_id):
    team = _editable_team(request, team_id)
    form = MeasureForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        measure = services.create_measure(team, **form.cleaned_data)
        messages.success(request, _("The measure %(name)s was added.") % {"name": measure})
        return redirect("teams:measure", team.pk, measure.pk)
    return render(request, "teams/measure_form.html", {"team": team, "form": form})


@login_required
def measure_detail(request, team_id, measure_id):
    """The run chart, and the grid that takes a whole series at once."""
    team = get_workspace_team(request, team_id)
    measure = get_object_or_404(team.measures, pk=measure_id)
    editable = may_enter_data(team)
    if request.method == "POST" and not editable:
        raise PermissionDenied(_("Only the team leader and the measurement lead enter data."))
    grid = PointFormSet(
        request.POST or None,
        measure=measure,
        initial=None if request.method == "POST" else grid_initial(measure, timezone.localdate()),
    )
    if request.method == "POST" and grid.is_valid():
        saved, deleted = services.save_series(measure, grid.rows())
        messages.success(
            request,
            ngettext("Saved %(count)d point.", "Saved %(count)d points.", saved) % {"count": saved},
        )
        return redirect("teams:measure", team.pk, measure.pk)
    return render(
        request,
        "teams/measure_detail.html",
        {
            "team": team,
            "measure": measure,
            "chart": measure_chart(measure),
            "grid": grid,
            "editable": editable,
            "csv_form": CSVUploadForm(measure=measure),
        },
    )


@login_required
def measure_upload(request, team_id, measure_id):
    team = _editable_team(request, team_id)
    measure = get_object_or_404(team.measures, pk=measure_id)
    form = CSVUploadForm(request.POST or None, request.FILES or None, measure=measure)
    if request.method == "POST" and form.is_valid():
        saved, _deleted = services.save_series(measure, form.rows)
        messages.success(
            request,
            ngettext("Imported %(count)d point.", "Imported %(count)d points.", saved)
            % {"count": saved},
        )
        return redirect("teams:measure", team.pk, measure.pk)
    return render(
        request,
        "teams/measure_upload.html",
        {"team": team, "measure": measure, "form": form},
        status=200,
    )


@login_required
def pdsa_edit(request, team_id, cycle_id=None):
    team = _editable_team(request, team_id)
    cycle = get_object_or_404(team.pdsa_cycles, pk=cycle_id) if cycle_id else None
    form = PDSAForm(request.POST or None, instance=cycle, team=team)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The PDSA cycle was saved."))
        return redirect("teams:team", team.pk)
    return render(request, "teams/pdsa_form.html", {"team": team, "form": form, "cycle": cycle})


@login_required
def my_teams(request):
    teams = list(
        workspace_teams(request)
        .select_related("network", "municipality")
        .order_by("network__title", "municipality__name", "unit")[:200]
    )
    if len(teams) == 1:
        return redirect("teams:team", teams[0].pk)
    return render(request, "teams/my_teams.html", {"teams": teams})


@login_required
def team_page(request, team_id):
    team = get_workspace_team(request, team_id)
    role = team.user_role
    members = list(team.members.select_related("person").order_by("role", "person__name"))
    charts, cycles = team_charts([team])[team.pk]
    # Explicit orderings: the models' default ones sort by related models (joins).
    interventions = (
        list(team.focus_area.interventions.order_by("position", "id")) if team.focus_area else []
    )
    today = timezone.localdate()
    periods = periods_with_state(team)
    return render(
        request,
        "teams/team_page.html",
        {
            "periods": periods,
            "next_due": next_due(periods, today),
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
