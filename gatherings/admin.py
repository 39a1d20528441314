"""The session's admin page, with what a gathering of an improvement network needs:
registration, the participants' proposals, the programme and the notes."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from gatherings import services
from gatherings.models import (
    AgendaItem,
    GatheringSettings,
    ProposalStatus,
    Registration,
    RegistrationStatus,
)
from lib import confirm
from network.admin import CentreScopedInline
from network.models import Network, NetworkKind
from sessions_app.admin import SessionAdmin
from sessions_app.models import Session, SessionKind

#: The warning above free text that could hold patient information.
NO_PATIENT_DATA = _(
    "Do not write anything that can identify a patient or user: no names, national identity "
    "numbers, dates of birth, room numbers or rare details. Write about the unit and the work."
)


class GatheringSettingsInline(CentreScopedInline, admin.StackedInline):
    model = GatheringSettings
    fieldsets = [
        (None, {"fields": ["registration_open", "capacity", "programme_published_at"]}),
        (
            _("Notes carried to the next gathering"),
            {
                "fields": ["where_we_are", "decisions", "bring_next_time"],
                "description": NO_PATIENT_DATA,
            },
        ),
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
    fields = ["name", "email", "organisation", "role", "side", "status", "attended", "created_at"]
    readonly_fields = ["created_at"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Session)
class SessionWithGatheringAdmin(SessionAdmin):
    inlines = [*SessionAdmin.inlines, GatheringSettingsInline, AgendaItemInline, RegistrationInline]
    actions = ["publish_programme"]

    def get_inlines(self, request, obj):
        # Registration, programme and notes belong to an improvement network's
        # gathering; a learning network's session shows only its own inlines.
        network = obj.network if obj is not None else self._network_to_add(request)
        if network is None or network.is_learning:
            return SessionAdmin.inlines
        return self.inlines

    def _network_to_add(self, request):
        """The network of an add page opened with ?network= (the network's own page
        links so), in the user's scope."""
        network_id = request.GET.get("network", "")
        if not network_id.isdigit():
            return None
        return Network.objects.filter(pk=network_id).order_by().first()

    @admin.action(description=_("Publish the programme of the selected gatherings"))
    def publish_programme(self, request, queryset):
        """Asks first, and publishes only when confirmed."""
        gatherings = publishable(queryset)
        if not confirm.is_confirmed(request):
            return confirm.render(
                request,
                self.admin_site,
                self.opts,
                publish_confirmation(
                    gatherings,
                    hidden=confirm.action_fields("publish_programme", queryset),
                    cancel_url=request.get_full_path(),
                ),
            )
        for session in gatherings:
            self._publish(request, session)

    def _publish(self, request, session):
        count = services.publish_programme(session)
        self.message_user(
            request,
            _("%(session)s: the programme with %(count)d items is published.")
            % {"session": session, "count": count},
            messages.SUCCESS,
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/publiser-programmet/",
                self.admin_site.admin_view(self.publish_view),
                name="sessions_app_session_publish",
            ),
            *super().get_urls(),
        ]

    def publish_view(self, request, object_id):
        """The button "Publiser programmet" on a gathering's page: GET asks, POST
        publishes."""
        session = self.get_object(request, object_id)
        if not self.has_change_permission(request, session):
            raise PermissionDenied
        change_url = reverse("admin:sessions_app_session_change", args=[session.pk])
        gatherings = publishable(Session.objects.filter(pk=session.pk))
        if confirm.is_confirmed(request) and gatherings:
            self._publish(request, gatherings[0])
            return HttpResponseRedirect(change_url)
        return confirm.render(
            request,
            self.admin_site,
            self.opts,
            publish_confirmation(gatherings, hidden=[], cancel_url=change_url),
        )


def publishable(queryset) -> list[Session]:
    """The improvement networks' gatherings of ``queryset``, with the number of
    accepted proposals and of registrations each."""
    return list(
        queryset.filter(kind=SessionKind.GATHERING, network__kind=NetworkKind.IMPROVEMENT)
        .select_related("network")
        .annotate(
            accepted=Count(
                "agenda_items",
                filter=Q(agenda_items__status=ProposalStatus.ACCEPTED),
                distinct=True,
            ),
            registered=Count(
                "registrations",
                filter=~Q(registrations__status=RegistrationStatus.CANCELLED),
                distinct=True,
            ),
        )
        .order_by("starts_at")
    )


def publish_confirmation(gatherings, *, hidden, cancel_url) -> confirm.Confirmation:
    notes = [
        ngettext(
            "%(session)s (%(network)s): %(count)d accepted item goes on the programme.",
            "%(session)s (%(network)s): %(count)d accepted items go on the programme.",
            session.accepted,
        )
        % {"session": session, "network": session.network, "count": session.accepted}
        + " "
        + ngettext(
            "%(count)d registered participant sees it on the gathering's page.",
            "%(count)d registered participants see it on the gathering's page.",
            session.registered,
        )
        % {"count": session.registered}
        for session in gatherings
    ]
    return confirm.Confirmation(
        title=_("Publish the programme?"),
        intro=_(
            "The programme is shown on the gathering's public page and as a PDF. No e-mail is sent."
        ),
        button=_("Yes, publish"),
        cancel_url=cancel_url,
        notes=notes,
        hidden=hidden,
    )
