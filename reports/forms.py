from django import forms
from django.db.models import Q
from django.utils.dateparse import parse_datetime
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


class ReopenForm(forms.Form):
    """Why the coordinator reopens a submitted report: the team leader gets it by
    e-mail. ``submitted_at`` is the submission the coordinator saw."""

    reason = forms.CharField(
        label=_("Why is the report reopened?"),
        help_text=_("The team leader gets this by e-mail, with a link to the report."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
    submitted_at = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_submitted_at(self):
        # The exact submission (ISO 8601, to the microsecond): a page opened before a
        # reopening and a new submission does not reopen the new one.
        return parse_datetime(self.cleaned_data["submitted_at"] or "")
