"""The network's admin page as the coordinator uses it, composed here, in the top
app, because it shows teams, the timeline and the reporting periods together."""

from django.contrib import admin, messages
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from network.admin import CentreScopedAdmin, CentreScopedInline, NetworkAdmin, VisibleRelatedFilter
from network.models import Network
from network.queries import count_of
from reports.models import ReportPeriod, StatusReport
from reports.services import propose_report_periods
from sessions_app.admin import SessionInline
from sessions_app.models import Session
from sessions_app.services import TimelineError, propose_timeline, record_status
from teams.admin import TeamInline
from teams.models import Team


class ReportPeriodInline(CentreScopedInline, admin.TabularInline):
    model = ReportPeriod
    fields = ["number", "title", "starts_on", "due_on"]
    extra = 0


@admin.register(Network)
class NetworkWithTimelineAdmin(NetworkAdmin):
    inlines = [TeamInline, SessionInline, ReportPeriodInline]
    actions = ["propose_timeline"]
    list_display = [*NetworkAdmin.list_display, "reports_link"]

    readonly_fields = ["team_table", "timeline_table"]

    class Media:
        css = {"all": ["css/admin.css"]}

    def get_inlines(self, request, obj):
        """A new network gets its first teams and sessions on this form. A saved one
        lists them, each linked to its own page: as editable rows, a network's ten
        teams and twelve sessions rendered some 150 widgets, and the page cost 130 ms
        of CPU at national scale (`make bench`; README)."""
        return self.inlines if obj is None else [ReportPeriodInline]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return (
            *fieldsets,
            (_("Teams and timeline"), {"fields": ("team_table", "timeline_table")}),
        )

    @admin.display(description=_("teams"))
    def team_table(self, obj):
        teams = (
            obj.teams.select_related("municipality", "focus_area", "unit_leader")
            .annotate(member_count=count_of(Team, "members"))
            .order_by("municipality__name", "unit")
        )
        return render_to_string(
            "reports/admin/network_teams.html", {"network": obj, "teams": teams}
        )

    @admin.display(description=_("timeline"))
    def timeline_table(self, obj):
        return render_to_string(
            "reports/admin/network_timeline.html",
            {"network": obj, "sessions": obj.sessions.order_by("starts_at", "kind", "number")},
        )

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Session:
            for session in formset.new_objects + [obj for obj, _fields in formset.changed_objects]:
                record_status(session)

    @admin.display(description=_("status reports"))
    def reports_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("reports:network_reports", args=[obj.pk]), _("Overview")
        )

    @admin.action(description=_("Propose the default timeline"))
    def propose_timeline(self, request, queryset):
        for network in queryset:
            try:
                result = propose_timeline(network)
            except TimelineError as error:
                self.message_user(request, f"{network}: {error}", messages.WARNING)
                continue
            periods = propose_report_periods(network)
            self.message_user(
                request,
                ngettext(
                    "%(network)s: created %(created)d session; %(kept)d already existed "
                    "and were kept.",
                    "%(network)s: created %(created)d sessions; %(kept)d already existed "
                    "and were kept.",
                    len(result.created),
                )
                % {"network": network, "created": len(result.created), "kept": len(result.kept)}
                + " "
                + ngettext(
                    "%(count)d new reporting period.",
                    "%(count)d new reporting periods.",
                    len(periods),
                )
                % {"count": len(periods)},
                messages.SUCCESS,
            )


@admin.register(StatusReport)
class StatusReportAdmin(CentreScopedAdmin):
    list_display = ["team", "period", "status", "submitted_at", "updated_at"]
    list_select_related = ["team__municipality", "period"]
    list_filter = ["status", ("period__network", VisibleRelatedFilter)]
    search_fields = ["team__unit", "team__municipality__name"]
    readonly_fields = [
        "team",
        "period",
        "status",
        "submitted_at",
        "submitted_by",
        "pdf",
        "delivered_at",
    ]

    def has_add_permission(self, request, *args):
        return False
