"""The network's admin page as the coordinator uses it, composed here, in the top
app, because it shows teams, the timeline and the reporting periods together."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from agreements.admin import send_confirmed, sending_confirmation
from agreements.models import Agreement
from agreements.queries import UNSENT_STATES, network_agreements, sending_plan
from agreements.services import ensure_agreement
from lib import confirm
from network.admin import CentreScopedAdmin, CentreScopedInline, NetworkAdmin, VisibleRelatedFilter
from network.models import Network
from network.queries import count_of
from reports.checklist import checklist
from reports.models import ReportPeriod, StatusReport
from reports.services import propose_report_periods
from sessions_app.admin import SessionInline
from sessions_app.models import Attendance, Session
from sessions_app.services import (
    TimelineError,
    preview_timeline,
    propose_timeline,
    record_status,
)
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
    # The checklist and the buttons above the form (the cockpit).
    change_form_template = "reports/admin/network_change_form.html"

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
        sessions = obj.sessions.annotate(
            has_attendance=Exists(Attendance._base_manager.filter(session=OuterRef("pk")))
        ).order_by("starts_at", "kind", "number")
        return render_to_string(
            "reports/admin/network_timeline.html", {"network": obj, "sessions": sessions}
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["checklist"] = checklist(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/tidslinje/",
                view(self.propose_timeline_view),
                name="network_network_propose_timeline",
            ),
            path(
                "<path:object_id>/send-avtaler/",
                view(self.send_agreements_view),
                name="network_network_send_agreements",
            ),
            *super().get_urls(),
        ]

    def _network_for_change(self, request, object_id):
        network = self.get_object(request, object_id)  # 404 outside the user's centres
        if not self.has_change_permission(request, network):
            raise PermissionDenied
        return network

    def propose_timeline_view(self, request, object_id):
        """ "Foreslå standard tidslinje": GET shows the sessions it would make, POST
        makes them (and the report periods between the gatherings)."""
        network = self._network_for_change(request, object_id)
        change_url = reverse("admin:network_network_change", args=[network.pk])
        if request.method == "POST":
            self._propose(request, network)
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": network,
            "title": _("Propose the default timeline?"),
            "preview": preview_timeline(network),
            "cancel_url": change_url,
        }
        return TemplateResponse(request, "reports/admin/confirm_timeline.html", context)

    def send_agreements_view(self, request, object_id):
        """ "Send avtaler": GET lists each unit leader who gets a signing link (name,
        e-mail, which team's agreement), POST sends to those confirmed."""
        network = self._network_for_change(request, object_id)
        change_url = reverse("admin:network_network_change", args=[network.pk])
        if confirm.is_confirmed(request):
            for team in network.teams.filter(agreement__isnull=True):
                ensure_agreement(team)
            confirmed = [
                int(key.removeprefix("confirmed_"))
                for key in request.POST
                if key.startswith("confirmed_") and key.removeprefix("confirmed_").isdigit()
            ]
            send_confirmed(
                self,
                request,
                Agreement.objects.filter(team__network=network, pk__in=confirmed),
            )
            return HttpResponseRedirect(change_url)
        planned, refused = sending_plan(
            network_agreements(network).filter(status__in=UNSENT_STATES)
        )
        _waiting, answered = sending_plan(
            network_agreements(network).exclude(status__in=UNSENT_STATES), resend_open=False
        )
        confirmation = sending_confirmation(
            planned, refused + answered, hidden=[], cancel_url=change_url
        )
        return confirm.render(request, self.admin_site, self.opts, confirmation)

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
            self._propose(request, network)

    def _propose(self, request, network):
        try:
            result = propose_timeline(network)
        except TimelineError as error:
            self.message_user(request, f"{network}: {error}", messages.WARNING)
            return
        periods = propose_report_periods(network)
        self.message_user(
            request,
            ngettext(
                "%(network)s: created %(created)d session; %(kept)d already existed and were kept.",
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
