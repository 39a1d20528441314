from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from network.models import FocusAreaMode, Network, Person
from network.queries import person_with_email


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
            "has_precourse",
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


class PersonAdminForm(forms.ModelForm):
    """A person in the admin: an e-mail address the centre already has is refused,
    with a link to the person who has it (the database's constraint would refuse
    it too, without saying who)."""

    class Meta:
        model = Person
        # The centre (and, for a superuser, the login) are added by the admin when
        # the form is made for a request, in the user's scope, as for networks.
        fields = ["name", "email", "phone", "title", "organisation"]

    def clean(self):
        cleaned = super().clean()
        email = cleaned.get("email")
        centre = cleaned.get("centre") or getattr(self.instance, "centre", None)
        if email and centre:
            existing = person_with_email(centre.pk, email, exclude_pk=self.instance.pk)
            if existing is not None:
                url = reverse("admin:network_person_change", args=[existing.pk])
                self.add_error(
                    "email",
                    format_html(
                        '{} <a href="{}">{}</a>',
                        _("This e-mail address belongs to a person already registered:"),
                        url,
                        existing.label,
                    ),
                )
        return cleaned
