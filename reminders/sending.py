"""The sweep: send the reminders that are due, each at most once.

Each due row is claimed with a conditional UPDATE (pending → sending); only
the sweep whose UPDATE changed the row sends it, so two sweeps at once, a
retried task or a beat that fired twice cannot send a reminder twice. A
transient SMTP error puts the row back as pending, later, with backoff; the
last attempt leaves it failed with its error for the coordinators to see. A
row left "sending" by a worker that died is never sent again: it is marked
failed ("may not have been sent"), since at most once is the promise.
"""

import datetime as dt
import smtplib

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from agreements.models import OPEN_STATES
from lib.emails import Attachment, send_email
from reminders import planning
from reminders.models import Reminder, ReminderKind, ReminderState
from reports.models import ReportStatus, StatusReport
from sessions_app.calendar import session_event
from sessions_app.models import SessionStatus

MAX_ATTEMPTS = 5
BATCH = 500
STALE_AFTER = dt.timedelta(minutes=15)
TRANSIENT = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
    smtplib.SMTPDataError,
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPResponseException,
    ConnectionError,
    TimeoutError,
    OSError,
)


def backoff(attempts: int) -> dt.timedelta:
    """5, 10, 20, 40 … minutes, at most six hours."""
    return min(dt.timedelta(minutes=5 * 2 ** (attempts - 1)), dt.timedelta(hours=6))


def sweep(now=None) -> dict[str, int]:
    now = now or timezone.now()
    counts = {"sent": 0, "failed": 0, "retry": 0, "skipped": 0, "interrupted": 0}
    counts["interrupted"] = Reminder.objects.filter(
        state=ReminderState.SENDING, claimed_at__lt=now - STALE_AFTER
    ).update(
        state=ReminderState.FAILED,
        last_error="Interrupted while sending: it may not have been sent.",
    )
    due = list(
        Reminder.objects.filter(state=ReminderState.PENDING, due_at__lte=now)
        .order_by("due_at")
        .values_list("pk", flat=True)[:BATCH]
    )
    for pk in due:
        claimed = Reminder.objects.filter(pk=pk, state=ReminderState.PENDING).update(
            state=ReminderState.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
        if claimed:
            counts[_deliver(pk, now)] += 1
    return counts


def _deliver(pk, now) -> str:
    reminder = Reminder.objects.select_related(
        "network__centre",
        "session",
        "period",
        "team__municipality",
        "agreement__team",
        "person",
    ).get(pk=pk)
    if not still_wanted(reminder, now):
        _finish(reminder, ReminderState.CANCELLED)
        return "skipped"
    try:
        send(reminder)
    except TRANSIENT as error:
        if reminder.attempts < MAX_ATTEMPTS:
            Reminder.objects.filter(pk=pk).update(
                state=ReminderState.PENDING,
                due_at=now + backoff(reminder.attempts),
                last_error=f"{type(error).__name__}: {error}"[:2000],
            )
            return "retry"
        _finish(reminder, ReminderState.FAILED, f"{type(error).__name__}: {error}")
        return "failed"
    except Exception as error:  # a bug or bad data: stop, and show it
        _finish(reminder, ReminderState.FAILED, f"{type(error).__name__}: {error}")
        return "failed"
    with transaction.atomic():
        _finish(reminder, ReminderState.SENT, sent_at=now)
        _chain(reminder, now)
    return "sent"


def _finish(reminder, state, error="", sent_at=None):
    Reminder.objects.filter(pk=reminder.pk).update(
        state=state, last_error=error[:2000], sent_at=sent_at
    )


def still_wanted(reminder, now) -> bool:
    if reminder.expires_at and reminder.expires_at <= now:
        return False
    if reminder.session_id and reminder.kind != ReminderKind.CONFIRM_FOLLOW_UP:
        return reminder.session.status == SessionStatus.PLANNED
    if reminder.period_id:
        return not StatusReport.objects.filter(
            period=reminder.period, team=reminder.team, status=ReportStatus.SUBMITTED
        ).exists()
    if reminder.agreement_id:
        return reminder.agreement.status in OPEN_STATES
    return True


def _chain(reminder, now):
    """After an overdue or agreement reminder, plan the next one in the series."""
    if reminder.kind == ReminderKind.REPORT_OVERDUE:
        planning.plan_report(reminder.period, reminder.team, now=now)
    elif reminder.kind == ReminderKind.AGREEMENT:
        planning.plan_agreement(reminder.agreement, now=now)


def send(reminder):
    context = {"reminder": reminder, "network": reminder.network, "site_url": settings.SITE_URL}
    attachments = ()
    if reminder.session_id:
        session = reminder.session
        context["session"] = session
        attachments = (
            Attachment(
                "invitasjon.ics",
                session_event([session], method="REQUEST"),
                "text/calendar; method=REQUEST",
            ),
        )
        if reminder.kind == ReminderKind.CONFIRM_FOLLOW_UP:
            context["admin_url"] = settings.SITE_URL + reverse(
                "admin:sessions_app_session_change", args=[session.pk]
            )
    if reminder.period_id:
        context.update(
            period=reminder.period,
            team=reminder.team,
            report_url=settings.SITE_URL
            + reverse("reports:report", args=[reminder.team_id, reminder.period_id]),
        )
    if reminder.agreement_id:
        context["agreement"] = reminder.agreement
    if reminder.kind == ReminderKind.DIGEST:
        from reminders.digest import digest_context

        context.update(digest_context(reminder, timezone.localdate()))
    copy = [email.strip() for email in reminder.copy_to.split(",") if email.strip()]
    send_email("reminder", context, [reminder.recipient_email], cc=copy, attachments=attachments)


def retry(reminder) -> bool:
    """A coordinator sends a failed reminder again."""
    return bool(
        Reminder.objects.filter(pk=reminder.pk, state=ReminderState.FAILED).update(
            state=ReminderState.PENDING, due_at=timezone.now(), attempts=0
        )
    )
