from django import forms
from django.utils.translation import gettext_lazy as _

from lib import uploads
from sessions_app.models import AgendaItem, Document, Registration


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


UPLOAD_MESSAGES = {
    "path": _("The file name must not contain a folder path."),
    "size": _("The file is larger than 20 MB."),
    "type": _("Upload a PDF or an Office file (Word, PowerPoint, Excel or OpenDocument)."),
    "empty": _("The file is empty."),
}


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["network", "session", "agenda_item", "title", "description", "file"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload is None or not hasattr(upload, "read"):
            return upload
        if upload.size > uploads.MAX_BYTES:
            raise forms.ValidationError(UPLOAD_MESSAGES["size"])
        data = upload.read()
        upload.seek(0)
        try:
            self.checked = uploads.check(upload.name, data)
        except uploads.UploadError as error:
            raise forms.ValidationError(UPLOAD_MESSAGES[error.args[0]]) from None
        self.data_bytes = data
        return upload
