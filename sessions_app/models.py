"""The timeline: pre-course, gatherings, phone conferences and the follow-up call."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from network.models import Network, User
from teams.models import Measure, Team, TeamMember


class SessionKind(models.TextChoices):
    PRECOURSE = "precourse", _("Pre-course")
    GATHERING = "gathering", _("Gathering")
    PHONE_CONFERENCE = "phone_conference", _("Phone conference")
    PHONE_SESSION = "phone_session", _("Phone session")
    FOLLOW_UP = "follow_up", _("Follow-up call")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Session(models.Model):
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("network")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    number = models.PositiveSmallIntegerField(
        _("number"), help_text=_("Gathering 1, 2, 3 …; numbered per kind.")
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    dial_in = models.CharField(
        _("dial-in or video link"),
        max_length=500,
        blank=True,
        help_text=_("For phone conferences: number and PIN, or a meeting link."),
    )
    agenda = models.TextField(_("agenda"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    invited_teams = models.ManyToManyField(
        Team,
        blank=True,
        related_name="sessions",
        verbose_name=_("invited teams"),
        help_text=_("Leave empty to invite every team in the network."),
    )
    invite_unit_leaders = models.BooleanField(_("unit leaders invited"), default=False)
    invite_top_management = models.BooleanField(_("top management invited"), default=False)
    sequence = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="iCalendar SEQUENCE: grows when the time, place or status changes.",
    )
    calendar_changed_at = models.DateTimeField(
        default=timezone.now,
        editable=False,
        help_text="When the time, place or status last changed (a feed's DTSTAMP).",
    )

    objects = ScopedManager(centre="network__centre")

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["network", "starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "kind", "number"],
                name="session_unique_number",
                violation_error_message=_(
                    "The network already has a session of this kind with this number."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
                violation_error_message=_("A session must end after it starts."),
            ),
        ]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self):
        if self.title:
            return self.title
        return f"{self.get_kind_display()} {self.number}"

    def save(self, *args, **kwargs):
        if self.pk and self.calendar_changed():
            self.sequence += 1
            self.calendar_changed_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {
                    *kwargs["update_fields"],
                    "sequence",
                    "calendar_changed_at",
                }
        super().save(*args, **kwargs)
        self._as_loaded = {name: getattr(self, name) for name in self.CALENDAR_FIELDS}

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A session must end after it starts.")})

    #: Changes that calendars must be told about (a new iCalendar SEQUENCE).
    CALENDAR_FIELDS = ("starts_at", "ends_at", "place", "dial_in", "status")

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._as_loaded = {
            name: value
            for name, value in zip(field_names, values, strict=True)
            if name in cls.CALENDAR_FIELDS
        }
        return instance

    def calendar_changed(self):
        loaded = getattr(self, "_as_loaded", None)
        return bool(loaded) and any(
            loaded.get(name) != getattr(self, name)
            for name in self.CALENDAR_FIELDS
            if name in loaded
        )


class Attendance(models.Model):
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("session")
    )
    member = models.ForeignKey(
        TeamMember,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("team member"),
    )
    present = models.BooleanField(_("present"), default=True)

    objects = ScopedManager(centre="session__network__centre")

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "member"],
                name="attendance_once",
                violation_error_message=_("Attendance for this member is already recorded."),
            ),
        ]

    def __str__(self):
        return f"{self.member.person} – {self.session}"


class Sustained(models.TextChoices):
    YES = "yes", _("Yes, the change is sustained")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No, the unit is back to the old way")


class FollowUpRecord(models.Model):
    """What the six-month follow-up call found for one team. The team may fill in
    its part beforehand through a link; the coordinator completes it in the call."""

    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="follow_up_records",
        verbose_name=_("follow-up call"),
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="follow_up_records", verbose_name=_("team")
    )
    sustained = models.CharField(
        _("is the change sustained?"), max_length=10, choices=Sustained.choices, blank=True
    )
    sustained_note = models.TextField(_("how it is sustained, or what slipped"), blank=True)
    measures = models.ManyToManyField(
        Measure,
        blank=True,
        related_name="follow_up_records",
        verbose_name=_("measures still collected"),
    )
    other_measures = models.TextField(_("other measures still collected"), blank=True)
    spread = models.TextField(_("where has it spread?"), blank=True)
    obstacles = models.TextField(_("what stands in the way?"), blank=True)
    coordinator_notes = models.TextField(_("the coordinator's notes from the call"), blank=True)
    team_filled_at = models.DateTimeField(_("the team filled in its part"), null=True, blank=True)
    team_filled_by = models.CharField(_("filled in by"), max_length=200, blank=True)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    token_expires_at = models.DateTimeField(_("link expires"), null=True, blank=True)
    link_sent_at = models.DateTimeField(_("link sent"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    #: Grows with every save: a stale form (the team's or the coordinator's) is refused.
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = ScopedManager(centre="session__network__centre")

    class Meta:
        verbose_name = _("follow-up record")
        verbose_name_plural = _("follow-up records")
        ordering = ["session", "team__municipality__name", "team__unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "team"],
                name="follow_up_record_once",
                violation_error_message=_("The team already has a record for this call."),
            ),
        ]

    def __str__(self):
        return f"{self.team} – {self.session}"
