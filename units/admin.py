"""Units in the admin: to read, and to delete a card. Requests are made on the unit's
page and closed by a report; cards are made and moved on the board (services)."""

from django.contrib import admin

from network.admin import CentreScopedAdmin
from units.models import BoardCard, ResultRequest


class ReadOnlyAdmin(CentreScopedAdmin):
    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ResultRequest)
class ResultRequestAdmin(ReadOnlyAdmin):
    list_display = ["team", "asked_by", "asked_at", "closed_at", "emailed_at"]
    list_select_related = ["team__municipality", "asked_by"]
    fields = [
        "team",
        "asked_by",
        "message",
        "asked_at",
        "closed_at",
        "closed_by_report",
        "emailed_at",
    ]


@admin.register(BoardCard)
class BoardCardAdmin(ReadOnlyAdmin):
    list_display = ["title", "team", "kind", "column", "moved_at"]
    list_select_related = ["team__municipality"]
    list_filter = ["column", "kind"]
    fields = ["team", "kind", "title", "detail", "column", "cycle", "created_at", "moved_at"]
