"""The team's workspace: the team page, measures, data entry and the PDSA log.

Every view starts from ``get_workspace_team``: another team's pages answer 404.
Entering data takes the team leader's or the measurement lead's role: 403 for
other members. Deleting a measure takes the team leader or a coordinator.
"""

import dataclasses

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from improvement.queries import drawn_diagram, may_edit_diagram
from lib.svgchart import render as render_svg
from network.models import MeasureKind
from reports.queries import next_due, periods_with_state
from sessions_app.queries import attendance_by_team, next_sessions
from teams import services
from teams.charts import axis_labels, measure_chart, number_cycles, team_charts
from teams.forms import (
    CSVUploadForm,
    EventsForm,
    MeasureForm,
    PDSAForm,
    PointFormSet,
    PointMarkForm,
    grid_initial,
    more_rows,
)
from teams.queries import (
    DATA_ROLES,
    get_workspace_team,
    may_delete_measure,
    may_enter_data,
    workspace_teams,
)
from units.queries import open_request


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
    """The run chart, and the grid that takes a whole series at once.

    "Add rows" sends the grid too: the page comes back with every row as typed
    and more blank ones, nothing saved (the static script adds rows in place).
    """
    team = get_workspace_team(request, team_id)
    measure = get_object_or_404(team.measures, pk=measure_id)
    editable = may_enter_data(team)
    if request.method == "POST" and not editable:
        raise PermissionDenied(_("Only the team leader and the measurement lead enter data."))
    today = timezone.localdate()
    if measure.kind == MeasureKind.EVENTS:
        return _events_detail(request, team, measure, editable, today)
    if request.method == "POST" and "add_rows" in request.POST:
        grid = PointFormSet(
            measure=measure, today=today, initial=more_rows(measure, request.POST, today)
        )
    elif request.method == "POST":
        grid = PointFormSet(request.POST, measure=measure, today=today)
        if grid.is_valid():
            saved, deleted = services.save_series(measure, grid.rows(), grid.moved())
            text = ngettext("Saved %(count)d point.", "Saved %(count)d points.", saved) % {
                "count": saved
            }
            if deleted:
                text += " " + ngettext(
                    "Removed %(count)d point.", "Removed %(count)d points.", deleted
                ) % {"count": deleted}
            messages.success(request, text)
            return redirect("teams:measure", team.pk, measure.pk)
    else:
        grid = PointFormSet(measure=measure, today=today, initial=grid_initial(measure, today))
    return render(
        request,
        "teams/measure_detail.html",
        {
            "team": team,
            "measure": measure,
            "chart": measure_chart(measure, cycles=numbered_cycles(measure)),
            "grid": grid,
            "editable": editable,
            "may_delete": may_delete_measure(request, team),
            "csv_form": CSVUploadForm(measure=measure, today=today),
            "mark_form": _mark_form(measure)[0] if editable else None,
            "marked": measure.measurements.filter(Q(new_part=True) | Q(excluded=True)),
        },
    )


def _events_detail(request, team, measure, editable, today):
    """A rare-event measure: the list of the events' dates, and the chart derived from it."""
    form = EventsForm(
        request.POST or None,
        measure=measure,
        today=today,
        initial={"events": EventsForm.initial_text(measure)},
    )
    if request.method == "POST" and form.is_valid():
        kept = services.save_events(measure, form.cleaned_data["events"])
        messages.success(
            request,
            ngettext("Saved %(count)d date of events.", "Saved %(count)d dates of events.", kept)
            % {"count": kept},
        )
        return redirect("teams:measure", team.pk, measure.pk)
    return render(
        request,
        "teams/measure_events.html",
        {
            "team": team,
            "measure": measure,
            "chart": measure_chart(measure, cycles=numbered_cycles(measure)),
            "form": form,
            "editable": editable,
            "may_delete": may_delete_measure(request, team),
        },
    )


def _mark_form(measure, data=None):
    points = list(measure.measurements.all())
    labels = axis_labels(measure, [p.period_start for p in points])
    return PointMarkForm(
        data,
        measure=measure,
        labels=list(zip([p.period_start for p in points], labels, strict=True)),
    ), points


@login_required
def measure_mark(request, team_id, measure_id):
    """Mark a point of the chart: a new part from it, or excluded, with the reason."""
    team = _editable_team(request, team_id)
    measure = get_object_or_404(team.measures, pk=measure_id)
    form, _points = _mark_form(measure, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if services.mark_point(
            measure,
            data["period"],
            new_part=data["new_part"],
            excluded=data["excluded"],
            note=data["note"] if data["new_part"] or data["excluded"] else "",
        ):
            messages.success(request, _("The point's marks were saved."))
        else:
            messages.error(request, _("The point is no longer there: nothing was saved."))
        return redirect("teams:measure", team.pk, measure.pk)
    return render(
        request,
        "teams/measure_mark.html",
        {"team": team, "measure": measure, "form": form},
    )


@login_required
def measure_svg(request, team_id, measure_id):
    """The measure's chart as an SVG file, for a slide or a document."""
    team = get_workspace_team(request, team_id)
    measure = get_object_or_404(team.measures, pk=measure_id)
    chart = measure_chart(measure, cycles=numbered_cycles(measure), draw=False)
    svg = render_svg(dataclasses.replace(chart["figure"], standalone=True))
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    name = slugify(measure.name) or "diagram"
    response["Content-Disposition"] = f'attachment; filename="{name}.svg"'
    return response


def numbered_cycles(measure):
    """The measure's PDSA cycles, numbered in the team's one sequence."""
    cycles = number_cycles(list(measure.team.pdsa_cycles.all()))
    return [cycle for cycle in cycles if cycle.measure_id == measure.pk]


@login_required
def measure_delete(request, team_id, measure_id):
    """Delete a measure, after a page that says what goes with it: the team
    leader and the centre's coordinators only."""
    team = get_workspace_team(request, team_id)
    measure = get_object_or_404(team.measures, pk=measure_id)
    if not may_delete_measure(request, team):
        raise PermissionDenied(_("Only the team leader or a coordinator deletes a measure."))
    if request.method == "POST":
        points = services.delete_measure(measure)
        messages.success(
            request,
            ngettext(
                "The measure %(name)s was deleted, with its %(count)d point.",
                "The measure %(name)s was deleted, with its %(count)d points.",
                points,
            )
            % {"name": measure.name, "count": points},
        )
        return redirect("teams:team", team.pk)
    return render(
        request,
        "teams/measure_delete.html",
        {
            "team": team,
            "measure": measure,
            "points": measure.measurements.count(),
            "cycles": measure.pdsa_cycles.count(),
        },
    )


@login_required
def measure_upload(request, team_id, measure_id):
    team = _editable_team(request, team_id)
    measure = get_object_or_404(team.measures, pk=measure_id)
    form = CSVUploadForm(
        request.POST or None,
        request.FILES or None,
        measure=measure,
        today=timezone.localdate(),
    )
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
            "attendance": attendance_by_team(team.network_id, [team.pk])[team.pk],
            "editable": role in DATA_ROLES,
            "role": role,
            "diagram": drawn_diagram(team),
            "may_edit_diagram": may_edit_diagram(request, team),
            "result_request": open_request(team),
            "unit_page": role is None,
        },
    )
