"""The timeline: pre-course, gatherings, phone conferences and the follow-up call."""

import uuid
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from lib.choices import label_of
from network.models import Network
from network.queries import ScopedQuerySet
from teams.models import Team, TeamMember


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

    tenant_path = "network__centre"
    objects = ScopedQuerySet.as_manager()

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
        return f"{label_of(SessionKind, self.kind)} {self.number}"

    def save(self, *args, **kwargs):
        if self.pk and self.calendar_changed():
            self.sequence += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "sequence"}
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

    tenant_path = "session__network__centre"
    objects = ScopedQuerySet.as_manager()

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


# --- Improvement-network gatherings: registration, agenda, notes, documents ----------


class ParticipantRole(models.TextChoices):
    LEADER = "leader", _("Leader")
    DEVELOPMENT = "development", _("Professional development staff")
    USER_REPRESENTATIVE = "user_representative", _("User representative")
    OTHER = "other", _("Other")


class Side(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    HOSPITAL = "hospital", _("Hospital")
    OTHER = "other", _("Other")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Has a seat")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class GatheringSettings(models.Model):
    """What a gathering of an improvement network needs beyond the session itself."""

    session = models.OneToOneField(
        Session, on_delete=models.CASCADE, related_name="gathering", verbose_name=_("session")
    )
    registration_open = models.BooleanField(_("open for registration"), default=False)
    capacity = models.PositiveIntegerField(_("seats"), default=40)
    programme_published_at = models.DateTimeField(_("programme published"), null=True, blank=True)
    where_we_are = models.TextField(_("where we are"), blank=True)
    decisions = models.TextField(_("decisions made"), blank=True)
    bring_next_time = models.TextField(_("what to bring next time"), blank=True)

    tenant_path = "session__network__centre"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("gathering registration and notes")
        verbose_name_plural = _("gathering registrations and notes")

    def __str__(self):
        return str(self.session)


class Registration(models.Model):
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("gathering")
    )
    name = models.CharField(_("full name"), max_length=150)
    email = models.EmailField(_("e-mail"))
    organisation = models.CharField(_("organisation"), max_length=200)
    role = models.CharField(_("role"), max_length=24, choices=ParticipantRole.choices)
    side = models.CharField(
        _("from"), max_length=16, choices=Side.choices, default=Side.MUNICIPALITY
    )
    status = models.CharField(_("status"), max_length=10, choices=RegistrationStatus.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    tenant_path = "session__network__centre"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["session", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                "session",
                Lower("email"),
                condition=~models.Q(status="cancelled"),
                name="registration_once_per_person",
                violation_error_message=_("This e-mail address is already registered."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({label_of(RegistrationStatus, self.status)})"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("In the programme")
    DECLINED = "declined", _("Not this time")


class AgendaItem(models.Model):
    """A participant's proposal, and, once accepted, an item of the programme."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("gathering")
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=30)
    proposer_name = models.CharField(_("proposed by"), max_length=150)
    proposer_email = models.EmailField(_("proposer's e-mail"))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    day = models.PositiveSmallIntegerField(
        _("day"), null=True, blank=True, choices=[(1, _("Day 1")), (2, _("Day 2"))]
    )
    starts = models.TimeField(_("starts"), null=True, blank=True)
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)

    tenant_path = "session__network__centre"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["session", "day", "starts", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gte=5, minutes__lte=480),
                name="agenda_item_duration",
                violation_error_message=_("A duration is between 5 and 480 minutes."),
            ),
        ]

    def __str__(self):
        return self.title


def document_path(instance, filename):
    """A random name in a folder per network: the uploaded name is never a path."""
    return f"documents/{instance.network_id}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class Document(models.Model):
    """Slides and documents shared at gatherings: the network's knowledge base."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="documents", verbose_name=_("network")
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("gathering"),
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("agenda item"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(_("file"), upload_to=document_path)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    text = models.TextField(_("text, for search"), blank=True, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    tenant_path = "network__centre"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.title
