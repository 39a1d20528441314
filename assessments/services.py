import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from assessments.models import Answer, Assessment
from teams.models import Team


@transaction.atomic
def record(
    team: Team, *, label: str, held_on: dt.date, answers: Iterable[tuple[int, int, str]]
) -> Assessment:
    assessment = Assessment.objects.create(team=team, label=label, held_on=held_on)
    Answer.objects.bulk_create(
        Answer(assessment=assessment, statement=number, rating=rating, comment=comment)
        for number, rating, comment in answers
    )
    return assessment
