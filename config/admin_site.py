"""The admin site: Django's, in Norwegian, with the app list built only where shown."""

from django.contrib.admin import AdminSite
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _


class UshtAdminSite(AdminSite):
    site_header = _("USHT learning networks")
    site_title = _("USHT learning networks")
    index_title = _("Administration")
    # The side bar lists every model on every page: costly to build, and the
    # breadcrumbs and the index lead everywhere.
    enable_nav_sidebar = False

    def each_context(self, request):
        """Django's context for every admin page, with ``available_apps`` lazy.

        Building it checks permissions and reverses URLs for every model (about
        9 ms a page at national scale); only the index page shows it.
        """
        script_name = request.META["SCRIPT_NAME"]
        site_url = script_name if self.site_url == "/" and script_name else self.site_url
        return {
            "site_title": self.site_title,
            "site_header": self.site_header,
            "site_url": site_url,
            "has_permission": self.has_permission(request),
            "available_apps": SimpleLazyObject(lambda: self.get_app_list(request)),
            "is_popup": False,
            "is_nav_sidebar_enabled": self.enable_nav_sidebar,
            "log_entries": self.get_log_entries(request),
        }
