"""The coordinators' admin for centres, municipalities, focus areas, networks and people.

A coordinator stays inside their own centre because every admin request runs in
the scope of the user's centres (``network.access``): lists, foreign-key pickers,
autocomplete and change URLs all read through the models' scoped managers.
``CentreScopedAdmin`` (and ``CentreScopedInline``) add the role (only coordinators
and superusers) and answer 404 for an object outside the scope. The other apps'
admins use the same classes.
"""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, models
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from lib import numbers
from network.access import access_of
from network.forms import NetworkAdminForm
from network.models import (
    Centre,
    Coordinator,
    FocusArea,
    Intervention,
    Municipality,
    Network,
    Person,
    RecommendedMeasure,
    User,
)
from network.queries import count_of


class VisibleRelatedFilter(admin.RelatedFieldListFilter):
    """A filter by a centre-owned relation (network, team) that offers what the user
    may see, read from that model: no scan of the (large) listed table for the
    distinct values, as RelatedOnlyFieldListFilter would do."""

    def field_choices(self, field, request, model_admin):
        return visible_choices(request, field.related_model)


def visible_choices(request, model):
    """[(pk, name)] of the ``model`` rows the user may see (the request's scope)."""
    return [(obj.pk, str(obj)) for obj in model._default_manager.all()]


class TolerantAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete picker, re-rendered with the form's error when the value
    sent is not a key at all ("abc" typed by hand or by a fuzzer): Django's own
    widget looks the value up as a key and fails with a server error."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [item for item in value if self.is_key(item)], attr)

    def is_key(self, item):
        key = self.field.remote_field.model._meta.pk
        try:
            number = key.to_python(item)
        except ValidationError:
            return False
        if isinstance(number, int):  # and one the database can compare with
            low, high = connections[self.db or "default"].ops.integer_field_range(
                key.get_internal_type()
            )
            return (low is None or number >= low) and (high is None or number <= high)
        return True


class TolerantAutocompleteMixin:
    """Autocomplete pickers that survive a value that is not a key."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        widget = getattr(formfield, "widget", None)
        if type(widget) is AutocompleteSelect:
            formfield.widget = TolerantAutocompleteSelect(
                widget.field, widget.admin_site, attrs=widget.attrs, using=widget.db
            )
        return formfield


class LocalNumbersMixin:
    """Number fields typed as in Norway: "12,5" is twelve and a half.

    The admin's own number inputs are the browser's, which read "12,5" as 125 by
    the browser's locale; these are text inputs read by ``lib.numbers``."""

    formfield_overrides = {
        models.DecimalField: {"form_class": numbers.DecimalField},
        # Each integer class the admin has a widget for, so that ours wins over it.
        models.IntegerField: {"form_class": numbers.IntegerField, "widget": numbers.NumberInput},
        models.SmallIntegerField: {
            "form_class": numbers.IntegerField,
            "widget": numbers.NumberInput,
        },
        models.BigIntegerField: {
            "form_class": numbers.IntegerField,
            "widget": numbers.NumberInput,
        },
    }


class CoordinatorPermissionsMixin:
    """Coordinators may do everything with their own centre's objects."""

    def _may_use(self, request):
        return access_of(request).may_coordinate

    def has_module_permission(self, request):
        return self._may_use(request)

    def has_view_permission(self, request, obj=None):
        return self._may_use(request)

    def has_add_permission(self, request, *args):
        return self._may_use(request)

    def has_change_permission(self, request, obj=None):
        return self._may_use(request)

    def has_delete_permission(self, request, obj=None):
        return self._may_use(request)


class CentreScopedAdmin(
    LocalNumbersMixin, TolerantAutocompleteMixin, CoordinatorPermissionsMixin, admin.ModelAdmin
):
    # One COUNT per list, not two: at national scale the unfiltered total is costly
    # and tells a coordinator nothing the filtered count does not.
    show_full_result_count = False
    # 25 rows a page: Django's rendering of a list costs by the row, and with search
    # and filters a coordinator rarely pages far.
    list_per_page = 25

    def get_object(self, request, object_id, from_field=None):
        if not self._may_use(request):
            raise PermissionDenied
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Django's admin would redirect with "does not exist"; an outsider
            # must not learn whether another centre's object exists.
            raise Http404
        return obj

    def get_list_filter(self, request):
        # A filter by centre only makes sense for someone who sees several.
        filters = super().get_list_filter(request)
        if request.user.is_superuser:
            return filters
        return [
            f for f in filters if not (isinstance(f, tuple) and f[0] == "centre") and f != "centre"
        ]


class CentreScopedInline(LocalNumbersMixin, TolerantAutocompleteMixin, CoordinatorPermissionsMixin):
    """An inline of a centre's objects: the rows come through the scoped managers."""


class ReferenceDataAdmin(LocalNumbersMixin, admin.ModelAdmin):
    """National data shared by all centres: coordinators read and add; only
    superusers change or delete, since a change would reach every centre."""

    def has_module_permission(self, request):
        return access_of(request).may_coordinate

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


def default_centre(request):
    """The centre to pre-fill for a coordinator of exactly one centre."""
    if request.user.is_superuser:
        return None
    coordinated = access_of(request).coordinated_centre_ids
    centres = list(Centre.objects.filter(pk__in=coordinated)[:2])
    return centres[0] if len(centres) == 1 else None


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_superuser", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ()
    list_filter = ["is_staff", "is_superuser", "is_active"]


@admin.register(Centre)
class CentreAdmin(CentreScopedAdmin):
    list_display = ["name", "short_name", "county", "email"]
    search_fields = ["name", "short_name"]
    list_filter = ["county"]

    def has_add_permission(self, request, *args):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Municipality)
class MunicipalityAdmin(ReferenceDataAdmin):
    list_display = ["name", "number", "county"]
    search_fields = ["name", "number"]
    list_filter = ["county"]


class InterventionInline(LocalNumbersMixin, admin.TabularInline):
    model = Intervention
    extra = 0


class RecommendedMeasureInline(LocalNumbersMixin, admin.TabularInline):
    model = RecommendedMeasure
    extra = 0


@admin.register(FocusArea)
class FocusAreaAdmin(ReferenceDataAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [InterventionInline, RecommendedMeasureInline]

    def has_add_permission(self, request):
        return request.user.is_superuser


@admin.register(Person)
class PersonAdmin(CentreScopedAdmin):
    list_display = ["name", "email", "title", "organisation", "centre"]
    list_select_related = ["centre"]
    search_fields = ["name", "email", "organisation"]
    list_filter = [("centre", VisibleRelatedFilter)]
    raw_id_fields = ["user"]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        centre = default_centre(request)
        if centre:
            initial.setdefault("centre", centre.pk)
        return initial

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if not request.user.is_superuser:
            # Only a superuser links logins to people.
            fields = [f for f in fields if f != "user"]
        return fields


@admin.register(Coordinator)
class CoordinatorAdmin(CentreScopedAdmin):
    list_display = ["person", "centre"]
    list_select_related = ["person", "centre"]
    search_fields = ["person__name", "person__email"]
    autocomplete_fields = ["person"]

    def has_add_permission(self, request, *args):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        from network.services import appoint_coordinator

        appoint_coordinator(obj.person)


class NetworkAdmin(CentreScopedAdmin):
    """Registered by ``reports.admin``, which adds the inlines and actions of the
    apps above this one (teams, the timeline, reporting periods)."""

    list_display = ["title", "centre", "kind", "status", "start_date", "end_date", "team_count"]
    list_select_related = ["centre"]
    list_filter = ["kind", "status", ("centre", VisibleRelatedFilter)]
    search_fields = ["title", "centre__name"]
    # No date hierarchy: a centre has a few networks a year, newest first, with a
    # status filter; the year bar cost two queries over the centre's networks and
    # a third of the page's time.
    form = NetworkAdminForm
    filter_horizontal = ["focus_areas"]
    fieldsets = (
        (None, {"fields": ("centre", "title", "kind", "status")}),
        (_("Dates"), {"fields": ("start_date", "end_date")}),
        (_("Focus areas"), {"fields": ("focus_area_mode", "focus_areas")}),
        (
            _("Cost and time use"),
            {
                "fields": (
                    "participation_fee",
                    "gathering_hours",
                    "phone_conference_hours",
                    "weekly_minutes",
                )
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(team_count=count_of(Network, "teams"))

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        centre = default_centre(request)
        if centre:
            initial.setdefault("centre", centre.pk)
        return initial

    @admin.display(description=_("teams"), ordering="team_count")
    def team_count(self, obj):
        return obj.team_count
