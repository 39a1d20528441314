"""Improvement teams, their members and roles."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from network.models import (
    Direction,
    FocusArea,
    MeasureKind,
    MeasurePeriod,
    Municipality,
    Network,
    Person,
    RecommendedMeasure,
)


class Team(models.Model):
    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="teams", verbose_name=_("network")
    )
    name = models.CharField(
        _("team name"),
        max_length=150,
        blank=True,
        help_text=_("Optional; the unit's name is used when empty."),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="teams",
        verbose_name=_("municipality"),
    )
    unit = models.CharField(_("unit or department"), max_length=200)
    focus_area = models.ForeignKey(
        FocusArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="teams",
        verbose_name=_("focus area"),
    )
    aim = models.TextField(_("aim"), blank=True)
    progress_plan = models.TextField(_("progress plan"), blank=True)
    unit_leader = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_teams",
        verbose_name=_("unit leader"),
        help_text=_("The leader of the unit, who signs the participation agreement."),
    )

    objects = ScopedManager(centre="network__centre")

    class Meta:
        verbose_name = _("improvement team")
        verbose_name_plural = _("improvement teams")
        ordering = ["network", "municipality__name", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "municipality", "unit"],
                name="team_unique_unit_in_network",
                violation_error_message=_(
                    "This unit of this municipality already has a team in the network."
                ),
            ),
        ]

    def __str__(self):
        return self.name or f"{self.unit}, {self.municipality.name}"

    def clean(self):
        if not (self.network_id and self.focus_area_id):
            return
        offered = self.network.focus_areas.all()
        if offered and self.focus_area not in offered:
            raise ValidationError(
                {
                    "focus_area": _("Choose one of the focus areas the network offers: %(areas)s.")
                    % {"areas": ", ".join(str(area) for area in offered)}
                }
            )


class Role(models.TextChoices):
    TEAM_LEADER = "team_leader", _("Team leader")
    MEASUREMENT_LEAD = "measurement_lead", _("Measurement lead")
    MEMBER = "member", _("Member")
    USER_REPRESENTATIVE = "user_representative", _("User representative")


class Profession(models.TextChoices):
    NURSE = "nurse", _("Nurse")
    HEALTH_WORKER = "health_worker", _("Health care worker")
    CARE_ASSISTANT = "care_assistant", _("Care assistant")
    PHYSICIAN = "physician", _("Physician")
    PHYSIOTHERAPIST = "physiotherapist", _("Physiotherapist")
    OCCUPATIONAL_THERAPIST = "occupational_therapist", _("Occupational therapist")
    PHARMACIST = "pharmacist", _("Pharmacist")
    NUTRITIONIST = "nutritionist", _("Clinical nutritionist")
    LEADER = "leader", _("Leader")
    OTHER = "other", _("Other")
    NONE = "none", _("None (e.g. user representative)")


#: Professions that meet patients; the agreement guide wants them on every team.
PATIENT_CONTACT = frozenset(
    {
        Profession.NURSE,
        Profession.HEALTH_WORKER,
        Profession.CARE_ASSISTANT,
        Profession.PHYSICIAN,
        Profession.PHYSIOTHERAPIST,
        Profession.OCCUPATIONAL_THERAPIST,
        Profession.NUTRITIONIST,
    }
)


class TeamMember(models.Model):
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="members", verbose_name=_("team")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    profession = models.CharField(
        _("profession"), max_length=24, choices=Profession.choices, default=Profession.NURSE
    )

    objects = ScopedManager(centre="team__network__centre")

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["team", "role", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "person"],
                name="team_member_once_per_team",
                violation_error_message=_("This person is already a member of the team."),
            ),
            models.UniqueConstraint(
                fields=["team"],
                condition=models.Q(role="team_leader"),
                name="team_one_leader",
                violation_error_message=_(
                    "The team already has a team leader. A team has exactly one."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"


class ChartType(models.TextChoices):
    """How a measure is charted: a run chart, or one of the control charts of
    ``teams.controlchart`` (the values are its ``ChartKind`` names)."""

    RUN = "run", _("Run chart")
    I = "i", _("I chart (individuals) with its moving ranges")  # noqa: E741 - the chart's name
    P = "p", _("P chart (proportions)")
    P_PRIME = "pp", _("P′ chart (Laney, large denominators)")
    U = "u", _("U chart (rates)")
    U_PRIME = "up", _("U′ chart (Laney, large denominators)")
    C = "c", _("C chart (counts)")
    G = "g", _("G chart (cases between rare events)")
    T = "t", _("T chart (days between rare events)")


#: The control chart each type of measure proposes; the team may choose a run chart.
PROPOSED_CHART = {
    MeasureKind.PROPORTION: ChartType.P,
    MeasureKind.COUNT: ChartType.C,
    MeasureKind.VALUE: ChartType.I,
    MeasureKind.RATE: ChartType.U,
    MeasureKind.EVENTS: ChartType.T,
}

#: The charts that fit each type: P and U charts need numerators and denominators,
#: a C chart whole counts.
CHARTS_FOR_KIND = {
    MeasureKind.PROPORTION: (
        ChartType.RUN,
        ChartType.P,
        ChartType.P_PRIME,
        ChartType.U,
        ChartType.U_PRIME,
        ChartType.I,
    ),
    MeasureKind.COUNT: (ChartType.RUN, ChartType.C, ChartType.I),
    MeasureKind.VALUE: (ChartType.RUN, ChartType.I),
    MeasureKind.RATE: (ChartType.RUN, ChartType.U, ChartType.U_PRIME, ChartType.I),
    #: Rare events: the days between them (T) or the cases between them (G).
    MeasureKind.EVENTS: (ChartType.RUN, ChartType.T, ChartType.G),
}

#: A rate's default multiplier: events per 1,000 units of exposure (bed-days).
DEFAULT_RATE_PER = 1000


class Measure(models.Model):
    """What a team measures: picked from its focus area's list, or its own."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="measures", verbose_name=_("team")
    )
    recommended = models.ForeignKey(
        RecommendedMeasure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="team_measures",
        verbose_name=_("from the recommended list"),
    )
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(_("definition"), blank=True)
    kind = models.CharField(
        _("type"), max_length=12, choices=MeasureKind.choices, default=MeasureKind.COUNT
    )
    period = models.CharField(
        _("period"), max_length=8, choices=MeasurePeriod.choices, default=MeasurePeriod.MONTH
    )
    goal = models.DecimalField(
        _("goal"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("For a proportion, in per cent."),
    )
    direction = models.CharField(
        _("direction of improvement"), max_length=4, choices=Direction.choices, default=Direction.UP
    )
    baseline_points = models.PositiveSmallIntegerField(
        _("freeze the median on the first"),
        null=True,
        blank=True,
        help_text=_("Number of points in the baseline. Empty: the median of all points."),
    )
    chart = models.CharField(
        _("chart"), max_length=4, choices=ChartType.choices, default=ChartType.RUN
    )
    rate_per = models.PositiveIntegerField(
        _("per how many units of exposure"),
        default=DEFAULT_RATE_PER,
        help_text=_("For a rate: 1 000 shows falls per 1 000 bed-days."),
    )

    objects = ScopedManager(centre="team__network__centre")

    class Meta:
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        ordering = ["team", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "name"],
                name="measure_unique_name",
                violation_error_message=_("The team already has a measure with this name."),
            ),
            models.CheckConstraint(
                condition=models.Q(rate_per__gte=1), name="measure_rate_per_positive"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def per(self):
        """What a numerator over a denominator is multiplied by to be plotted."""
        return per(self.kind, self.rate_per)


class Measurement(models.Model):
    """One data point: a measure's result for one week or month."""

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="measurements", verbose_name=_("measure")
    )
    period_start = models.DateField(
        _("period"), help_text=_("The Monday of the week, or the first day of the month.")
    )
    numerator = models.DecimalField(
        _("numerator"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("denominator"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2, null=True, blank=True)
    #: The chart starts a new part here, with its own centre line (after a lasting change).
    new_part = models.BooleanField(_("new part from this period"), default=False)
    #: Drawn, but left out of the centre line, the limits and the runs analysis.
    excluded = models.BooleanField(_("excluded from the analysis"), default=False)
    note = models.CharField(
        _("reason"),
        max_length=200,
        blank=True,
        help_text=_("Why the point is excluded, or what changed for the new part."),
    )

    objects = ScopedManager(centre="measure__team__network__centre")

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["measure", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period_start"], name="measurement_once_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(denominator__isnull=True) | models.Q(denominator__gt=0),
                name="measurement_denominator_positive",
            ),
        ]

    def __str__(self):
        return f"{self.measure}: {self.period_start}"

    @property
    def result(self):
        return plotted(self.numerator, self.denominator, self.value, self.measure.per)


def per(kind, rate_per):
    """A proportion is plotted in per cent, a rate per ``rate_per`` units of exposure."""
    return rate_per if kind == MeasureKind.RATE else 100


def plotted(numerator, denominator, value, per=100):
    """A measurement's plotted number: a proportion in per cent, a rate per ``per``
    units of exposure, or the value."""
    if numerator is not None and denominator:
        return numerator * per / denominator
    return value


class PDSACycle(models.Model):
    """One Plan–Do–Study–Act cycle of small-scale testing."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="pdsa_cycles", verbose_name=_("team")
    )
    measure = models.ForeignKey(
        Measure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pdsa_cycles",
        verbose_name=_("measure"),
        help_text=_("The cycle is shown on this measure's chart."),
    )
    change = models.CharField(_("what we test"), max_length=300)
    prediction = models.TextField(_("what we predict"), blank=True)
    outcome = models.TextField(_("what happened"), blank=True)
    learning = models.TextField(_("what we learned"), blank=True)
    next_step = models.TextField(_("next step"), blank=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)

    objects = ScopedManager(centre="team__network__centre")

    class Meta:
        verbose_name = _("PDSA cycle")
        verbose_name_plural = _("PDSA cycles")
        ordering = ["team", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="pdsa_end_not_before_start",
                violation_error_message=_("The end cannot be before the start."),
            ),
        ]

    def __str__(self):
        return self.change

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end cannot be before the start.")})
        if self.measure_id and self.team_id and self.measure.team_id != self.team_id:
            raise ValidationError({"measure": _("Choose one of the team's own measures.")})


class PlannedInvitation(models.Model):
    """A "choose your password" e-mail planned for later: when the network starts.
    A row, so that a restart loses nothing; the sweep (``teams.send_due_invitations``)
    sends it when it is due, once."""

    person = models.OneToOneField(
        Person,
        on_delete=models.CASCADE,
        related_name="planned_invitation",
        verbose_name=_("person"),
    )
    due_at = models.DateTimeField(_("to be sent"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    #: Held by the worker that sends it (lib.leases).
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ScopedManager(centre="person__centre")

    class Meta:
        verbose_name = _("planned invitation")
        verbose_name_plural = _("planned invitations")

    def __str__(self):
        return f"{self.person} ({self.due_at:%Y-%m-%d})"
