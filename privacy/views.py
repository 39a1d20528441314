"""The privacy statement, and the coordinator's export and erasure of one person."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django_scopes import scopes_disabled

from network.models import Centre
from network.queries import get_coordinated_person
from privacy.export import person_zip


def retention_periods() -> dict[str, int]:
    """Each retention period in days, as settings have it, for the statement."""
    return {
        "registrations": settings.RETENTION_REGISTRATION_DAYS,
        "login_attempts": settings.RETENTION_LOGIN_ATTEMPT_DAYS,
        "security_events": settings.RETENTION_SECURITY_EVENT_DAYS,
        "reminders": settings.RETENTION_REMINDER_DAYS,
        "inactive_people": settings.RETENTION_INACTIVE_PERSON_DAYS,
        "warning": settings.RETENTION_WARNING_DAYS,
    }


def statement(request):
    """The privacy statement: public, with every centre's contact for personal data."""
    with scopes_disabled():
        centres = list(
            Centre.objects.order_by("name").only(
                "name", "short_name", "email", "privacy_contact", "privacy_email"
            )
        )
    return render(
        request,
        "privacy/statement.html",
        {"centres": centres, "days": retention_periods()},
    )


@login_required
def export(request, person_id):
    """Everything the product holds about one person, as a ZIP download (art. 15)."""
    person = get_coordinated_person(request, person_id)
    name, content = person_zip(person)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
