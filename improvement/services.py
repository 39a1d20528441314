"""Every change to a driver diagram.

Adding, moving and removing take the diagram's row lock, so that two requests
never give two boxes the same place. A change of an existing box's text is a
conditional UPDATE on the version the person saw: a form sent from a page that is
older than someone else's change is refused (``StaleEdit``), and the view shows
what the person typed, to send again.
"""

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from improvement.models import ChangeIdea, Driver, DriverDiagram
from lib.conditional import update_if
from network.models import Intervention
from teams import services as team_services
from teams.models import Measure, PDSACycle, Team

UP, DOWN = "up", "down"


class DiagramError(Exception):
    pass


class StaleEdit(DiagramError):
    """Someone changed (or removed) the box after this person opened it."""


def diagram_of(team: Team) -> DriverDiagram:
    """The team's diagram, made by its first change."""
    try:
        diagram, _created = DriverDiagram.objects.get_or_create(team=team)
    except IntegrityError:  # made by a request at the same moment
        diagram = DriverDiagram.objects.get(team=team)
    return diagram


def _locked(team: Team) -> DriverDiagram:
    """In the caller's transaction: the team's diagram, locked."""
    diagram = diagram_of(team)
    return DriverDiagram.objects.select_for_update().get(pk=diagram.pk)


def _touch(diagram: DriverDiagram) -> None:
    DriverDiagram.objects.filter(pk=diagram.pk).update(updated_at=timezone.now())


def _next_position(siblings: QuerySet[Any]) -> int:
    last = siblings.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


def _check_own(team: Team, cycles: Iterable[PDSACycle], measures: Iterable[Measure]) -> None:
    if any(c.team_id != team.pk for c in cycles) or any(m.team_id != team.pk for m in measures):
        raise DiagramError(_("Choose the team's own PDSA cycles and measures."))


# --- The aim -------------------------------------------------------------------------------


def set_aim(team: Team, aim: str, *, expected: str) -> None:
    """The team's aim, written if it is still what the person saw."""
    with transaction.atomic():
        diagram = _locked(team)
        if not team_services.set_aim(team, aim, expected=expected):
            raise StaleEdit(
                _(
                    "Someone changed the aim while you were writing. Your text is kept "
                    "below; compare it with the aim now and save again."
                )
            )
        _touch(diagram)
    team.aim = aim


# --- Drivers -------------------------------------------------------------------------------


def add_driver(team: Team, text: str, *, parent: Driver | None = None) -> Driver:
    """A primary driver, or with ``parent`` a secondary driver under it, last in
    its column."""
    with transaction.atomic():
        diagram = _locked(team)
        if parent is not None and (parent.diagram_id != diagram.pk or not parent.is_primary):
            raise DiagramError(_("A secondary driver goes under one of the primary drivers."))
        siblings = Driver.objects.filter(diagram=diagram, parent=parent)
        driver = Driver.objects.create(
            diagram=diagram, parent=parent, text=text, position=_next_position(siblings)
        )
        _touch(diagram)
    return driver


def edit_driver(driver: Driver, text: str, *, version: int) -> Driver:
    with transaction.atomic():
        changed = update_if(
            Driver, driver.pk, {"version": version}, text=text, version=F("version") + 1
        )
        if not changed:
            raise _stale(Driver, driver.pk)
        _touch(driver.diagram)
    driver.refresh_from_db()
    return driver


def remove_driver(driver: Driver) -> int:
    """Remove a driver and its secondary drivers; their change ideas stay, under
    no driver. The number of change ideas that lost their driver."""
    with transaction.atomic():
        diagram = _locked(driver.diagram.team)
        below = Driver.objects.filter(pk=driver.pk) | Driver.objects.filter(parent_id=driver.pk)
        ideas = list(ChangeIdea.objects.filter(driver__in=below).values_list("pk", flat=True))
        if ideas:
            start = _next_position(ChangeIdea.objects.filter(diagram=diagram, driver=None))
            for offset, pk in enumerate(ideas):
                ChangeIdea.objects.filter(pk=pk).update(driver=None, position=start + offset)
        Driver.objects.filter(pk=driver.pk, diagram=diagram).delete()
        _touch(diagram)
    return len(ideas)


# --- Change ideas --------------------------------------------------------------------------


def add_idea(
    team: Team,
    text: str,
    *,
    driver: Driver | None = None,
    cycles: Iterable[PDSACycle] = (),
    measures: Iterable[Measure] = (),
    intervention: Intervention | None = None,
) -> ChangeIdea:
    """A change idea, last under its driver (or under none)."""
    cycles, measures = list(cycles), list(measures)
    _check_own(team, cycles, measures)
    with transaction.atomic():
        diagram = _locked(team)
        if driver is not None and driver.diagram_id != diagram.pk:
            raise DiagramError(_("Choose one of the diagram's drivers."))
        siblings = ChangeIdea.objects.filter(diagram=diagram, driver=driver)
        idea = ChangeIdea.objects.create(
            diagram=diagram,
            driver=driver,
            text=text,
            intervention=intervention,
            position=_next_position(siblings),
        )
        idea.cycles.set(cycles)
        idea.measures.set(measures)
        _touch(diagram)
    return idea


def add_from_bundle(
    team: Team, intervention: Intervention, *, driver: Driver | None = None
) -> tuple[ChangeIdea, bool]:
    """The bundle's intervention as a change idea, once: a second click (or a second
    person) gets the one already there. (idea, created)."""
    if team.focus_area_id is None or intervention.focus_area_id != team.focus_area_id:
        raise DiagramError(_("Choose one of the interventions of the team's focus area."))
    with transaction.atomic():
        diagram = _locked(team)  # the lock orders two clicks: the second finds the first
        existing = ChangeIdea.objects.filter(diagram=diagram, intervention=intervention).first()
        if existing is not None:
            return existing, False
        return add_idea(team, intervention.text, driver=driver, intervention=intervention), True


def edit_idea(
    idea: ChangeIdea,
    *,
    version: int,
    text: str,
    driver: Driver | None,
    cycles: Iterable[PDSACycle],
    measures: Iterable[Measure],
) -> ChangeIdea:
    """Change the text, the driver and the links, if the idea is still as the
    person saw it. A new driver puts the idea last under it."""
    team = idea.diagram.team
    cycles, measures = list(cycles), list(measures)
    _check_own(team, cycles, measures)
    with transaction.atomic():
        diagram = _locked(team)
        if driver is not None and driver.diagram_id != diagram.pk:
            raise DiagramError(_("Choose one of the diagram's drivers."))
        fields = {"text": text, "version": F("version") + 1, "driver": driver}
        current = ChangeIdea.objects.filter(pk=idea.pk).values_list("driver_id", flat=True).first()
        if current != (driver.pk if driver else None):
            fields["position"] = _next_position(
                ChangeIdea.objects.filter(diagram=diagram, driver=driver)
            )
        if not update_if(ChangeIdea, idea.pk, {"version": version}, **fields):
            raise _stale(ChangeIdea, idea.pk)
        idea.refresh_from_db()
        idea.cycles.set(cycles)
        idea.measures.set(measures)
        _touch(diagram)
    return idea


def remove_idea(idea: ChangeIdea) -> None:
    """Remove the change idea; its PDSA cycles and measures stay in the team's log."""
    with transaction.atomic():
        diagram = _locked(idea.diagram.team)
        ChangeIdea.objects.filter(pk=idea.pk, diagram=diagram).delete()
        _touch(diagram)


# --- Order -------------------------------------------------------------------------------


def move(item: Driver | ChangeIdea, direction: str) -> bool:
    """Move a driver or a change idea one place up or down among its siblings (the
    boxes of its column under the same box). False when it is first or last
    already, or was removed meanwhile."""
    if direction not in (UP, DOWN):
        raise ValueError(direction)
    with transaction.atomic():
        diagram = _locked(item.diagram.team)
        if isinstance(item, Driver):
            driver = Driver.objects.filter(pk=item.pk, diagram=diagram).first()
            if driver is None:
                return False
            drivers = Driver.objects.filter(diagram=diagram, parent=driver.parent_id)
            order: list[Any] = list(drivers.order_by("position", "id"))
        else:
            idea = ChangeIdea.objects.filter(pk=item.pk, diagram=diagram).first()
            if idea is None:
                return False
            ideas = ChangeIdea.objects.filter(diagram=diagram, driver=idea.driver_id)
            order = list(ideas.order_by("position", "id"))
        index = next(i for i, sibling in enumerate(order) if sibling.pk == item.pk)
        other = index - 1 if direction == UP else index + 1
        if not 0 <= other < len(order):
            return False
        order[index], order[other] = order[other], order[index]
        for position, sibling in enumerate(order):
            sibling.position = position
        type(item).objects.bulk_update(order, ["position"])
        _touch(diagram)
    return True


def _stale(model: type[Driver] | type[ChangeIdea], pk: int) -> StaleEdit:
    if model.objects.filter(pk=pk).exists():
        return StaleEdit(
            _(
                "Someone changed this while you were writing, so your change was not "
                "saved. Your text is kept below; compare it with the diagram and save again."
            )
        )
    return StaleEdit(_("Someone removed this while you were writing."))
