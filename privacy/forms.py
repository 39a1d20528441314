from django import forms
from django.utils.translation import gettext_lazy as _


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that the erasure cannot be undone."),
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )
