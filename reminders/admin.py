from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_scopes import scopes_disabled

from lib import confirm
from network.access import access_of
from network.admin import CentreScopedAdmin, VisibleRelatedFilter
from network.models import Centre, Coordinator, Person
from reminders import digest, sending, services
from reminders.models import (
    Reminder,
    ReminderKind,
    ReminderOptOut,
    ReminderSettings,
    ReminderState,
    SweepHeartbeat,
    WeeklyDigest,
)
from reminders.queries import last_sweep, queue_by_centre


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
        """Asks first (who gets which reminder), and sends only when confirmed."""
        failed = queryset.filter(state=ReminderState.FAILED)
        if not confirm.is_confirmed(request):
            return confirm.render(
                request,
                self.admin_site,
                self.opts,
                retry_confirmation(
                    failed.select_related(
                        "person", "session", "period", "team", "network"
                    ).order_by("due_at", "pk"),
                    queryset.exclude(state=ReminderState.FAILED).order_by("due_at", "pk"),
                    hidden=confirm.action_fields("retry", queryset),
                    cancel_url=request.get_full_path(),
                ),
            )
        count = sum(sending.retry(r) for r in failed)
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


def retry_confirmation(failed, others, *, hidden, cancel_url) -> confirm.Confirmation:
    recipients = []
    for reminder in failed:
        subject = reminder.session or reminder.period or reminder.team or reminder.network
        gets = _("%(kind)s: %(subject)s") % {
            "kind": reminder.get_kind_display(),
            "subject": subject,
        }
        if reminder.copy_to:
            gets += " " + _("(copy to %(copy)s)") % {"copy": reminder.copy_to}
        name = reminder.person.name if reminder.person else "–"
        recipients.append(confirm.Recipient(name, reminder.recipient_email, gets))
    return confirm.Confirmation(
        title=_("Send the failed reminders again?"),
        intro=_(
            "The reminders below failed. Once confirmed they go out again with the next "
            "sending, within a minute."
        ),
        button=ngettext(
            "Yes, send %(count)d reminder again",
            "Yes, send %(count)d reminders again",
            len(recipients),
        )
        % {"count": len(recipients)},
        cancel_url=cancel_url,
        recipients=recipients,
        left_out=[
            confirm.LeftOut(
                f"{reminder.get_kind_display()}, {reminder.recipient_email}",
                _("not failed (%(state)s)") % {"state": reminder.get_state_display()},
            )
            for reminder in others
        ],
        hidden=hidden,
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


class OnePageAdmin(admin.ModelAdmin):
    """An admin page of its own on a model with no rows to add, change or delete: its
    list is the page (``changelist_view``); who sees it is ``has_module_permission``."""

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "",
                self.admin_site.admin_view(self.changelist_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_changelist",
            )
        ]


@admin.register(SweepHeartbeat)
class OutboxAdmin(OnePageAdmin):
    """The installation's outbox, for its operator (superusers): per centre, what is
    due, waiting, being sent, retrying, failed and sent in the last day, and when the
    sweep last finished. The same as `manage.py outbox`."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        with scopes_disabled():  # the whole installation: the operator's view
            rows = queue_by_centre()
            last = last_sweep()
        totals = {
            key: sum(row[key] for row in rows)
            for key in ("due", "waiting", "sending", "retrying", "failed", "sent_24h")
        }
        context = {
            **self.admin_site.each_context(request),
            "title": self.opts.verbose_name_plural.capitalize(),
            "opts": self.opts,
            "rows": rows,
            "totals": totals,
            "last_sweep": last,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "reminders/admin/outbox.html", context)


@admin.register(WeeklyDigest)
class WeeklyDigestAdmin(OnePageAdmin):
    """The weekly digest, seen by the coordinators of a centre: whether it goes out
    (the centre has an active network), when it next goes out, and what each
    coordinator would get now. A coordinator turns it off or on for themselves."""

    def has_module_permission(self, request):
        return access_of(request).may_coordinate

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        me = Person.objects.filter(user=request.user).first()
        if request.method == "POST" and me is not None and "digest" in request.POST:
            on = request.POST["digest"] == "on"
            services.set_digest(me, on)
            self.message_user(
                request,
                _("You get the weekly digest again.")
                if on
                else _("You no longer get the weekly digest."),
                messages.SUCCESS,
            )
            return redirect(request.path)
        access = access_of(request)
        centres = Centre.objects.order_by("name")
        if not access.is_superuser:
            centres = centres.filter(pk__in=access.coordinated_centre_ids)
        turned_off = set(
            ReminderOptOut.objects.filter(kind=ReminderKind.DIGEST).values_list(
                "person_id", flat=True
            )
        )
        rows = []
        for centre in centres[:20]:
            network = digest.digest_network(centre.pk)
            coordinators = []
            for coordinator in (
                Coordinator.objects.filter(centre=centre)
                .select_related("person")
                .order_by("person__name")
            ):
                person = coordinator.person
                preview = None
                if network is not None and person.email:
                    preview = sending.build(
                        Reminder(
                            key=f"digest:preview:c{coordinator.pk}",
                            kind=ReminderKind.DIGEST,
                            network=network,
                            person=person,
                            recipient_email=person.email,
                            due_at=timezone.now(),
                        )
                    )
                coordinators.append(
                    {
                        "person": person,
                        "gets_it": person.pk not in turned_off and bool(person.email),
                        "preview": preview,
                    }
                )
            rows.append({"centre": centre, "network": network, "coordinators": coordinators})
        context = {
            **self.admin_site.each_context(request),
            "title": self.opts.verbose_name.capitalize(),
            "opts": self.opts,
            "rows": rows,
            "next_at": digest.next_digest_at(),
            "me": me,
            "i_get_it": me is not None and me.pk not in turned_off,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "reminders/admin/digest.html", context)
