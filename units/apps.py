from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    """The unit leader's view of their units, "Etterspør resultat" and the unit's
    improvement board. Above reports: it reads teams, agreements, the timeline and
    the reports, and hears from reports when a report is submitted."""

    name = "units"
    verbose_name = _("Units")

    def ready(self):
        from units import signals  # noqa: F401
