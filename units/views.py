"""The unit leader's pages and the improvement board.

Every view starts from ``units.queries``: ``get_unit`` for the unit leader's page
(its unit leader and the coordinators), ``get_board`` for the board (everyone who
sees the team's workspace; changes by its members and the coordinators).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agreements.models import Agreement, AgreementStatus
from reports.queries import next_due, periods_with_state, team_scores
from sessions_app.queries import next_sessions
from teams.charts import team_charts
from units import services
from units.forms import CardForm, MoveForm, ResultRequestForm
from units.models import Column
from units.queries import (
    answered_requests,
    board_columns,
    get_board,
    get_unit,
    led_teams,
    open_request,
)


def _person(request):
    return getattr(request.user, "person", None)


@login_required
def my_units(request):
    """The units the user leads; straight to the unit when there is one."""
    teams = list(
        led_teams(request)
        .select_related("network", "municipality")
        .order_by("network__title", "municipality__name", "unit")[:200]
    )
    if len(teams) == 1:
        return redirect("units:unit", teams[0].pk)
    return render(request, "units/my_units.html", {"teams": teams})


def _agreement(team):
    return Agreement.objects.filter(team=team).order_by().first()


@login_required
def unit_page(request, team_id):
    """The unit leader's page: the agreement, the charts, the reports, the next
    sessions, and "Etterspør resultat" (a POST here, by the unit leader only)."""
    unit = get_unit(request, team_id)
    team = unit.team
    form = ResultRequestForm(request.POST or None)
    if request.method == "POST":
        if not unit.is_unit_leader:
            raise PermissionDenied(_("Only the unit leader asks the team for results."))
        if form.is_valid():
            try:
                services.ask_for_results(team, _person(request), form.cleaned_data["message"])
            except services.UnitError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("The team leader is asked for an update, by e-mail and on the team page."),
                )
                return redirect(reverse("units:unit", args=[team.pk]) + "#request-heading")
    charts, _cycles = team_charts([team])[team.pk]
    today = timezone.localdate()
    periods = periods_with_state(team)
    agreement = _agreement(team)
    return render(
        request,
        "units/unit_page.html",
        {
            "team": team,
            "unit": unit,
            "form": form,
            "open_request": open_request(team),
            "requests": answered_requests(team),
            "charts": charts,
            "periods": periods,
            "next_due": next_due(periods, today),
            "today": today,
            "upcoming": next_sessions(team, timezone.now()),
            "agreement": agreement,
            "scores": team_scores(team),
            "agreement_signed": agreement is not None
            and agreement.status == AgreementStatus.SIGNED,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def agreement_pdf(request, team_id):
    """The signed agreement's PDF, to download again."""
    unit = get_unit(request, team_id)
    agreement = _agreement(unit.team)
    if agreement is None or agreement.status != AgreementStatus.SIGNED or not agreement.pdf:
        raise Http404
    return FileResponse(
        agreement.pdf.open("rb"),
        as_attachment=True,
        filename=f"{agreement.reference}.pdf",
        content_type="application/pdf",
    )


# --- The improvement board ------------------------------------------------------------


@login_required
def board(request, team_id):
    unit = get_board(request, team_id)
    return render(
        request,
        "units/board.html",
        {
            "team": unit.team,
            "unit": unit,
            "columns": board_columns(unit.team),
            "all_columns": list(Column),
        },
    )


@login_required
def board_display(request, team_id):
    """The board for the meeting room's large screen: big type, no controls."""
    unit = get_board(request, team_id)
    return render(
        request,
        "units/board_display.html",
        {"team": unit.team, "columns": board_columns(unit.team)},
    )


@login_required
def card_create(request, team_id):
    unit = get_board(request, team_id, edit=True)
    team = unit.team
    form = CardForm(request.POST or None, team=team)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        card = services.add_card(
            team,
            _person(request),
            title=data["title"],
            kind=data["kind"],
            detail=data["detail"],
            cycle=data["cycle"],
            idea=data["idea"],
        )
        messages.success(request, _("The card %(title)s was added to New.") % {"title": card})
        return redirect("units:board", team.pk)
    return render(request, "units/card_form.html", {"team": team, "form": form, "card": None})


@login_required
def card_edit(request, team_id, card_id):
    unit = get_board(request, team_id, edit=True)
    team = unit.team
    card = get_object_or_404(team.board_cards, pk=card_id)
    form = CardForm(request.POST or None, instance=card, team=team)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_card(
                card,
                version=data["version"] or 0,
                title=data["title"],
                kind=data["kind"],
                detail=data["detail"],
                cycle=data["cycle"],
                idea=data["idea"],
            )
        except services.UnitError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The card %(title)s was saved.") % {"title": card})
            return redirect("units:board", team.pk)
    return render(request, "units/card_form.html", {"team": team, "form": form, "card": card})


@require_POST
@login_required
def card_move(request, team_id, card_id):
    """One button per move, no script needed; a move from a stale page is refused."""
    unit = get_board(request, team_id, edit=True)
    team = unit.team
    card = get_object_or_404(team.board_cards, pk=card_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The card was not moved: the form was incomplete."))
    else:
        try:
            services.move_card(card, form.cleaned_data["to"], version=form.cleaned_data["version"])
        except services.UnitError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(title)s moved to %(column)s.")
                % {"title": card.title, "column": card.get_column_display()},
            )
    return redirect(reverse("units:board", args=[team.pk]) + f"#card-{card.pk}")
