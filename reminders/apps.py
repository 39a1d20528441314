from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    """The outbox: reminders are rows, written with the change that calls for
    them, and sent by a sweep. The top layer: it reads every other app."""

    name = "reminders"
    verbose_name = _("Reminders")

    def ready(self):
        from reminders import signals  # noqa: F401
