from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from network.admin import CentreScopedAdmin, CentreScopedInline, VisibleRelatedFilter
from sessions_app import services
from sessions_app.models import Attendance, Session
from teams.models import TeamMember


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

    list_display = ["__str__", "network", "kind", "starts_at", "ends_at", "status"]
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
