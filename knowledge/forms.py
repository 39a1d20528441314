from django import forms
from django.utils.translation import gettext_lazy as _

from gatherings.forms import ProposalForm
from knowledge import uploads
from knowledge.models import Document

UPLOAD_MESSAGES = {
    "path": _("The file name must not contain a folder path."),
    "size": _("The file is larger than 20 MB."),
    "type": _("Upload a PDF or an Office file (Word, PowerPoint, Excel or OpenDocument)."),
    "empty": _("The file is empty."),
    "archive": _(
        "The file unpacks to more than 50 MB or has more than 1,000 parts. "
        "Save it again in Word, PowerPoint or Excel, or upload it as a PDF."
    ),
}


def checked_upload(upload):
    """An uploaded file's bytes and ``uploads.check``'s description of it, or a
    ValidationError with the message for the field (every upload form uses it)."""
    if upload.size > uploads.MAX_BYTES:
        raise forms.ValidationError(UPLOAD_MESSAGES["size"])
    data = upload.read()
    upload.seek(0)
    try:
        return data, uploads.check(upload.name, data)
    except uploads.UploadError as error:
        raise forms.ValidationError(UPLOAD_MESSAGES[error.args[0]]) from None


class ProposalWithSlidesForm(ProposalForm):
    """A participant's proposal, with slides if they have them: checked as every
    other upload (``knowledge.uploads``)."""

    slides = forms.FileField(
        label=_("Slides (optional)"),
        required=False,
        help_text=_(
            "A PDF or an Office file (PowerPoint, Word, Excel or OpenDocument), at most "
            "20 MB. Only the coordinator sees them until the item is in the programme."
        ),
    )

    def clean_slides(self):
        upload = self.cleaned_data.get("slides")
        if upload is None or not hasattr(upload, "read"):
            return None
        self.slides_bytes, self.slides_checked = checked_upload(upload)
        return upload


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        # The pickers of network, gathering and agenda item are added by the admin
        # (DocumentAdmin.fields) when the form is made for a request, in its scope.
        fields = ["title", "description", "file"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload is None or not hasattr(upload, "read"):
            return upload
        self.data_bytes, self.checked = checked_upload(upload)
        return upload
