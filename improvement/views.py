"""The driver diagram's pages: the diagram, and the plain forms that change it.

Every view starts from ``teams.queries.get_workspace_team``: another team's diagram
answers 404. Changing it takes the team leader or a coordinator of the centre
(``may_edit_diagram``): 403 for the other members and the unit leader, who read.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from improvement import services
from improvement.forms import (
    AimForm,
    BundleForm,
    ChangeIdeaForm,
    DriverEditForm,
    DriverForm,
    MoveForm,
)
from improvement.models import ChangeIdea, Driver, DriverDiagram
from improvement.queries import diagram_parts, drawn_diagram, may_edit_diagram
from teams.queries import get_workspace_team


def _editable_team(request, team_id):
    team = get_workspace_team(request, team_id)
    if not may_edit_diagram(request, team):
        raise PermissionDenied(_("Only the team leader and the coordinator change the diagram."))
    return team


def _back(team, anchor=""):
    return redirect(reverse("improvement:diagram", args=[team.pk]) + anchor)


@login_required
def diagram(request, team_id):
    team = get_workspace_team(request, team_id)
    editable = may_edit_diagram(request, team)
    parts = diagram_parts(team)
    added = {idea.intervention_id: idea for idea in parts.ideas if idea.intervention_id}
    bundle = []
    if team.focus_area_id:
        interventions = team.focus_area.interventions.order_by("position", "id")
        bundle = [(item, added.get(item.pk)) for item in interventions]
    ordered, ideas = [], []
    for primary in parts.primaries:
        ordered += [primary, *primary.children]
    for driver in ordered:
        ideas += [(idea, driver) for idea in driver.idea_list]
    ideas += [(idea, None) for idea in parts.unplaced]
    return render(
        request,
        "improvement/diagram.html",
        {
            "team": team,
            "drawn": drawn_diagram(team, parts),
            "parts": parts,
            "ordered_drivers": ordered,
            "ordered_ideas": ideas,
            "bundle": bundle,
            "editable": editable,
            "updated_at": DriverDiagram.objects.filter(team=team)
            .values_list("updated_at", flat=True)
            .first(),
            "driver_form": DriverForm(team=team, auto_id="new-driver-%s") if editable else None,
        },
    )


@login_required
def aim_edit(request, team_id):
    team = _editable_team(request, team_id)
    form = AimForm(request.POST or None, initial={"aim": team.aim, "original": team.aim})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_aim(team, form.cleaned_data["aim"], expected=form.cleaned_data["original"])
        except services.StaleEdit as error:
            form.add_error(None, str(error))
            team.refresh_from_db(fields=["aim"])
        else:
            messages.success(request, _("The aim is saved."))
            return _back(team)
    return render(
        request,
        "improvement/form.html",
        {"team": team, "form": form, "title": _("The team's aim"), "current": team.aim},
    )


@login_required
def driver_add(request, team_id):
    team = _editable_team(request, team_id)
    initial = {}
    if request.GET.get("parent", "").isdigit():
        initial["parent"] = int(request.GET["parent"])
    form = DriverForm(request.POST or None, team=team, initial=initial)
    if request.method == "POST" and form.is_valid():
        driver = services.add_driver(
            team, form.cleaned_data["text"], parent=form.cleaned_data["parent"]
        )
        messages.success(request, _("The driver %(text)s was added.") % {"text": driver.text})
        return _back(team, f"#driver-{driver.pk}")
    return render(
        request, "improvement/form.html", {"team": team, "form": form, "title": _("Add a driver")}
    )


def _driver(team, driver_id):
    return get_object_or_404(Driver, pk=driver_id, diagram__team=team)


@login_required
def driver_edit(request, team_id, driver_id):
    team = _editable_team(request, team_id)
    driver = _driver(team, driver_id)
    form = DriverEditForm(
        request.POST or None, initial={"text": driver.text, "version": driver.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_driver(
                driver, form.cleaned_data["text"], version=form.cleaned_data["version"]
            )
        except services.StaleEdit as error:
            form.add_error(None, str(error))
            driver.refresh_from_db()
        else:
            messages.success(request, _("The driver is saved."))
            return _back(team, f"#driver-{driver.pk}")
    return render(
        request,
        "improvement/form.html",
        {
            "team": team,
            "form": form,
            "title": _("Change the primary driver")
            if driver.is_primary
            else _("Change the secondary driver"),
            "current": driver.text,
        },
    )


@login_required
@require_POST
def driver_remove(request, team_id, driver_id):
    team = _editable_team(request, team_id)
    driver = _driver(team, driver_id)
    loose = services.remove_driver(driver)
    text = _("The driver %(text)s was removed.") % {"text": driver.text}
    if loose:
        text += " " + _("Its change ideas are kept, not placed under a driver.")
    messages.success(request, text)
    return _back(team)


def _idea(team, idea_id):
    return get_object_or_404(ChangeIdea, pk=idea_id, diagram__team=team)


@login_required
def idea_add(request, team_id):
    team = _editable_team(request, team_id)
    initial = {}
    if request.GET.get("driver", "").isdigit():
        initial["driver"] = int(request.GET["driver"])
    form = ChangeIdeaForm(request.POST or None, team=team, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        idea = services.add_idea(
            team,
            data["text"],
            driver=data["driver"],
            cycles=data["cycles"],
            measures=data["measures"],
        )
        messages.success(request, _("The change idea %(text)s was added.") % {"text": idea.text})
        return _back(team, f"#idea-{idea.pk}")
    return render(
        request,
        "improvement/form.html",
        {"team": team, "form": form, "title": _("Add a change idea")},
    )


@login_required
def idea_edit(request, team_id, idea_id):
    team = _editable_team(request, team_id)
    idea = _idea(team, idea_id)
    form = ChangeIdeaForm(
        request.POST or None,
        team=team,
        initial={
            "text": idea.text,
            "driver": idea.driver_id,
            "cycles": list(idea.cycles.values_list("pk", flat=True)),
            "measures": list(idea.measures.values_list("pk", flat=True)),
            "version": idea.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_idea(
                idea,
                version=data["version"] or 0,
                text=data["text"],
                driver=data["driver"],
                cycles=data["cycles"],
                measures=data["measures"],
            )
        except services.StaleEdit as error:
            form.add_error(None, str(error))
            idea.refresh_from_db()
        else:
            messages.success(request, _("The change idea is saved."))
            return _back(team, f"#idea-{idea.pk}")
    return render(
        request,
        "improvement/form.html",
        {
            "team": team,
            "form": form,
            "title": _("Change the change idea"),
            "current": idea.text,
            "intervention": idea.intervention,
        },
    )


@login_required
@require_POST
def idea_remove(request, team_id, idea_id):
    team = _editable_team(request, team_id)
    idea = _idea(team, idea_id)
    services.remove_idea(idea)
    messages.success(request, _("The change idea %(text)s was removed.") % {"text": idea.text})
    return _back(team)


@login_required
@require_POST
def bundle_add(request, team_id):
    """One click: an intervention of the focus area's bundle as a change idea."""
    team = _editable_team(request, team_id)
    form = BundleForm(request.POST, team=team)
    if not form.is_valid():
        messages.error(request, _("Choose one of the interventions of the bundle."))
        return _back(team, "#bundle")
    idea, created = services.add_from_bundle(
        team, form.cleaned_data["intervention"], driver=form.cleaned_data["driver"]
    )
    if created:
        messages.success(request, _("The change idea %(text)s was added.") % {"text": idea.text})
    else:
        messages.info(request, _("%(text)s is a change idea already.") % {"text": idea.text})
    return _back(team, f"#idea-{idea.pk}")


@login_required
@require_POST
def move(request, team_id, kind, item_id):
    team = _editable_team(request, team_id)
    item = _driver(team, item_id) if kind == "driver" else _idea(team, item_id)
    form = MoveForm(request.POST)
    if form.is_valid():
        services.move(item, form.cleaned_data["direction"])
    return _back(team, f"#{kind}-{item.pk}")
