"""The privacy statement, and the coordinator's export and erasure of one person."""

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from network.models import Centre, Person
from network.queries import get_coordinated_person
from network.services import ErasureRefused, erase_person
from privacy.export import person_sections, person_zip
from privacy.forms import EraseForm

#: What an erasure takes (the rows of these export sections go or lose the person's
#: details), and what it keeps for others, with why.
GOES = (
    "person",
    "login",
    "coordinator_roles",
    "registrations",
    "proposals",
    "reminders",
    "reminder_opt_outs",
    "calendar_feed",
)
STAYS = ("team_memberships", "unit_leader_of", "attendance", "status_reports", "agreements")


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


@login_required
def erase(request, person_id):
    """The confirmation page of an erasure (art. 17), and the erasure itself."""
    person = get_coordinated_person(request, person_id)
    if person.erased_at is not None:
        messages.info(request, _("This person's personal data has already been erased."))
        return redirect(reverse("admin:network_person_change", args=[person.pk]))
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            erasure = erase_person(person.pk, by=request.user)
        except ErasureRefused as refused:
            form.add_error(None, str(refused))
        else:
            if erasure is not None:
                # The person's history in the admin says who erased them, and when.
                LogEntry.objects.log_actions(
                    request.user.pk,
                    [Person.objects.get(pk=erasure.person_id)],
                    CHANGE,
                    change_message="Personal data erased (GDPR art. 17)",
                    single_object=True,
                )
                messages.success(
                    request,
                    _(
                        "The personal data was erased and the login closed. Kept, as "
                        "“slettet person”: team memberships, attendance, the team's "
                        "measurements and reports, and signed agreements (a record of the "
                        "parties). The security log keeps its events until its period ends."
                    ),
                )
            return redirect(reverse("admin:network_person_change", args=[person.pk]))
    counts = {s.key: len(s.rows) for s in person_sections(person)}
    return render(
        request,
        "privacy/erase.html",
        {
            "person": person,
            "form": form,
            "counts": counts,
            "days": retention_periods(),
        },
    )
