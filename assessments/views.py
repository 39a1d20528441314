from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from assessments import services
from assessments.charts import comparison
from assessments.forms import AssessmentForm
from assessments.models import STATEMENTS
from teams.queries import get_workspace_team


@login_required
def overview(request, team_id):
    """Visible to the unit (its team and leader) and the coordinator only."""
    team = get_workspace_team(request, team_id)
    rounds = list(team.assessments.prefetch_related("answers"))
    data = [(str(r), {a.statement: a.rating for a in r.answers.all()}) for r in rounds]
    comments = [
        (
            number,
            statement,
            [
                (str(r), a.comment)
                for r in rounds
                for a in r.answers.all()
                if a.statement == number and a.comment
            ],
        )
        for number, statement in enumerate(STATEMENTS, start=1)
    ]
    return render(
        request,
        "assessments/overview.html",
        {
            "team": team,
            "rounds": rounds,
            "chart": comparison(data) if rounds else None,
            "comments": comments,
            "statements": list(enumerate(STATEMENTS, start=1)),
        },
    )


@login_required
def create(request, team_id):
    team = get_workspace_team(request, team_id)
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.record(
            team,
            label=form.cleaned_data["label"],
            held_on=form.cleaned_data["held_on"],
            answers=form.answers(),
        )
        messages.success(request, _("The round is saved."))
        return redirect("assessments:overview", team.pk)
    return render(request, "assessments/form.html", {"team": team, "form": form})
