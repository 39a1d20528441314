"""Centres, their coordinators, municipalities, focus areas, networks and people.

Tenancy: every object that belongs to a centre has a ``ScopedManager`` on the
dimension ``centre``, with the path from the model to its centre; a query outside
a declared scope raises (see ``network.access``).
"""

from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class UserManager(DjangoUserManager):
    """Users log in with their e-mail address; there is no user name."""

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A login. The human behind it, with name and organisation, is a Person."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self):
        return self.email


class County(models.TextChoices):
    """Norway's counties from 2024."""

    OSLO = "03", "Oslo"
    ROGALAND = "11", "Rogaland"
    MORE_OG_ROMSDAL = "15", "Møre og Romsdal"
    NORDLAND = "18", "Nordland"
    OSTFOLD = "31", "Østfold"
    AKERSHUS = "32", "Akershus"
    BUSKERUD = "33", "Buskerud"
    INNLANDET = "34", "Innlandet"
    VESTFOLD = "39", "Vestfold"
    TELEMARK = "40", "Telemark"
    AGDER = "42", "Agder"
    VESTLAND = "46", "Vestland"
    TRONDELAG = "50", "Trøndelag"
    TROMS = "55", "Troms"
    FINNMARK = "56", "Finnmark"


class Centre(models.Model):
    """A USHT: Utviklingssenter for sykehjem og hjemmetjenester."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    county = models.CharField(_("county"), max_length=2, choices=County.choices)
    email = models.EmailField(_("contact e-mail"), blank=True)
    privacy_contact = models.CharField(
        _("privacy contact"),
        max_length=200,
        blank=True,
        help_text=_(
            "Who answers questions about personal data, shown in the privacy statement, "
            "e.g. the data protection officer of the host municipality."
        ),
    )
    privacy_email = models.EmailField(
        _("privacy e-mail"),
        blank=True,
        help_text=_("Where people ask for access to or deletion of their personal data."),
    )

    objects = ScopedManager(centre="pk")

    class Meta:
        verbose_name = _("development centre (USHT)")
        verbose_name_plural = _("development centres (USHT)")
        ordering = ["name"]

    def __str__(self):
        return self.short_name or self.name


class Municipality(models.Model):
    """A kommune. National reference data, shared by every centre."""

    name = models.CharField(_("name"), max_length=100)
    number = models.CharField(
        _("municipality number"),
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^\d{4}$", _("A municipality number has four digits."))],
        help_text=_("Four digits, e.g. 1860 for Vestvågøy."),
        error_messages={"unique": _("A municipality with this number already exists.")},
    )
    county = models.CharField(_("county"), max_length=2, choices=County.choices)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(number__regex=r"^[0-9]{4}$"),
                name="municipality_number_four_digits",
                violation_error_message=_("A municipality number has four digits."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.number})"


class MeasureKind(models.TextChoices):
    PROPORTION = "proportion", _("Proportion (numerator / denominator)")
    COUNT = "count", _("Count")
    VALUE = "value", _("Value")
    RATE = "rate", _("Rate (events per exposure, such as falls per 1,000 bed-days)")
    EVENTS = "events", _("Rare events (the date of each event)")


class MeasurePeriod(models.TextChoices):
    WEEK = "week", _("Week")
    MONTH = "month", _("Month")


class Direction(models.TextChoices):
    UP = "up", _("Higher is better")
    DOWN = "down", _("Lower is better")


class FocusArea(models.Model):
    """An innsatsområde of I trygge hender 24/7, with its intervention bundle."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(_("short code"), max_length=60, unique=True)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Intervention(models.Model):
    """One intervention (tiltak) in a focus area's bundle."""

    focus_area = models.ForeignKey(
        FocusArea,
        on_delete=models.CASCADE,
        related_name="interventions",
        verbose_name=_("focus area"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("intervention"), max_length=300)

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("intervention bundle")
        ordering = ["focus_area", "position", "id"]

    def __str__(self):
        return self.text


class RecommendedMeasure(models.Model):
    """A measure the focus area recommends; teams pick from these."""

    focus_area = models.ForeignKey(
        FocusArea,
        on_delete=models.CASCADE,
        related_name="recommended_measures",
        verbose_name=_("focus area"),
    )
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(_("definition"), blank=True)
    kind = models.CharField(_("type"), max_length=12, choices=MeasureKind.choices)
    period = models.CharField(
        _("period"), max_length=8, choices=MeasurePeriod.choices, default=MeasurePeriod.MONTH
    )
    direction = models.CharField(
        _("direction of improvement"), max_length=4, choices=Direction.choices
    )

    class Meta:
        verbose_name = _("recommended measure")
        verbose_name_plural = _("recommended measures")
        ordering = ["focus_area", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["focus_area", "name"], name="recommended_measure_unique_name"
            ),
        ]

    def __str__(self):
        return self.name


class NetworkKind(models.TextChoices):
    LEARNING = "learning", _("Learning network (nine months)")
    IMPROVEMENT = "improvement", _("Improvement network (ongoing)")


class FocusAreaMode(models.TextChoices):
    SINGLE = "single", _("One pre-selected focus area")
    TEAM_CHOICE = "team_choice", _("Each team chooses one of up to three")


class NetworkStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RECRUITING = "recruiting", _("Recruiting")
    RUNNING = "running", _("Running")
    ENDED = "ended", _("Ended")
    FOLLOWED_UP = "followed_up", _("Followed up")


class Network(models.Model):
    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="networks", verbose_name=_("centre")
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=12, choices=NetworkKind.choices, default=NetworkKind.LEARNING
    )
    focus_area_mode = models.CharField(
        _("focus areas"),
        max_length=12,
        choices=FocusAreaMode.choices,
        default=FocusAreaMode.SINGLE,
    )
    focus_areas = models.ManyToManyField(
        FocusArea,
        blank=True,
        related_name="networks",
        verbose_name=_("offered focus areas"),
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(
        _("end"),
        null=True,
        blank=True,
        help_text=_(
            "Learning networks end about nine months after the start. "
            "Leave empty for an ongoing improvement network."
        ),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=NetworkStatus.choices, default=NetworkStatus.PLANNED
    )
    has_precourse = models.BooleanField(
        _("with a pre-course"),
        default=False,
        help_text=_(
            "An introduction to improvement work before gathering 1. The proposed "
            "timeline includes it."
        ),
    )
    participation_fee = models.DecimalField(
        _("participation fee (NOK per team)"),
        max_digits=9,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    gathering_hours = models.DecimalField(
        _("hours per gathering day"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("6.5"),
        validators=[MinValueValidator(0)],
    )
    phone_conference_hours = models.DecimalField(
        _("hours per phone conference"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("1"),
        validators=[MinValueValidator(0)],
    )
    weekly_minutes = models.PositiveSmallIntegerField(
        _("minutes per week between gatherings"),
        default=20,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedManager(centre="centre")

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="network_end_not_before_start",
                violation_error_message=_("The end cannot be before the start."),
            ),
        ]
        indexes = [models.Index(fields=["centre", "status"])]

    def __str__(self):
        return self.title

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end cannot be before the start.")})

    @property
    def is_learning(self):
        return self.kind == NetworkKind.LEARNING


class Person(models.Model):
    """A human the product knows: may log in (``user``) or only receive e-mail."""

    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="people", verbose_name=_("centre")
    )
    name = models.CharField(_("full name"), max_length=150)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    title = models.CharField(_("job title"), max_length=150, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    user = models.OneToOneField(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("login"),
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now, editable=False)
    #: When the person was told that their data will be erased for inactivity.
    inactivity_warned_at = models.DateTimeField(
        _("warned of erasure"), null=True, blank=True, editable=False
    )
    #: When a coordinator (or the retention rule) erased the person's details.
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)

    objects = ScopedManager(centre="centre")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "centre",
                Lower("email"),
                condition=~models.Q(email=""),
                name="person_unique_email_per_centre",
                violation_error_message=_(
                    "A person with this e-mail address is already registered at this centre."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def label(self):
        """The name with what tells two people of that name apart, for pickers:
        "Kari Nordmann (kari@vestvagoy.kommune.no, Vestvågøy kommune)"."""
        details = ", ".join(part for part in (self.email, self.organisation) if part)
        return f"{self.name} ({details})" if details else self.name


class Coordinator(models.Model):
    """The role: this person coordinates this centre's networks."""

    centre = models.ForeignKey(
        Centre, on_delete=models.CASCADE, related_name="coordinators", verbose_name=_("centre")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="coordinator_roles",
        verbose_name=_("person"),
    )

    objects = ScopedManager(centre="centre")

    class Meta:
        verbose_name = _("coordinator")
        verbose_name_plural = _("coordinators")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "person"],
                name="coordinator_unique",
                violation_error_message=_("This person is already a coordinator here."),
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.centre}"

    def clean(self):
        if self.person_id and self.centre_id and self.person.centre_id != self.centre_id:
            raise ValidationError({"person": _("The person belongs to another centre.")})
