"""The team page: everything about one team in one place.

It shows several apps at once (the team, its measures, the timeline), so it
lives here, in the highest app it shows, and reads the others through their
queries.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from sessions_app.queries import next_sessions
from teams.charts import run_chart
from teams.queries import get_workspace_team, may_enter_data, role_in, workspace_teams


@login_required
def my_teams(request):
    teams = list(workspace_teams(request.user).select_related("network", "municipality")
                 .order_by("network__title", "municipality__name", "unit")[:200])
    if len(teams) == 1:
        return redirect("reports:team", teams[0].pk)
    return render(request, "reports/my_teams.html", {"teams": teams})


@login_required
def team_page(request, team_id):
    team = get_workspace_team(request.user, team_id)
    members = list(team.members.select_related("person").order_by("role", "person__name"))
    measures = list(team.measures.prefetch_related("measurements", "pdsa_cycles"))
    cycles = list(team.pdsa_cycles.select_related("measure"))
    interventions = list(team.focus_area.interventions.all()) if team.focus_area else []
    return render(request, "reports/team_page.html", {
        "team": team, "members": members, "interventions": interventions,
        "charts": [run_chart(m, list(m.measurements.all()), list(m.pdsa_cycles.all()))
                   for m in measures],
        "cycles": cycles, "upcoming": next_sessions(team, timezone.now()),
        "editable": may_enter_data(request.user, team), "role": role_in(request.user, team),
    })
