from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lib import confirm
from network.admin import UserAdmin as NetworkUserAdmin
from network.models import User
from security import services
from security.models import SecurityEvent


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """Superusers read the log; nobody edits it."""

    list_display = ["at", "kind", "username", "ip", "detail"]
    list_filter = ["kind"]
    search_fields = ["username", "ip", "detail"]
    date_hierarchy = "at"

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.action(
    description=_("Reset two-factor login (set up again through an e-mailed link)"),
    permissions=["reset_two_factor"],
)
def reset_two_factor(modeladmin, request, queryset):
    """Asks first: each person by name and e-mail, and the link they will get."""
    people = list(queryset.order_by("email"))
    if not confirm.is_confirmed(request):
        gets = _(
            "At the next login, an e-mail with a link to set up two-factor login again; "
            "their authenticator apps and recovery codes stop working now."
        )
        return confirm.render(
            request,
            modeladmin.admin_site,
            modeladmin.opts,
            confirm.Confirmation(
                title=_("Reset two-factor login?"),
                intro=_("The people below set up two-factor login again."),
                button=_("Yes, reset"),
                cancel_url=request.get_full_path(),
                recipients=[
                    confirm.Recipient(person.get_full_name() or "–", person.email, gets)
                    for person in people
                ],
                hidden=confirm.action_fields("reset_two_factor", queryset),
            ),
        )
    for person in people:
        services.reset_two_factor(person, by=request.user, request=request)
    modeladmin.message_user(
        request,
        ngettext(
            "Two-factor login was reset for %(count)d person. They set it up again "
            "through a link sent to their e-mail at their next login.",
            "Two-factor login was reset for %(count)d people. They set it up again "
            "through a link sent to their e-mail at their next login.",
            len(people),
        )
        % {"count": len(people)},
        messages.SUCCESS,
    )


class UserAdmin(NetworkUserAdmin):
    """The users' page of network.admin, with the security app's action: a superuser
    resets a person's authenticator apps and recovery codes (network, a lower layer,
    does not know about them)."""

    actions = [reset_two_factor]

    def has_reset_two_factor_permission(self, request):
        return request.user.is_superuser


admin.site.unregister(User)
admin.site.register(User, UserAdmin)
