"""What units hears from the apps below it. Reports do not know units exist."""

from django.dispatch import receiver

from reports.signals import report_submitted
from units import services


@receiver(report_submitted, dispatch_uid="units.report_submitted")
def report_answers_requests(sender, report, at, **kwargs):
    """A submitted report answers the unit leader's open request, in the same
    transaction as the submission."""
    services.close_requests(report.team_id, report, now=at)
