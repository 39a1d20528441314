from django import forms
from django.utils.translation import gettext_lazy as _


class SignForm(forms.Form):
    signer_name = forms.CharField(label=_("Your full name"), max_length=150)
    signer_title = forms.CharField(
        label=_("Your title"),
        max_length=150,
        help_text=_("For example: unit leader, department leader."),
    )
    top_manager_name = forms.CharField(
        label=_("Name of the top-management attendee"),
        max_length=150,
        help_text=_("The person from top management who attends the last gathering."),
    )
    top_manager_email = forms.EmailField(label=_("E-mail of the top-management attendee"))
    confirm = forms.BooleanField(
        required=True,
        error_messages={
            "required": _("Tick the box to confirm that you sign on behalf of the unit.")
        },
    )
    document_sha256 = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, on_behalf_of="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = _("I sign on behalf of %(unit)s") % {"unit": on_behalf_of}
        self.fields["signer_name"].widget.attrs["autocomplete"] = "name"
        self.fields["signer_title"].widget.attrs["autocomplete"] = "organization-title"
        self.fields["top_manager_email"].widget.attrs["autocomplete"] = "off"


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you decline?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={
            "required": _("Write a short reason, so that the coordinator can follow up.")
        },
    )


class VerifyForm(forms.Form):
    reference = forms.CharField(
        label=_("Agreement reference"),
        max_length=20,
        help_text=_("Printed on the PDF, e.g. AVT-7KQ2M9XD."),
    )
    digest = forms.RegexField(
        label=_("Document hash (SHA-256)"),
        regex=r"^\s*[0-9a-fA-F]{64}\s*$",
        error_messages={"invalid": _("The hash has 64 characters, 0–9 and a–f.")},
        help_text=_("The 64 characters printed on the PDF's audit page."),
    )
