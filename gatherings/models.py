"""Gatherings of an ongoing improvement network: registration with a waiting list,
proposals that become the programme, and the notes carried from one gathering to
the next. The gathering itself is a ``sessions_app.Session`` of kind "gathering"."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_scopes import ScopedManager

from lib.dates import oslo_days
from sessions_app.models import Session


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

    objects = ScopedManager(centre="session__network__centre")

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
    cancelled_at = models.DateTimeField(_("registration cancelled"), null=True, blank=True)
    #: Recorded by the coordinator after the gathering; empty until then.
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    #: The status the person was last told of by e-mail; a notice is due while it
    #: differs from ``status`` (a seat, a place on the waiting list, moved up).
    notified_status = models.CharField(max_length=10, blank=True, editable=False)
    #: Held by the worker that sends the notice (lib.leases).
    notice_lease_until = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ScopedManager(centre="session__network__centre")

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
        return f"{self.name} ({self.get_status_display()})"


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
        _("day"),
        null=True,
        blank=True,
        help_text=_("Day 1, 2, 3 … of the gathering."),
    )
    starts = models.TimeField(_("starts"), null=True, blank=True)
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)

    objects = ScopedManager(centre="session__network__centre")

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
            models.CheckConstraint(
                condition=models.Q(day__isnull=True) | models.Q(day__gte=1),
                name="agenda_item_day_from_1",
                violation_error_message=_("The first day of a gathering is day 1."),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        """A day within the gathering: day 3 of a two-day gathering is refused."""
        super().clean()
        session = getattr(self, "session", None) if self.session_id else None
        if self.day and session is not None:
            days = len(oslo_days(session.starts_at, session.ends_at))
            if self.day > days:
                raise ValidationError(
                    {
                        "day": ngettext(
                            "The gathering has %(days)d day.",
                            "The gathering has %(days)d days.",
                            days,
                        )
                        % {"days": days}
                    }
                )
