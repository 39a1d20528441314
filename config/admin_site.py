"""The admin site: Django's, in Norwegian."""

from django.contrib.admin import AdminSite
from django.utils.translation import gettext_lazy as _


class UshtAdminSite(AdminSite):
    site_header = _("USHT learning networks")
    site_title = _("USHT learning networks")
    index_title = _("Administration")
    # The side bar repeats the index on every page; the breadcrumbs and the index
    # lead everywhere.
    enable_nav_sidebar = False
