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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A gathering and an agenda item of the document's own network: only those
        # once the network is known (a saved document, or ?network= on the add page),
        # each labelled with its network; Document.clean refuses another network's.
        network_id = self.instance.network_id or self.initial.get("network")
        if not (network_id and str(network_id).isdigit()):
            network_id = None
        if "session" in self.fields:
            field = self.fields["session"]
            sessions = field.queryset.select_related("network").order_by(
                "network__title", "starts_at"
            )
            field.queryset = sessions.filter(network_id=network_id) if network_id else sessions
            field.label_from_instance = lambda session: f"{session.network} – {session}"
        if "agenda_item" in self.fields:
            field = self.fields["agenda_item"]
            items = field.queryset.select_related("session__network").order_by(
                "session__network__title", "session__starts_at", "title"
            )
            if network_id:
                items = items.filter(session__network_id=network_id)
            field.queryset = items
            field.label_from_instance = lambda item: (
                f"{item.session.network} – {item.session} – {item}"
            )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload is None or not hasattr(upload, "read"):
            return upload
        self.data_bytes, self.checked = checked_upload(upload)
        return upload
