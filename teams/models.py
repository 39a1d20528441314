"""Improvement teams, their members and roles."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from network.models import FocusArea, Municipality, Network, Person
from network.queries import ScopedQuerySet


class Team(models.Model):
    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="teams", verbose_name=_("network")
    )
    name = models.CharField(
        _("team name"), max_length=150, blank=True,
        help_text=_("Optional; the unit's name is used when empty."),
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="teams",
        verbose_name=_("municipality"),
    )
    unit = models.CharField(_("unit or department"), max_length=200)
    focus_area = models.ForeignKey(
        FocusArea, on_delete=models.PROTECT, null=True, blank=True, related_name="teams",
        verbose_name=_("focus area"),
    )
    aim = models.TextField(_("aim"), blank=True)
    progress_plan = models.TextField(_("progress plan"), blank=True)
    unit_leader = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="led_teams",
        verbose_name=_("unit leader"),
        help_text=_("The leader of the unit, who signs the participation agreement."),
    )

    tenant_path = "network__centre"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("improvement team")
        verbose_name_plural = _("improvement teams")
        ordering = ["network", "municipality__name", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "municipality", "unit"], name="team_unique_unit_in_network",
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
            raise ValidationError({"focus_area": _(
                "Choose one of the focus areas the network offers: %(areas)s."
            ) % {"areas": ", ".join(str(area) for area in offered)}})


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
PATIENT_CONTACT = frozenset({
    Profession.NURSE, Profession.HEALTH_WORKER, Profession.CARE_ASSISTANT,
    Profession.PHYSICIAN, Profession.PHYSIOTHERAPIST, Profession.OCCUPATIONAL_THERAPIST,
    Profession.NUTRITIONIST,
})


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

    tenant_path = "team__network__centre"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["team", "role", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "person"], name="team_member_once_per_team",
                violation_error_message=_("This person is already a member of the team."),
            ),
            models.UniqueConstraint(
                fields=["team"], condition=models.Q(role="team_leader"),
                name="team_one_leader",
                violation_error_message=_(
                    "The team already has a team leader. A team has exactly one."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"
