"""Reading a team's driver diagram: who may change it, its boxes in a fixed number
of queries, and the picture (SVG and nested list) that the team page, the diagram
page, the status report and its PDF show."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import DateField, F, Value
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from improvement.models import ChangeIdea, Driver
from lib import svgdiagram
from network.access import access_of
from teams.models import Role, Team


def may_edit_diagram(request: HttpRequest, team: Team) -> bool:
    """The team leader and the centre's coordinators (and superusers) change the
    diagram; the other members and the unit leader read it (``team`` as
    ``teams.queries.get_workspace_team`` gives it, with the user's role)."""
    access = access_of(request)
    return (
        team.user_role == Role.TEAM_LEADER
        or access.is_superuser
        or team.network.centre_id in access.coordinated_centre_ids
    )


@dataclass
class Parts:
    """A diagram's boxes: the primary drivers in order, each with ``children`` (its
    secondary drivers) and ``idea_list`` (its change ideas); the same on each
    secondary driver; and the change ideas under no driver."""

    primaries: list[Driver] = field(default_factory=list)
    unplaced: list[ChangeIdea] = field(default_factory=list)
    drivers: list[Driver] = field(default_factory=list)
    ideas: list[ChangeIdea] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.drivers or self.ideas)


def diagram_parts(team: Team) -> Parts:
    """Every box of the team's diagram, in three queries whatever its size: drivers,
    change ideas, and the names of their PDSA cycles (by start) and of their
    measures, read as plain rows (``idea.cycle_names``, ``idea.measure_names``)."""
    drivers = list(Driver.objects.filter(diagram__team=team).order_by("position", "id"))
    ideas = list(ChangeIdea.objects.filter(diagram__team=team).order_by("position", "id"))
    # The names of the cycles and of the measures in one query of plain rows.
    cycles = (
        ChangeIdea.cycles.through.objects.filter(changeidea__diagram__team=team)
        .annotate(kind=Value("c"), day=F("pdsacycle__start_date"), name=F("pdsacycle__change"))
        .values_list("changeidea_id", "kind", "day", "name")
    )
    measures = (
        ChangeIdea.measures.through.objects.filter(changeidea__diagram__team=team)
        .annotate(kind=Value("m"), day=Value(None, DateField()), name=F("measure__name"))
        .values_list("changeidea_id", "kind", "day", "name")
    )
    names: dict[tuple[int, str], list[str]] = defaultdict(list)
    rows = cycles.union(measures, all=True) if ideas else []
    for idea_id, kind, _day, name in sorted(rows, key=lambda row: (row[2] or date.min, row[3])):
        names[idea_id, kind].append(name)
    for idea in ideas:
        idea.cycle_names, idea.measure_names = names[idea.pk, "c"], names[idea.pk, "m"]
    by_id = {driver.pk: driver for driver in drivers}
    for driver in drivers:
        driver.children, driver.idea_list = [], []
    parts = Parts(drivers=drivers, ideas=ideas)
    for driver in drivers:
        parent = by_id.get(driver.parent_id) if driver.parent_id else None
        if parent is not None:
            parent.children.append(driver)
        elif driver.parent_id is None:
            parts.primaries.append(driver)
    for idea in ideas:
        owner = by_id.get(idea.driver_id) if idea.driver_id else None
        (owner.idea_list if owner is not None else parts.unplaced).append(idea)
    return parts


@dataclass
class Drawn:
    svg: SafeString
    text: SafeString  # the text alternative: the diagram as a nested list
    parts: Parts
    summary: str


def _idea_node(idea: ChangeIdea) -> svgdiagram.Node:
    cycles, measures = idea.cycle_names, idea.measure_names
    notes, details = [], []
    if cycles:
        notes.append(_("PDSA: %(count)d") % {"count": len(cycles)})
        details.append(_("Tested in: %(cycles)s.") % {"cycles": "; ".join(cycles)})
    if measures:
        notes.append(_("measures: %(count)d") % {"count": len(measures)})
        details.append(
            _("Its effect is shown by: %(measures)s.") % {"measures": "; ".join(measures)}
        )
    if not cycles:
        details.append(_("Not tested yet."))
    return svgdiagram.Node(svgdiagram.IDEA, idea.text, note=" · ".join(notes), details=details)


def _driver_node(driver: Driver) -> svgdiagram.Node:
    kind = svgdiagram.PRIMARY if driver.parent_id is None else svgdiagram.SECONDARY
    children = [_driver_node(child) for child in driver.children]
    children += [_idea_node(idea) for idea in driver.idea_list]
    return svgdiagram.Node(kind, driver.text, children)


def summary(parts: Parts) -> str:
    primaries = len(parts.primaries)
    secondaries = len(parts.drivers) - primaries
    return ", ".join(
        [
            ngettext("%(count)d primary driver", "%(count)d primary drivers", primaries)
            % {"count": primaries},
            ngettext("%(count)d secondary driver", "%(count)d secondary drivers", secondaries)
            % {"count": secondaries},
            ngettext("%(count)d change idea", "%(count)d change ideas", len(parts.ideas))
            % {"count": len(parts.ideas)},
        ]
    )


def drawn_diagram(team: Team, parts: Parts | None = None) -> Drawn:
    """The team's diagram as SVG and as a nested list (the SVG's text alternative)."""
    parts = parts if parts is not None else diagram_parts(team)
    counts = summary(parts)
    diagram = svgdiagram.Diagram(
        aim=team.aim.strip(),
        drivers=[_driver_node(driver) for driver in parts.primaries],
        unplaced=[_idea_node(idea) for idea in parts.unplaced],
        labels=svgdiagram.Labels(
            columns=(_("Aim"), _("Primary drivers"), _("Secondary drivers"), _("Change ideas")),
            prefixes={
                svgdiagram.AIM: _("Aim"),
                svgdiagram.PRIMARY: _("Primary driver"),
                svgdiagram.SECONDARY: _("Secondary driver"),
                svgdiagram.IDEA: _("Change idea"),
            },
            unplaced=_("Change ideas not placed under a driver yet"),
            no_aim=_("The aim is not written yet."),
        ),
        title=_("Driver diagram of %(team)s: %(counts)s") % {"team": team, "counts": counts},
        description=_("The same diagram is written out as a list below it."),
        diagram_id=f"driver-diagram-{team.pk}",
    )
    return Drawn(
        svg=mark_safe(svgdiagram.render(diagram)),  # noqa: S308 - our own markup, escaped
        text=svgdiagram.text_alternative(diagram),
        parts=parts,
        summary=counts,
    )
