from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from network.admin import CentreScopedAdmin, CentreScopedInline, VisibleRelatedFilter
from sessions_app import gatherings
from sessions_app.forms import DocumentForm
from sessions_app.models import (
    AgendaItem,
    Attendance,
    Document,
    GatheringSettings,
    Registration,
    Session,
)
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
            kwargs["queryset"] = TeamMember.objects.visible_to(request.user).select_related(
                "person"
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class GatheringSettingsInline(CentreScopedInline, admin.StackedInline):
    model = GatheringSettings
    fields = [
        "registration_open",
        "capacity",
        "programme_published_at",
        "where_we_are",
        "decisions",
        "bring_next_time",
    ]
    readonly_fields = ["programme_published_at"]
    can_delete = False
    verbose_name_plural = _("registration, programme and notes (improvement networks)")


class AgendaItemInline(CentreScopedInline, admin.TabularInline):
    model = AgendaItem
    fields = ["title", "proposer_name", "organisation", "minutes", "status", "day", "starts"]
    extra = 0


class RegistrationInline(CentreScopedInline, admin.TabularInline):
    model = Registration
    fields = ["name", "email", "organisation", "role", "side", "status", "created_at"]
    readonly_fields = ["created_at"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Session)
class SessionAdmin(CentreScopedAdmin):
    list_display = ["__str__", "network", "kind", "starts_at", "ends_at", "status"]
    list_select_related = ["network"]
    list_filter = ["kind", "status", ("network", VisibleRelatedFilter)]
    search_fields = ["title", "network__title", "place", "agenda"]
    date_hierarchy = "starts_at"
    filter_horizontal = ["invited_teams"]
    inlines = [AttendanceInline, GatheringSettingsInline, AgendaItemInline, RegistrationInline]
    fieldsets = (
        (None, {"fields": ("network", "kind", "number", "title", "status")}),
        (_("Time and place"), {"fields": ("starts_at", "ends_at", "place", "dial_in")}),
        (
            _("Invited"),
            {"fields": ("invited_teams", "invite_unit_leaders", "invite_top_management")},
        ),
        (_("Agenda"), {"fields": ("agenda",)}),
    )
    actions = ["publish_programme"]

    @admin.action(description=_("Publish the programme of the selected gatherings"))
    def publish_programme(self, request, queryset):
        for session in queryset:
            count = gatherings.publish_programme(session)
            self.message_user(
                request,
                _("%(session)s: the programme with %(count)d items is published.")
                % {"session": session, "count": count},
                messages.SUCCESS,
            )


@admin.register(Document)
class DocumentAdmin(CentreScopedAdmin):
    form = DocumentForm
    list_display = ["title", "network", "session", "original_name", "size", "uploaded_at"]
    list_select_related = ["network", "session"]
    list_filter = [("network", VisibleRelatedFilter)]
    search_fields = ["title", "description", "original_name", "text"]

    def save_model(self, request, obj, form, change):
        checked = getattr(form, "checked", None)
        if checked is not None:
            obj.original_name = checked.name
            obj.content_type = checked.content_type
            obj.size = checked.size
            obj.text = checked.text
        super().save_model(request, obj, form, change)
