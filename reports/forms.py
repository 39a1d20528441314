from django import forms
from django.db.models import Q
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

    def __init__(self, *args, team, period, **kwargs):
        super().__init__(*args, **kwargs)
        # The cycles that ran during the period (started by its due date, not ended
        # before it began), and any the report already names.
        ran = Q(start_date__lte=period.due_on) & (
            Q(end_date__isnull=True) | Q(end_date__gte=period.starts_on)
        )
        if self.instance.pk:
            ran |= Q(pk__in=self.instance.cycles.values("pk"))
        self.fields["cycles"].queryset = team.pdsa_cycles.filter(ran).order_by("start_date", "pk")
        if self.instance.is_locked:
            for field in self.fields.values():
                field.disabled = True
