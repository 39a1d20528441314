from django.db import transaction

from assessments.models import Answer, Assessment


@transaction.atomic
def record(team, *, label, held_on, answers) -> Assessment:
    assessment = Assessment.objects.create(team=team, label=label, held_on=held_on)
    Answer.objects.bulk_create(
        Answer(assessment=assessment, statement=number, rating=rating, comment=comment)
        for number, rating, comment in answers
    )
    return assessment
