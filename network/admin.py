"""The coordinators' admin for centres, municipalities, focus areas, networks and people.

A coordinator stays inside their own centre because every admin request runs in
the scope of the user's centres (``network.access``): lists, foreign-key pickers,
autocomplete and change URLs all read through the models' scoped managers.
``CentreScopedAdmin`` (and ``CentreScopedInline``) add the role (only coordinators
and superusers) and answer 404 for an object outside the scope. The other apps'
admins use the same classes.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget, AutocompleteSelect
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections, models
from django.db.models import Case, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lib import numbers
from network.access import access_of
from network.forms import NetworkAdminForm, PersonAdminForm
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
from network.queries import count_of, namesakes


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


class DateOnlyWidget(AdminDateWidget):
    """Django's date picker without the time-zone note that its script adds under
    date fields as well as time fields (a date has no time zone): the input is
    marked ``data-date-only`` and ``js/admin_date_fields.js`` takes the note away.
    It keeps the help text's ``aria-describedby``, which Django's widget replaces
    by the note's id."""

    class Media:
        # Django's two scripts named again, so that the admin's merge of the page's
        # scripts keeps this one after DateTimeShortcuts.js.
        extend = False
        js = [
            "admin/js/calendar.js",
            "admin/js/admin/DateTimeShortcuts.js",
            "js/admin_date_fields.js",
        ]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        described_by = (attrs or {}).get("aria-describedby")
        if described_by:
            widget_attrs["aria-describedby"] = described_by
        else:
            widget_attrs.pop("aria-describedby", None)
        widget_attrs["data-date-only"] = True
        return context


class NorwegianAdminMixin:
    """What Django's admin cannot say in bokmål by itself.

    - ``add_title``: the add page's heading, with the adjective in the noun's
      gender ("Legg til nytt nettverk"). Django's one "Add %s" cannot agree with
      every noun; the project's catalogue renders it "Legg til %s" (no adjective)
      for the buttons and breadcrumbs.
    - Date fields without the time-zone note (``DateOnlyWidget``).
    - Every picker of a person shows name, e-mail and organisation
      (``Person.label``), here and in the autocomplete answer
      (``config.admin_site.LabelledAutocompleteJsonView``).
    """

    add_title = None
    # With the number fields (``LocalNumbersMixin``): a class's one
    # ``formfield_overrides`` is the one the admin reads.
    formfield_overrides = {
        **LocalNumbersMixin.formfield_overrides,
        models.DateField: {"widget": DateOnlyWidget},
    }

    def add_view(self, request, form_url="", extra_context=None):
        if self.add_title:
            extra_context = {"title": self.add_title, **(extra_context or {})}
        return super().add_view(request, form_url, extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if formfield is not None and db_field.related_model is Person:
            formfield.label_from_instance = person_label
        return formfield

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if formfield is not None and db_field.related_model is Person:
            formfield.label_from_instance = person_label
        return formfield


def person_label(person):
    return person.label


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


def label_fields(form, *, help_in_header=False):
    """Give each visible field of ``form`` an ``aria-label`` from its label: in an
    inline's rows the label is the column's heading, not a <label>, so the fields
    had no accessible name (WCAG 4.1.2). A date and time pair adds the words shown
    beside each ("Dato:", "Tid:"). In a table (``help_in_header``) the help text is
    in the column's heading, so a field does not point at a help text that is not
    on the page (False: Django then leaves the attribute out)."""
    for field in form.fields.values():
        widget = getattr(field.widget, "widget", field.widget)  # inside the +/✎ wrapper
        if widget.is_hidden:
            continue
        label = str(field.label)
        if help_in_header and field.help_text:
            widget.attrs["aria-describedby"] = False
        if isinstance(widget, forms.SplitDateTimeWidget):
            date, time = widget.widgets
            date.attrs["aria-label"] = f"{label}, {gettext('Date:').rstrip(':')}"
            time.attrs["aria-label"] = f"{label}, {gettext('Time:').rstrip(':')}"
        else:
            widget.attrs.setdefault("aria-label", label)


def named_fieldsets(fieldsets, name):
    """``fieldsets`` with ``name`` for any that has none: a fieldset without a name
    is drawn without a heading, its legend (WCAG 1.3.1)."""
    return [(title if title is not None else name, options) for title, options in fieldsets]


class LabelledInlineFormSet:
    """A formset mixin: every field of every row named by ``label_fields``, the
    delete box of each row too (it is added by the formset, after the form)."""

    help_in_header = False

    def add_fields(self, form, index):
        super().add_fields(form, index)
        label_fields(form, help_in_header=self.help_in_header)


class LabelledInlineMixin:
    """An inline whose formset is its own (or Django's) with ``LabelledInlineFormSet``
    in front, and whose unnamed fieldsets (a stacked inline's) are named: set once
    here, so no inline names its fields one by one."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        tabular = isinstance(self, admin.TabularInline)
        return type(formset.__name__, (LabelledInlineFormSet, formset), {"help_in_header": tabular})

    def get_fieldsets(self, request, obj=None):
        # Not the model's name: the inline's own group already has that heading.
        return named_fieldsets(super().get_fieldsets(request, obj), _("Details"))


class AccessibleAdminMixin:
    """What every coordinator's admin page adds for assistive technology: names and
    text for the widgets Django's scripts build (static/js/admin-accessibility.js),
    and a heading (the fieldset's legend) for a fieldset that has no name."""

    class Media:
        js = ["js/admin-accessibility.js"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return named_fieldsets(fieldsets, capfirst(self.opts.verbose_name))


class CentreScopedAdmin(
    AccessibleAdminMixin,
    NorwegianAdminMixin,
    LocalNumbersMixin,
    TolerantAutocompleteMixin,
    CoordinatorPermissionsMixin,
    admin.ModelAdmin,
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


class CentreScopedInline(
    LabelledInlineMixin,
    NorwegianAdminMixin,
    LocalNumbersMixin,
    TolerantAutocompleteMixin,
    CoordinatorPermissionsMixin,
):
    """An inline of a centre's objects: the rows come through the scoped managers;
    every field in a row has an accessible name (``LabelledInlineMixin``)."""


class ReferenceDataAdmin(
    AccessibleAdminMixin, NorwegianAdminMixin, LocalNumbersMixin, admin.ModelAdmin
):
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


# Roles are rows (Coordinator, TeamMember), not groups or permissions: the groups'
# pages would only offer Django's permission names, which are stored in English.
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(NorwegianAdminMixin, DjangoUserAdmin):
    add_title = _("Add a new user")
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
    add_title = _("Add a new development centre (USHT)")
    list_display = ["name", "short_name", "county", "email"]
    search_fields = ["name", "short_name"]
    list_filter = ["county"]

    def has_add_permission(self, request, *args):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Municipality)
class MunicipalityAdmin(ReferenceDataAdmin):
    add_title = _("Add a new municipality")
    list_display = ["name", "number", "county"]
    search_fields = ["name", "number"]
    list_filter = ["county"]

    def get_search_results(self, request, queryset, search_term):
        """The pickers (autocomplete) offer the municipalities of the user's own
        centres' counties first, then the rest of the country, each by name."""
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        counties = Centre.objects.filter(pk__in=access_of(request).coordinated_centre_ids).values(
            "county"
        )
        own = Case(When(county__in=counties, then=Value(0)), default=Value(1))
        return queryset.order_by(own, "name", "pk"), duplicates


class InterventionInline(LabelledInlineMixin, LocalNumbersMixin, admin.TabularInline):
    model = Intervention
    extra = 0


class RecommendedMeasureInline(LabelledInlineMixin, LocalNumbersMixin, admin.TabularInline):
    model = RecommendedMeasure
    extra = 0


@admin.register(FocusArea)
class FocusAreaAdmin(ReferenceDataAdmin):
    add_title = _("Add a new focus area")
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [InterventionInline, RecommendedMeasureInline]

    def has_add_permission(self, request):
        return request.user.is_superuser


@admin.register(Person)
class PersonAdmin(CentreScopedAdmin):
    add_title = _("Add a new person")

    form = PersonAdminForm
    fields = ["centre", "name", "email", "phone", "title", "organisation", "user"]
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

    def autocomplete_label(self, obj):
        return obj.label

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "name" not in form.changed_data:
            return
        others = namesakes(obj)
        if others:
            links = format_html_join(
                ", ",
                '<a href="{}">{}</a>',
                (
                    (reverse("admin:network_person_change", args=[other.pk]), other.label)
                    for other in others
                ),
            )
            self.message_user(
                request,
                format_html(
                    "{} {}",
                    _(
                        "Someone of the same name is already registered at this centre; "
                        "check that it is not the same person:"
                    ),
                    links,
                ),
                messages.WARNING,
            )


@admin.register(Coordinator)
class CoordinatorAdmin(CentreScopedAdmin):
    add_title = _("Add a new coordinator")
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

    add_title = _("Add a new network")

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
        (_("Dates"), {"fields": ("start_date", "end_date", "has_precourse")}),
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
