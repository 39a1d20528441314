from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelMultipleChoiceField

from network.admin import CentreScopedAdmin, CentreScopedInline, VisibleRelatedFilter
from sessions_app import services
from sessions_app.models import Attendance, Session
from teams.models import Team, TeamMember


class SessionAdminForm(forms.ModelForm):
    """A session's invited teams are teams of its own network: the list offers only
    those once the network is known (a saved session, or ?network= on the add
    page), and a team of another network is refused with a clear message."""

    class Meta:
        model = Session
        # The admin's fieldsets choose the fields; these are the ones this form needs.
        fields = ["invited_teams"]
        # The teams are read per request, in its scope (and chosen in __init__).
        field_classes = {"invited_teams": SafeModelMultipleChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "invited_teams" not in self.fields:
            return
        network_id = self.instance.network_id or self.initial.get("network")
        if network_id and str(network_id).isdigit():
            teams = Team.objects.filter(network_id=network_id)
        else:
            teams = Team.objects.all()
        field = self.fields["invited_teams"]
        field.queryset = teams.select_related("network", "municipality").order_by(
            "network__title", "municipality__name", "unit"
        )
        # Labelled with the network: the add page may list several networks' teams.
        field.label_from_instance = lambda team: f"{team} ({team.network})"

    def clean(self):
        cleaned = super().clean()
        network, teams = cleaned.get("network"), cleaned.get("invited_teams")
        if network is not None and teams:
            strangers = [team for team in teams if team.network_id != network.pk]
            if strangers:
                self.add_error(
                    "invited_teams",
                    _(
                        "Only the teams of %(network)s can be invited. Not of this "
                        "network: %(teams)s."
                    )
                    % {"network": network, "teams": ", ".join(str(t) for t in strangers)},
                )
        return cleaned


class TimelineRowForm(forms.ModelForm):
    """A row of the sessions list, where a network's timeline changes in one save:
    one compact date-and-time field each (the browser's own picker), not the admin's
    date and time pair with its notes, which made each row a screen high."""

    class Meta:
        model = Session
        fields = ["starts_at", "ends_at", "place", "status"]
        widgets = {
            name: forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
            for name in ("starts_at", "ends_at")
        } | {"place": forms.TextInput(attrs={"size": 16})}
        field_classes = {"starts_at": forms.DateTimeField, "ends_at": forms.DateTimeField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A list's cells have no <label>: each field is named by its column and row.
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = f"{field.label}, {self.instance}"


class SessionInline(CentreScopedInline, admin.TabularInline):
    model = Session
    fields = ["kind", "number", "starts_at", "ends_at", "place", "status"]
    show_change_link = True
    extra = 0


class AttendanceInline(CentreScopedInline, admin.TabularInline):
    model = Attendance
    fields = ["member", "present"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member__person", "member__team")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "member":
            kwargs["queryset"] = TeamMember.objects.select_related("person")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SessionAdmin(CentreScopedAdmin):
    """Registered by ``gatherings.admin``, which adds what an improvement network's
    gathering needs beyond the session (registration, programme, notes)."""

    add_title = _("Add a new session")
    form = SessionAdminForm

    list_display = ["__str__", "network", "kind", "starts_at", "ends_at", "place", "status"]
    # The network's page links here, filtered to its sessions, to move the timeline
    # in one save.
    list_editable = ["starts_at", "ends_at", "place", "status"]

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, **{"form": TimelineRowForm, **kwargs})

    list_select_related = ["network"]
    list_filter = ["kind", "status", ("network", VisibleRelatedFilter)]
    search_fields = ["title", "network__title", "place", "agenda"]
    date_hierarchy = "starts_at"
    filter_horizontal = ["invited_teams"]
    inlines = [AttendanceInline]
    fieldsets = (
        (None, {"fields": ("network", "kind", "number", "title", "status")}),
        (_("Time and place"), {"fields": ("starts_at", "ends_at", "place", "dial_in")}),
        (
            _("Invited"),
            {"fields": ("invited_teams", "invite_unit_leaders", "invite_top_management")},
        ),
        (_("Agenda"), {"fields": ("agenda",)}),
    )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.record_status(obj)
