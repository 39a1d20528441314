from django import forms
from django.utils.translation import gettext_lazy as _

from gatherings.models import AgendaItem, Registration


class RegistrationForm(forms.ModelForm):
    class Meta:
        model = Registration
        fields = ["name", "email", "organisation", "role", "side"]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "organisation": forms.TextInput(attrs={"autocomplete": "organization"}),
        }


class ProposalForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "summary", "minutes", "proposer_name", "proposer_email", "organisation"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"minutes": _("How long you need, in minutes (5–480).")}

    def clean_minutes(self):
        minutes = self.cleaned_data["minutes"]
        if not 5 <= minutes <= 480:
            raise forms.ValidationError(_("A duration is between 5 and 480 minutes."))
        return minutes
