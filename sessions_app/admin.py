from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django_scopes.forms import SafeModelMultipleChoiceField

from network.admin import CentreScopedAdmin, CentreScopedInline, VisibleRelatedFilter
from sessions_app import services
from sessions_app.forms import AttendanceForm
from sessions_app.models import Session
from sessions_app.queries import attendance_sheet
from teams.models import Team


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
    # Attendance is recorded on its own page, a checklist of the invited teams'
    # members (``attendance_view``), linked from the session's and the network's pages.
    inlines = []
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

    def get_urls(self):
        return [
            path(
                "<path:object_id>/oppmote/",
                self.admin_site.admin_view(self.attendance_view),
                name="sessions_app_session_attendance",
            ),
            *super().get_urls(),
        ]

    def attendance_view(self, request, object_id):
        """The attendance checklist: the invited teams' members, grouped by team,
        with "Hele teamet møtte" for each team. Only invited people can be marked."""
        session = self.get_object(request, object_id)  # 404 outside the user's centres
        if not self.has_change_permission(request, session):
            raise PermissionDenied
        form = AttendanceForm(request.POST or None)
        error = None
        if request.method == "POST" and form.is_valid():
            try:
                result = services.record_attendance(
                    session, form.cleaned_data["member"], form.cleaned_data["team"]
                )
            except services.AttendanceError as refused:
                error = str(refused)
            else:
                self.message_user(
                    request,
                    _("Attendance at %(session)s is saved: %(present)d of %(invited)d present.")
                    % {"session": session, "present": result.present, "invited": result.invited},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:network_network_change", args=[session.network_id])
                )
        sheet = attendance_sheet(session)
        if request.method == "POST":
            # Shown again as ticked, so that nothing ticked is lost.
            ticked = {str(pk) for pk in request.POST.getlist("member")}
            teams_ticked = {str(pk) for pk in request.POST.getlist("team")}
            sheet = [
                (team, [(member, str(member.pk) in ticked) for member, _was in members])
                for team, members in sheet
            ]
        else:
            teams_ticked = {
                str(team.pk) for team, members in sheet if members and all(p for _m, p in members)
            }
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": session,
            "title": _("Attendance: %(session)s") % {"session": session},
            "sheet": sheet,
            "teams_ticked": teams_ticked,
            "form": form,
            "error": error,
            "network_url": reverse("admin:network_network_change", args=[session.network_id]),
        }
        return TemplateResponse(
            request,
            "sessions_app/admin/attendance.html",
            context,
            status=400 if error or form.errors else 200,
        )
