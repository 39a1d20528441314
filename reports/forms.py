from django import forms
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelMultipleChoiceField

from reports.models import StatusReport


class StatusReportForm(forms.ModelForm):
    class Meta:
        model = StatusReport
        fields = [
            "cycles",
            "activities",
            "what_worked",
            "challenges",
            "support_needed",
            "next_steps",
        ]
        widgets = {
            "cycles": forms.CheckboxSelectMultiple,
            **{
                name: forms.Textarea(attrs={"rows": 4})
                for name in (
                    "activities",
                    "what_worked",
                    "challenges",
                    "support_needed",
                    "next_steps",
                )
            },
        }
        # The team's PDSA cycles are offered from __init__, in the request's scope.
        field_classes = {"cycles": SafeModelMultipleChoiceField}
        help_texts = {
            "cycles": _("Tick the PDSA cycles from the team's log that ran in this period."),
            "activities": _("Anything else the team did in the period."),
        }

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cycles"].queryset = team.pdsa_cycles.all()
        if self.instance.is_locked:
            for field in self.fields.values():
                field.disabled = True
