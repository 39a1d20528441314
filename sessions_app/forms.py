"""The attendance checklist's form: the ticked members and whole teams, as ids."""

from django import forms
from django.utils.translation import gettext_lazy as _


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
