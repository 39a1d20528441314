from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments import services
from assessments.charts import comparison, legend, score_table
from assessments.forms import AssessmentForm, CorrectionForm, initial_for
from assessments.models import STATEMENTS
from assessments.queries import get_round, is_unit, may_close
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
            "legend": legend([label for label, _ratings in data]),
            "table": score_table(data) if rounds else [],
            "comments": comments,
            "statements": list(enumerate(STATEMENTS, start=1)),
            "is_unit": is_unit(request, team),
            "may_close": may_close(request, team),
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


@login_required
def edit(request, team_id, round_id):
    """The unit corrects an open round; a closed one is shown, not changed."""
    team, assessment = get_round(request, team_id, round_id, for_unit=True)
    if request.method == "POST":
        form = CorrectionForm(request.POST)
        if form.is_valid():
            try:
                services.correct(
                    assessment,
                    version=form.cleaned_data["version"],
                    label=form.cleaned_data["label"],
                    held_on=form.cleaned_data["held_on"],
                    answers=form.answers(),
                )
            except services.RoundError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The round is corrected."))
                return redirect("assessments:overview", team.pk)
    else:
        form = CorrectionForm(initial=initial_for(assessment))
    return render(
        request,
        "assessments/form.html",
        {"team": team, "form": form, "assessment": assessment},
    )


@login_required
def delete(request, team_id, round_id):
    team, assessment = get_round(request, team_id, round_id, for_unit=True)
    error = None
    if request.method == "POST":
        try:
            services.delete(assessment)
        except services.RoundError as refused:
            error = str(refused)
        else:
            messages.success(request, _("The round is deleted."))
            return redirect("assessments:overview", team.pk)
    return render(
        request,
        "assessments/delete.html",
        {"team": team, "assessment": assessment, "error": error},
        status=409 if error else 200,
    )


@login_required
@require_POST
def close(request, team_id, round_id):
    team, assessment = get_round(request, team_id, round_id)
    if services.close(assessment):
        messages.success(request, _("The round is closed: the unit can no longer change it."))
    else:
        messages.info(request, _("The round was closed already."))
    return redirect("assessments:overview", team.pk)


@login_required
@require_POST
def reopen(request, team_id, round_id):
    team, assessment = get_round(request, team_id, round_id)
    if services.reopen(assessment):
        messages.success(request, _("The round is open again: the unit can correct it."))
    else:
        messages.info(request, _("The round was open already."))
    return redirect("assessments:overview", team.pk)
