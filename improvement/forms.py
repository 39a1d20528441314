"""The plain forms that build a driver diagram: one box at a time."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes.forms import SafeModelChoiceField, SafeModelMultipleChoiceField

from improvement.models import Driver
from network.models import Intervention
from teams.models import Measure, PDSACycle, Team


class AimForm(forms.Form):
    aim = forms.CharField(
        label=gettext_lazy("Aim"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What the team will achieve, how much, by when."),
        max_length=2000,
    )
    #: The aim as the person saw it: a change meanwhile is not overwritten.
    original = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)


def _driver_label(driver: Driver) -> str:
    if driver.parent_id is None:
        return _("Primary: %(text)s") % {"text": driver.text}
    return _("– Secondary: %(text)s") % {"text": driver.text}


def _drivers_in_order(team: Team):
    """The primary drivers, each followed by its secondary ones: as in the picture."""
    drivers = list(Driver.objects.filter(diagram__team=team).order_by("position", "id"))
    ordered = []
    for primary in (d for d in drivers if d.parent_id is None):
        ordered.append(primary)
        ordered += [d for d in drivers if d.parent_id == primary.pk]
    return ordered


class DriverForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Driver"), max_length=300)
    parent = SafeModelChoiceField(
        label=gettext_lazy("Level"),
        queryset=Driver.objects.none(),
        required=False,
        empty_label=gettext_lazy("A primary driver (leads straight to the aim)"),
        help_text=gettext_lazy(
            "Or a secondary driver under one of the primary drivers: choose that one."
        ),
    )

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Driver.objects.filter(
            diagram__team=team, parent__isnull=True
        ).order_by("position", "id")
        self.fields["parent"].label_from_instance = lambda driver: (
            _("A secondary driver under: %(text)s") % {"text": driver.text}
        )


class DriverEditForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Driver"), max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ChangeIdeaForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Change idea"), max_length=300)
    driver = SafeModelChoiceField(
        label=gettext_lazy("Under the driver"),
        queryset=Driver.objects.none(),
        required=False,
        empty_label=gettext_lazy("Not placed yet"),
    )
    cycles = SafeModelMultipleChoiceField(
        label=gettext_lazy("Tested in the PDSA cycles"),
        queryset=PDSACycle.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    measures = SafeModelMultipleChoiceField(
        label=gettext_lazy("The measures that show its effect"),
        queryset=Measure.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        drivers = _drivers_in_order(team)
        field = self.fields["driver"]
        field.queryset = Driver.objects.filter(diagram__team=team)
        # The choices in the diagram's order, not the queryset's: one query for both.
        field.choices = [("", field.empty_label)] + [(d.pk, _driver_label(d)) for d in drivers]
        self.fields["cycles"].queryset = team.pdsa_cycles.order_by("-start_date", "id")
        self.fields["cycles"].label_from_instance = _cycle_label
        self.fields["measures"].queryset = team.measures.order_by("name", "id")
        if not team.pdsa_cycles.exists():
            self.fields["cycles"].help_text = _("The team has no PDSA cycles yet.")


def _cycle_label(cycle: PDSACycle) -> str:
    return f"{cycle.change} ({cycle.start_date:%d.%m.%Y})"


class BundleForm(forms.Form):
    """One click: the intervention (the button's value) as a change idea."""

    intervention = SafeModelChoiceField(queryset=Intervention.objects.none())
    driver = SafeModelChoiceField(queryset=Driver.objects.none(), required=False)

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["intervention"].queryset = (
            Intervention.objects.filter(focus_area_id=team.focus_area_id)
            if team.focus_area_id
            else Intervention.objects.none()
        )
        self.fields["driver"].queryset = Driver.objects.filter(diagram__team=team)


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])
