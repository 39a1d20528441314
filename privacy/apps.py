from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """The privacy statement, a person's data exported (art. 15) and erased (art. 17),
    and the retention rules. Above every domain app: it reads them all and calls
    their services; nothing imports it."""

    name = "privacy"
    verbose_name = _("Privacy")
