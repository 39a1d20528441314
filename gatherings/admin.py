"""The session's admin page, with what a gathering of an improvement network needs:
registration, the participants' proposals, the programme and the notes."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from gatherings import services
from gatherings.models import AgendaItem, GatheringSettings, Registration
from network.admin import CentreScopedInline
from network.models import Network
from sessions_app.admin import SessionAdmin
from sessions_app.models import Session

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
    fields = ["name", "email", "organisation", "role", "side", "status", "created_at"]
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
        for session in queryset:
            count = services.publish_programme(session)
            self.message_user(
                request,
                _("%(session)s: the programme with %(count)d items is published.")
                % {"session": session, "count": count},
                messages.SUCCESS,
            )
