"""Driver diagrams in the admin: the coordinator finds a team's diagram and reads
it as a list; it is built and changed on its own page (linked), where the forms
keep its order and refuse a stale change."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from improvement.models import DriverDiagram
from improvement.queries import drawn_diagram
from network.admin import CentreScopedAdmin, VisibleRelatedFilter


@admin.register(DriverDiagram)
class DriverDiagramAdmin(CentreScopedAdmin):
    list_display = ["__str__", "network", "updated_at"]
    list_select_related = ["team__network", "team__municipality"]
    list_filter = [("team__network", VisibleRelatedFilter)]
    search_fields = ["team__name", "team__unit", "team__municipality__name"]
    fields = ["team", "page", "diagram"]
    readonly_fields = fields

    @admin.display(description=_("network"), ordering="team__network__title")
    def network(self, obj):
        return obj.team.network

    @admin.display(description=_("the diagram's page"))
    def page(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("improvement:diagram", args=[obj.team_id]),
            _("Open the driver diagram"),
        )

    @admin.display(description=_("driver diagram"))
    def diagram(self, obj):
        return drawn_diagram(obj.team).text

    def has_add_permission(self, request, *args):
        return False  # made by the team's first change on the diagram's page

    def has_change_permission(self, request, obj=None):
        return False
