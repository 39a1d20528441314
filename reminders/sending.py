"""The sweep: send every reminder that is due, in batches, and lose none.

The promise (docs/ARCHITECTURE.md): no reminder is ever lost. A message is repeated
only if a worker dies between the mail server's acceptance and the commit that
records it, and a repeat carries the same Message-ID.

- A batch is claimed in one transaction: ``SELECT … FOR UPDATE SKIP LOCKED`` on
  PostgreSQL (several workers sweep at once without taking the same rows), then a
  conditional UPDATE that gives the rows this sweep's lease token and a lease time.
  A row is claimable when it is pending and due, or when it is "sending" with a
  lease that ran out: a worker that died leaves its rows to the next sweep.
- The batch shares one SMTP connection. What the mail server accepted is recorded
  in one UPDATE per batch, conditional on the lease token.
- A transient SMTP error puts the row back as pending, later, with backoff; the
  last attempt leaves it failed with its error for the coordinators to see.
"""

import datetime as dt
import smtplib
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.mail import mailers
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from agreements.models import OPEN_STATES
from lib.conditional import update_if, update_rows_if
from lib.emails import Invitation, build_email, message_id, render_email
from lib.ics import Party, with_attendee
from reminders import planning
from reminders.models import (
    OPTIONAL_KINDS,
    Reminder,
    ReminderKind,
    ReminderOptOut,
    ReminderState,
    SweepHeartbeat,
)
from reports.models import ReportStatus, StatusReport
from sessions_app.calendar import invitation_to_all, organizer, page_url
from sessions_app.models import SessionStatus

UNSUBSCRIBE_SALT = "reminders.unsubscribe"
MAX_ATTEMPTS = 5
#: Reminders per claim: one SMTP connection, and one UPDATE to record them.
BATCH = 50
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


@dataclass
class SweepCache:
    """What the reminders of one sweep about the same session share: the network's
    organizer, and the rendered text (it names no recipient), kept by what the
    text shows, so that a session changed during the sweep is rendered anew."""

    organizers: dict[int, Party] = field(default_factory=dict)
    texts: dict[tuple[object, ...], tuple[str, str, str]] = field(default_factory=dict)
    #: Each session's invitation without its attendee, and its page.
    calendars: dict[tuple[object, ...], tuple[bytes, str]] = field(default_factory=dict)
    pages: dict[int, str] = field(default_factory=dict)


#: Reminders whose text is the same for everyone invited to the session.
SESSION_TEXTS = (
    ReminderKind.GATHERING,
    ReminderKind.CALL,
    ReminderKind.SESSION_UPDATE,
    ReminderKind.SESSION_CANCELLED,
)


def lease() -> dt.timedelta:
    """How long a claimed batch is this sweep's: far longer than a batch takes."""
    return dt.timedelta(seconds=settings.REMINDER_LEASE_SECONDS)


def backoff(attempts: int) -> dt.timedelta:
    """5, 10, 20, 40 … minutes, at most six hours."""
    return min(dt.timedelta(minutes=5 * 2 ** (attempts - 1)), dt.timedelta(hours=6))


def claimable(now: dt.datetime) -> Q:
    return Q(state=ReminderState.PENDING, due_at__lte=now) | Q(
        state=ReminderState.SENDING, lease_until__lt=now
    )


def sweep(now: dt.datetime | None = None, *, batches: int | None = None) -> dict[str, int]:
    """Send everything that is due, batch after batch (at most ``batches``)."""
    counts = {"sent": 0, "failed": 0, "retry": 0, "skipped": 0, "batches": 0}
    cache = SweepCache()
    while batches is None or counts["batches"] < batches:
        moment = now or timezone.now()
        batch = claim(moment)
        if not batch:
            break
        counts["batches"] += 1
        for outcome, number in deliver(batch, moment, cache).items():
            counts[outcome] += number
    if batches is None:  # ran to its end: /healthz shows when
        SweepHeartbeat.objects.update_or_create(pk=1, defaults={"finished_at": timezone.now()})
    return counts


def claim(now: dt.datetime, size: int = BATCH) -> list[Reminder]:
    """Take up to ``size`` claimable reminders for this sweep, in three queries."""
    token = uuid.uuid4().hex
    with transaction.atomic():
        ids = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(claimable(now))
            .order_by("due_at", "session_id")
            .values_list("pk", flat=True)[:size]
        )
        if not ids:
            return []
        update_rows_if(
            Reminder,
            ids,
            claimable(now),
            state=ReminderState.SENDING,
            lease_token=token,
            lease_until=now + lease(),
            claimed_at=now,
            attempts=F("attempts") + 1,
        )
    return list(
        Reminder.objects.filter(lease_token=token, state=ReminderState.SENDING)
        .select_related(
            "network__centre",
            "session__network",
            "period",
            "team__municipality",
            "agreement__team__network",
            "person",
        )
        .order_by("due_at")
    )


def deliver(
    batch: list[Reminder], now: dt.datetime, cache: SweepCache | None = None
) -> dict[str, int]:
    """Send a claimed batch over one SMTP connection and record what happened."""
    token = batch[0].lease_token
    submitted = submitted_reports(batch)
    turned_off = opted_out(batch)
    cache = cache or SweepCache()
    sent, cancelled, outcomes = [], [], {"sent": 0, "failed": 0, "retry": 0, "skipped": 0}
    mailer = mailers.default  # one SMTP connection for the batch
    with mailer:
        for reminder in batch:
            if (reminder.person_id, reminder.kind) in turned_off or not still_wanted(
                reminder, now, submitted
            ):
                cancelled.append(reminder.pk)
                continue
            try:
                message = build(reminder, cache)
            except Exception as error:  # a bug or bad data: stop this one, and show it
                _finish(reminder, token, ReminderState.FAILED, _error(error))
                outcomes["failed"] += 1
                continue
            try:
                mailer.send_messages([message])
            except TRANSIENT as error:
                outcomes[_give_back(reminder, token, now, error)] += 1
                mailer.close()  # the next message opens a fresh connection
                continue
            sent.append(reminder)
    with transaction.atomic():
        update_rows_if(
            Reminder,
            [r.pk for r in sent],
            {"lease_token": token},
            state=ReminderState.SENT,
            sent_at=now,
            last_error="",
        )
        update_rows_if(Reminder, cancelled, {"lease_token": token}, state=ReminderState.CANCELLED)
        # The SEQUENCE each sent invitation carried: who needs an update if it moves.
        sequences: dict[int, list[int]] = {}
        for reminder in sent:
            if reminder.session_id:
                sequences.setdefault(reminder.session.sequence, []).append(reminder.pk)
        for sequence, ids in sequences.items():
            Reminder.objects.filter(pk__in=ids).update(sequence=sequence)
        for reminder in sent:
            _chain(reminder, now)
    outcomes["sent"] += len(sent)
    outcomes["skipped"] += len(cancelled)
    return outcomes


def _error(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def _give_back(reminder: Reminder, token: str, now: dt.datetime, error: Exception) -> str:
    """A transient error: pending again with backoff, or failed after the last try."""
    if reminder.attempts < MAX_ATTEMPTS:
        update_if(
            Reminder,
            reminder.pk,
            {"lease_token": token},
            state=ReminderState.PENDING,
            due_at=now + backoff(reminder.attempts),
            lease_until=None,
            last_error=_error(error),
        )
        return "retry"
    _finish(reminder, token, ReminderState.FAILED, _error(error))
    return "failed"


def _finish(reminder: Reminder, token: str, state: str, error: str = "") -> None:
    update_if(
        Reminder,
        reminder.pk,
        {"lease_token": token},
        state=state,
        last_error=error,
        lease_until=None,
    )


def opted_out(batch: list[Reminder]) -> set[tuple[int, str]]:
    """(person, kind) of the batch's reminders that their person has turned off."""
    people = {r.person_id for r in batch if r.person_id and r.kind in OPTIONAL_KINDS}
    if not people:
        return set()
    return set(
        ReminderOptOut.objects.filter(person_id__in=people)
        .order_by()
        .values_list("person_id", "kind")
    )


def unsubscribe_token(person_id: int, kind: str) -> str:
    return signing.dumps([person_id, kind], salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        person_id, kind = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if kind not in OPTIONAL_KINDS:
        return None
    return person_id, kind


def submitted_reports(batch: list[Reminder]) -> set[tuple[int, int]]:
    """(period, team) of the batch's report reminders whose report is submitted."""
    periods = {r.period_id for r in batch if r.period_id}
    if not periods:
        return set()
    return set(
        StatusReport.objects.filter(period_id__in=periods, status=ReportStatus.SUBMITTED)
        .order_by()
        .values_list("period_id", "team_id")
    )


def still_wanted(
    reminder: Reminder, now: dt.datetime, submitted: set[tuple[int, int]] | None = None
) -> bool:
    """Checked again just before sending: a sweep after downtime sends nothing that
    is too late or no longer called for."""
    if reminder.expires_at and reminder.expires_at <= now:
        return False
    if reminder.kind == ReminderKind.SESSION_CANCELLED:
        return reminder.session.status == SessionStatus.CANCELLED
    if reminder.session_id and reminder.kind != ReminderKind.CONFIRM_FOLLOW_UP:
        return reminder.session.status == SessionStatus.PLANNED
    if reminder.period_id:
        if submitted is None:
            submitted = submitted_reports([reminder])
        return (reminder.period_id, reminder.team_id) not in submitted
    if reminder.agreement_id:
        return reminder.agreement.status in OPEN_STATES
    return True


def _chain(reminder, now):
    """After an overdue or agreement reminder, plan the next one in the series."""
    if reminder.kind == ReminderKind.REPORT_OVERDUE:
        planning.plan_report(reminder.period, reminder.team, now=now)
    elif reminder.kind == ReminderKind.AGREEMENT:
        planning.plan_agreement(reminder.agreement, now=now)


def build(reminder: Reminder, cache: SweepCache | None = None):
    """The reminder's message. Its Message-ID is the reminder's own: the same each
    time it is built."""
    cache = cache or SweepCache()
    organizers = cache.organizers
    context = {"reminder": reminder, "network": reminder.network, "site_url": settings.SITE_URL}
    calendar = None
    shared: tuple[object, ...] = ()
    if reminder.session_id:
        session = reminder.session
        context["session"] = session
        if session.pk not in cache.pages:
            cache.pages[session.pk] = page_url(session)
        context["session_url"] = cache.pages[session.pk]
        # What the text and the invitation show of the session: a session changed
        # during the sweep is rendered anew.
        shared = (
            session.pk,
            session.sequence,
            session.title,
            session.status,
            session.place,
            session.dial_in,
            session.agenda,
            reminder.network.title,
        )
        if session.network_id not in organizers:
            organizers[session.network_id] = organizer(session.network)
        if shared not in cache.calendars:
            cache.calendars[shared] = invitation_to_all(
                session, from_=organizers[session.network_id]
            )
        content, method = cache.calendars[shared]
        name = reminder.person.name if reminder.person_id else reminder.recipient_email
        calendar = Invitation(with_attendee(content, Party(name, reminder.recipient_email)), method)
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
    context["settings_url"] = settings.SITE_URL + reverse("reminders:calendar")
    headers = {"Message-ID": message_id("reminder", reminder.key)}
    if reminder.person_id and reminder.kind in OPTIONAL_KINDS:
        # RFC 2369 and 8058: the mail program's own "unsubscribe" turns this kind off.
        link = settings.SITE_URL + reverse(
            "reminders:unsubscribe", args=[unsubscribe_token(reminder.person_id, reminder.kind)]
        )
        headers |= {
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    copy = [email.strip() for email in reminder.copy_to.split(",") if email.strip()]
    rendered = None
    if reminder.kind in SESSION_TEXTS:
        text_key = (reminder.kind, *shared)
        if text_key not in cache.texts:
            cache.texts[text_key] = render_email("reminder", context)
        rendered = cache.texts[text_key]
    return build_email(
        "reminder",
        context,
        [reminder.recipient_email],
        cc=copy,
        invitation=calendar,
        headers=headers,
        rendered=rendered,
    )


def retry(reminder) -> bool:
    """A coordinator sends a failed reminder again."""
    return bool(
        update_if(
            Reminder,
            reminder.pk,
            {"state": ReminderState.FAILED},
            state=ReminderState.PENDING,
            due_at=timezone.now(),
            attempts=0,
        )
    )
