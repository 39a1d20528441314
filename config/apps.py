from django.contrib.admin.apps import AdminConfig


class UshtAdminConfig(AdminConfig):
    default_site = "config.admin_site.UshtAdminSite"
