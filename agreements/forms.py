import re

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


class TopManagerForm(forms.Form):
    """The coordinator names the top-management attendee."""

    name = forms.CharField(label=_("Name of the top-management attendee"), max_length=150)
    email = forms.EmailField(label=_("E-mail of the top-management attendee"))


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
    digest = forms.CharField(
        label=_("Document hash (SHA-256)"),
        max_length=200,
        help_text=_("The 64 characters printed on the PDF's audit page."),
    )

    def clean_digest(self):
        # Pasted from a PDF, the hash often comes broken over lines or spaced.
        digest = "".join(self.cleaned_data["digest"].split()).lower()
        if not re.fullmatch(r"[0-9a-f]{64}", digest):
            raise forms.ValidationError(_("The hash has 64 characters, 0–9 and a–f."))
        return digest


#: Far above any signed agreement's PDF (a few hundred kB).
MAX_VERIFY_BYTES = 20 * 1024 * 1024


class VerifyFileForm(forms.Form):
    pdf = forms.FileField(
        label=_("The PDF you received"),
        help_text=_("The file is compared with the PDFs the product sent, and not kept."),
        error_messages={"required": _("Choose the PDF to check.")},
    )

    def clean_pdf(self):
        upload = self.cleaned_data["pdf"]
        if upload.size > MAX_VERIFY_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB: not a signed agreement."))
        return upload.read()
