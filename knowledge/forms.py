from django import forms
from django.utils.translation import gettext_lazy as _

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
