from django import forms
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelChoiceField

from improvement.models import ChangeIdea
from units.models import BoardCard, Column


class ResultRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the team (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A line or two: what you would like to hear about. At most 500 characters."),
    )


class CardForm(forms.ModelForm):
    """A card's text, kind, PDSA cycle and change idea; ``version`` is the card as the
    form showed it."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = BoardCard
        fields = ["kind", "title", "detail", "cycle", "idea"]
        widgets = {"detail": forms.Textarea(attrs={"rows": 3})}
        # The team's PDSA cycles are offered from __init__, in the request's scope.
        field_classes = {"cycle": SafeModelChoiceField, "idea": SafeModelChoiceField}

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.team = team
        self.fields["cycle"].queryset = team.pdsa_cycles.order_by("-start_date", "pk")
        # The ideas of the team's own driver diagram only.
        self.fields["idea"].queryset = ChangeIdea.objects.filter(diagram__team=team).order_by(
            "position", "pk"
        )
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version


class MoveForm(forms.Form):
    to = forms.ChoiceField(choices=Column.choices)
    version = forms.IntegerField(min_value=1)
