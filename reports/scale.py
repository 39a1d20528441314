"""The IHI progress score (framdriftsskår) of a team: 0.5 to 5.0 in half steps.

From IHI's assessment scale for collaboratives (the Model for Improvement): each
step has a short name and a description of what a team at that step has done.
Pure data, no models: the report form, the coordinator's page, the chart and the
PDFs read it from here.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import get_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Step:
    score: Decimal
    name: str | Promise
    description: str | Promise


SCALE = [
    Step(
        Decimal("0.5"),
        _("Intent to participate"),
        _("The unit has signed up; the team is not formed yet."),
    ),
    Step(
        Decimal("1.0"),
        _("Preparation, the project has started"),
        _("The team is formed and has an aim; the planning has begun."),
    ),
    Step(
        Decimal("1.5"),
        _("Planning under way"),
        _("The team organises the work, collects baseline data and plans the first changes."),
    ),
    Step(
        Decimal("2.0"),
        _("Activity, but no changes"),
        _("The team meets and works, but has not tested any changes yet."),
    ),
    Step(
        Decimal("2.5"),
        _("Changes tested, no improvement yet"),
        _("PDSA cycles are run and the measures reported, but they show no improvement yet."),
    ),
    Step(
        Decimal("3.0"),
        _("Modest improvement"),
        _("Several changes are tested and some are in use; the measures move towards the aim."),
    ),
    Step(
        Decimal("3.5"),
        _("Improvement"),
        _("The measures improve; most of the intervention bundle is being tested or in use."),
    ),
    Step(
        Decimal("4.0"),
        _("Significant improvement"),
        _("Most changes are in daily use; the results improve lastingly, halfway to the aim."),
    ),
    Step(
        Decimal("4.5"),
        _("Sustainable improvement"),
        _("The improvement holds over time, most of the aim is reached, and spread has begun."),
    ),
    Step(
        Decimal("5.0"),
        _("Outstanding, sustainable results"),
        _("The aim is reached and held, and the changes spread to other units."),
    ),
]

SCORES = [step.score for step in SCALE]
BY_SCORE = {step.score: step for step in SCALE}


def label(score: Decimal | None) -> str:
    """ "2,5 – Changes tested, no improvement yet" (the number as the page shows it)."""
    if score is None:
        return ""
    step = BY_SCORE.get(Decimal(score).quantize(Decimal("0.1")))
    number = f"{score:.1f}".replace(".", get_format("DECIMAL_SEPARATOR"))
    return f"{number} – {step.name}" if step else number


def choices() -> list[tuple[Decimal, str]]:
    """For a form field: each score with its name."""
    return [(step.score, label(step.score)) for step in SCALE]
