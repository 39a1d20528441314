"""The admin site: Django's, in Norwegian."""

from django.contrib.admin import AdminSite
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.utils.translation import gettext_lazy as _


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    """Django's autocomplete answer, with each result labelled by its model admin's
    ``autocomplete_label(obj)`` when it has one: a person is shown with e-mail and
    organisation, so that two people of the same name can be told apart."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        return {**result, "text": str(label(obj))} if label else result


class UshtAdminSite(AdminSite):
    site_header = _("USHT learning networks")
    site_title = _("USHT learning networks")
    index_title = _("Administration")
    # The side bar repeats the index on every page; the breadcrumbs and the index
    # lead everywhere.
    enable_nav_sidebar = False

    def autocomplete_view(self, request):
        return LabelledAutocompleteJsonView.as_view(admin_site=self)(request)
