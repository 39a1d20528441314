from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelMultipleChoiceField

from reports import scale
from reports.models import StatusReport

#: The implementation and spread plan: asked in the network's last report.
PLAN_FIELDS = ("plan_kept", "plan_spread", "plan_responsible", "plan_by", "plan_measures")


def score_field(label, *, required: bool = False, help_text="") -> forms.TypedChoiceField:
    """The IHI scale as radio buttons, each with its name and description."""
    return forms.TypedChoiceField(
        label=label,
        choices=[("", _("Not set"))] * (not required)
        + [
            (str(step.score), f"{scale.label(step.score)}: {step.description}")
            for step in scale.SCALE
        ],
        coerce=Decimal,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
        help_text=help_text,
    )


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
            "proposed_score",
            *PLAN_FIELDS,
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
                    "plan_kept",
                    "plan_spread",
                    "plan_measures",
                )
            },
            "plan_by": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        # The team's PDSA cycles are offered from __init__, in the request's scope.
        field_classes = {"cycles": SafeModelMultipleChoiceField}
        help_texts = {
            "cycles": _("Tick the PDSA cycles from the team's log that ran in this period."),
            "activities": _("Anything else the team did in the period."),
        }

    def __init__(self, *args, team, period, last=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposed_score"] = score_field(
            _("Our progress score"),
            help_text=_(
                "Where the team stands on the IHI progress scale, as the team sees it. "
                "The coordinator confirms or adjusts it."
            ),
        )
        if last:
            self.fields["plan_spread"].help_text = _("Other units or municipalities.")
            self.fields["plan_measures"].help_text = _(
                "Which measures you keep collecting, how often, and who enters them."
            )
        else:
            for name in PLAN_FIELDS:
                del self.fields[name]
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

    def main_fields(self):
        return [self[name] for name in self.fields if name not in PLAN_FIELDS]

    def plan_fields(self):
        return [self[name] for name in self.fields if name in PLAN_FIELDS]


class ScoreForm(forms.Form):
    """The coordinator confirms the team's proposed score, or sets another."""

    score = forms.TypedChoiceField(
        label=_("Progress score"), choices=scale.choices, coerce=Decimal, empty_value=None
    )
    comment = forms.CharField(
        label=_("Comment to the team"),
        required=False,
        help_text=_("Needed when you set another score than the team proposed."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, proposed=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposed = proposed

    def clean(self):
        data = super().clean()
        score = data.get("score")
        if (
            score is not None
            and self.proposed is not None
            and score != self.proposed
            and not data.get("comment", "").strip()
        ):
            self.add_error("comment", _("Say why you set another score than the team proposed."))
        return data


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
