from django import forms
from django.utils.translation import gettext_lazy as _

from network.models import FocusAreaMode, Network


class NetworkAdminForm(forms.ModelForm):
    class Meta:
        model = Network
        # The centre is added by the admin's fieldsets when the form is made for a
        # request, in the user's scope; a picker of centres cannot be built outside one.
        fields = [
            "title",
            "kind",
            "status",
            "start_date",
            "end_date",
            "focus_area_mode",
            "focus_areas",
            "participation_fee",
            "gathering_hours",
            "phone_conference_hours",
            "weekly_minutes",
        ]

    def clean(self):
        cleaned = super().clean()
        areas = cleaned.get("focus_areas")
        mode = cleaned.get("focus_area_mode")
        if areas is not None and mode == FocusAreaMode.SINGLE and len(areas) > 1:
            self.add_error(
                "focus_areas", _("A network with one pre-selected focus area offers exactly one.")
            )
        if areas is not None and mode == FocusAreaMode.TEAM_CHOICE and len(areas) > 3:
            self.add_error("focus_areas", _("Offer at most three focus areas to choose from."))
        return cleaned
