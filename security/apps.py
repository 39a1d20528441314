from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    """Logins, lockouts, two-factor and the security event log. Listens to the
    other apps through signals; nothing below imports it."""

    name = "security"
    verbose_name = _("Security")

    def ready(self):
        from security import signals  # noqa: F401
