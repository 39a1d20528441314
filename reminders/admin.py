from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from network.admin import CentreScopedAdmin, VisibleRelatedFilter
from reminders import sending
from reminders.models import Reminder, ReminderSettings, ReminderState


@admin.register(Reminder)
class ReminderAdmin(CentreScopedAdmin):
    """Coordinators see what is due and what failed, with the error."""

    list_display = [
        "kind",
        "recipient_email",
        "due_at",
        "state",
        "attempts",
        "short_error",
        "network",
    ]
    list_select_related = ["network"]
    list_filter = ["state", "kind", ("network", VisibleRelatedFilter)]
    search_fields = ["recipient_email", "last_error"]
    actions = ["retry"]
    readonly_fields = [
        "key",
        "kind",
        "network",
        "session",
        "period",
        "team",
        "agreement",
        "person",
        "recipient_email",
        "copy_to",
        "number",
        "due_at",
        "expires_at",
        "state",
        "attempts",
        "last_error",
        "claimed_at",
        "sent_at",
    ]

    def has_add_permission(self, request, *args):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("error"))
    def short_error(self, obj):
        return obj.last_error[:80]

    @admin.action(description=_("Try the failed reminders again"))
    def retry(self, request, queryset):
        count = sum(sending.retry(r) for r in queryset.filter(state=ReminderState.FAILED))
        self.message_user(
            request,
            ngettext(
                "%(count)d reminder will be sent again.",
                "%(count)d reminders will be sent again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(CentreScopedAdmin):
    add_title = _("Add new reminder settings")

    list_display = [
        "network",
        "gathering_days",
        "call_days",
        "report_days",
        "overdue_every_days",
        "agreement_days_before_start",
    ]
    list_select_related = ["network"]
