"""The follow-up record's form, and the attendance checklist's (the ticked members
and whole teams, as ids)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelMultipleChoiceField

from sessions_app.models import FollowUpRecord


class FollowUpForm(forms.ModelForm):
    """The four questions of the call; the coordinator's form adds the notes."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = FollowUpRecord
        fields = [
            "sustained",
            "sustained_note",
            "measures",
            "other_measures",
            "spread",
            "obstacles",
            "coordinator_notes",
        ]
        widgets = {
            "sustained": forms.RadioSelect,
            "measures": forms.CheckboxSelectMultiple,
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in (
                    "sustained_note",
                    "other_measures",
                    "spread",
                    "obstacles",
                    "coordinator_notes",
                )
            },
        }
        field_classes = {"measures": SafeModelMultipleChoiceField}
        help_texts = {
            "spread": _("Other units or municipalities that now work this way."),
            "measures": _("Tick the team's measures that are still entered."),
        }

    def __init__(self, *args, team, coordinator=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sustained"].choices = self.fields["sustained"].choices[1:]
        self.fields["sustained"].required = True
        self.fields["measures"].queryset = team.measures.order_by("name")
        if not coordinator:
            del self.fields["coordinator_notes"]
            del self.fields["version"]
            self.fields["filled_by"] = forms.CharField(
                label=_("Your name"), max_length=200, help_text=_("Who filled this in.")
            )


class IdListField(forms.Field):
    """Several values of one name (checkboxes), each a whole number."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": _("The choice was not understood; tick again.")}

    def to_python(self, value):
        if not value:
            return []
        try:
            ids = [int(item) for item in value]
        except (TypeError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if any(not 0 < item < 2**31 for item in ids):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return ids


class AttendanceForm(forms.Form):
    member = IdListField(required=False)
    team = IdListField(required=False)
