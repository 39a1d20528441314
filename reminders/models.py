"""Reminders are rows: what, to whom, about which object, when, and their state."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from agreements.models import Agreement
from network.models import Network, Person
from reports.models import ReportPeriod
from sessions_app.models import Session
from teams.models import Team


def day_list(text):
    """ "14, 2" -> [14, 2]; refuses anything but whole days."""
    try:
        days = sorted(
            {int(part) for part in text.replace(";", ",").split(",") if part.strip()}, reverse=True
        )
    except ValueError:
        raise ValidationError(_("Write whole days separated by commas, e.g. 14, 2.")) from None
    if any(day < 0 or day > 365 for day in days):
        raise ValidationError(_("Days must be between 0 and 365."))
    return days


class ReminderSettings(models.Model):
    """What each network reminds of, and when. The defaults follow the guide."""

    network = models.OneToOneField(
        Network,
        on_delete=models.CASCADE,
        related_name="reminder_settings",
        verbose_name=_("network"),
    )
    gathering_days = models.CharField(
        _("days before a gathering"), max_length=50, default="14, 2", validators=[day_list]
    )
    call_days = models.CharField(
        _("days before a phone conference"), max_length=50, default="2", validators=[day_list]
    )
    report_days = models.CharField(
        _("days before a status report is due"),
        max_length=50,
        default="7, 0",
        validators=[day_list],
        help_text=_("0 is the due date itself."),
    )
    overdue_every_days = models.PositiveSmallIntegerField(
        _("then every … days while overdue"), default=3
    )
    copy_coordinator_from = models.PositiveSmallIntegerField(
        _("copy the coordinator from overdue reminder number"), default=2
    )
    agreement_days_before_start = models.PositiveSmallIntegerField(
        _("first agreement reminder, days before the start"), default=21
    )
    agreement_every_days = models.PositiveSmallIntegerField(
        _("then every … days until signed or declined"), default=7
    )
    send_hour = models.PositiveSmallIntegerField(
        _("hour of day reminders are sent"), default=8, help_text=_("Oslo time, 0–23.")
    )

    objects = ScopedManager(centre="network__centre")

    class Meta:
        verbose_name = _("reminder settings")
        verbose_name_plural = _("reminder settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(send_hour__lte=23), name="reminder_settings_send_hour"
            ),
            models.CheckConstraint(
                condition=models.Q(overdue_every_days__gte=1)
                & models.Q(agreement_every_days__gte=1),
                name="reminder_settings_intervals_positive",
            ),
        ]

    def __str__(self):
        return str(self.network)


class ReminderKind(models.TextChoices):
    GATHERING = "gathering", _("Gathering")
    CALL = "call", _("Phone conference")
    REPORT_DUE = "report_due", _("Status report due")
    REPORT_OVERDUE = "report_overdue", _("Status report overdue")
    AGREEMENT = "agreement", _("Agreement not signed")
    DIGEST = "digest", _("Weekly digest")
    CONFIRM_FOLLOW_UP = "confirm_follow_up", _("Confirm the follow-up call")
    SESSION_UPDATE = "session_update", _("Session moved or changed")
    SESSION_CANCELLED = "session_cancelled", _("Session cancelled")


class ReminderState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Reminder(models.Model):
    #: What makes this one reminder (kind, object, recipient, offset): planning
    #: the same reminder twice finds the row instead of adding a second.
    key = models.CharField(_("key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("network")
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("session"),
    )
    period = models.ForeignKey(
        ReportPeriod,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("reporting period"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("team"),
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("agreement"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        verbose_name=_("recipient"),
    )
    recipient_email = models.EmailField(_("to"))
    copy_to = models.CharField(_("copy to"), max_length=500, blank=True)
    number = models.PositiveSmallIntegerField(_("number in a series"), default=1)
    #: The iCalendar SEQUENCE of the session as this reminder carried it, once sent.
    sequence = models.PositiveIntegerField(null=True, blank=True, editable=False)
    due_at = models.DateTimeField(_("due"))
    expires_at = models.DateTimeField(_("too late after"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=ReminderState.choices, default=ReminderState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    claimed_at = models.DateTimeField(_("last taken by the sender"), null=True, blank=True)
    #: A sweep that claims the reminder holds it until then; one that died leaves
    #: it to expire, and the next sweep takes the reminder back.
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    lease_token = models.CharField(max_length=32, blank=True, db_index=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedManager(centre="network__centre")

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["due_at"]
        indexes = [models.Index(fields=["state", "due_at"], name="reminder_due")]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient_email}"


class CalendarFeed(models.Model):
    """A person's private calendar address. Only the token's hash is kept."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("person")
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now=True)

    objects = ScopedManager(centre="person__centre")

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.person)


#: The reminders a person may turn off; the rest (overdue reports, agreements,
#: a moved or cancelled session, the follow-up to confirm) always go out.
OPTIONAL_KINDS = (
    ReminderKind.GATHERING,
    ReminderKind.CALL,
    ReminderKind.REPORT_DUE,
    ReminderKind.DIGEST,
)


class ReminderOptOut(models.Model):
    """A person has turned off one kind of reminder."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="reminder_opt_outs", verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ReminderKind.choices)
    created_at = models.DateTimeField(_("turned off"), auto_now_add=True)

    objects = ScopedManager(centre="person__centre")

    class Meta:
        verbose_name = _("reminder turned off")
        verbose_name_plural = _("reminders turned off")
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="reminder_opt_out_once"),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_kind_display()}"


class WeeklyDigest(ReminderOptOut):
    """The weekly digest's page in the admin (``reminders.admin.WeeklyDigestAdmin``):
    a proxy with no table of its own, so that the page has its place in the index."""

    class Meta:
        proxy = True
        verbose_name = _("weekly digest")
        verbose_name_plural = _("weekly digest")


class SweepHeartbeat(models.Model):
    """When a reminder sweep last ran to its end: one row, read by /healthz.

    Installation-wide, not a centre's: no scope."""

    finished_at = models.DateTimeField(_("last sweep finished"))

    class Meta:
        verbose_name = _("outbox")
        verbose_name_plural = _("outbox")

    def __str__(self):
        return f"{self.finished_at:%Y-%m-%d %H:%M:%S}"
