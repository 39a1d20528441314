from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GatheringsConfig(AppConfig):
    name = "gatherings"
    verbose_name = _("Improvement-network gatherings")

    def ready(self):
        from gatherings import signals  # noqa: F401
