from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import STATEMENTS, Rating


class AssessmentForm(forms.Form):
    label = forms.CharField(
        label=_("Round"), max_length=100, help_text=_("For example: start of the network.")
    )
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, statement in enumerate(STATEMENTS, start=1):
            self.fields[f"rating_{number}"] = forms.TypedChoiceField(
                label=f"{number}. {statement}",
                choices=Rating.choices,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a level for this statement.")},
            )
            self.fields[f"comment_{number}"] = forms.CharField(
                label=_("Comment on statement %(number)d") % {"number": number},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def answers(self):
        return [
            (number, self.cleaned_data[f"rating_{number}"], self.cleaned_data[f"comment_{number}"])
            for number in range(1, len(STATEMENTS) + 1)
        ]


def initial_for(assessment) -> dict:
    """The form's initial values: the round as it is saved."""
    initial = {"label": assessment.label, "held_on": assessment.held_on}
    initial["version"] = assessment.version
    for answer in assessment.answers.all():
        initial[f"rating_{answer.statement}"] = answer.rating
        initial[f"comment_{answer.statement}"] = answer.comment
    return initial


class CorrectionForm(AssessmentForm):
    """The round corrected; ``version`` is the version the page was opened at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
