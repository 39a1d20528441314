"""The team's driver diagram: its aim (the team's own), primary and secondary
drivers, and the change ideas to test, each linked to the PDSA cycles that test it
and the measures that show its effect."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from network.models import Intervention
from teams.models import Measure, PDSACycle, Team


class DriverDiagram(models.Model):
    """One per team, made by its first change. The aim is ``Team.aim``."""

    team = models.OneToOneField(
        Team, on_delete=models.CASCADE, related_name="driver_diagram", verbose_name=_("team")
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = ScopedManager(centre="team__network__centre")

    class Meta:
        verbose_name = _("driver diagram")
        verbose_name_plural = _("driver diagrams")
        ordering = ["team"]

    def __str__(self):
        return str(self.team)


class Driver(models.Model):
    """A primary driver (no parent) or a secondary driver (under a primary one)."""

    diagram = models.ForeignKey(
        DriverDiagram, on_delete=models.CASCADE, related_name="drivers", verbose_name=_("diagram")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="secondaries",
        verbose_name=_("primary driver"),
    )
    text = models.CharField(_("driver"), max_length=300)
    position = models.PositiveIntegerField(_("position"), default=0)
    #: Grows with each change of the text: a form sent from an older page is refused.
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = ScopedManager(centre="diagram__team__network__centre")

    class Meta:
        verbose_name = _("driver")
        verbose_name_plural = _("drivers")
        ordering = ["diagram", "position", "id"]

    def __str__(self):
        return self.text

    @property
    def is_primary(self):
        return self.parent_id is None


class ChangeIdea(models.Model):
    """A change to test, under a driver (or under none yet), perhaps from the focus
    area's intervention bundle."""

    diagram = models.ForeignKey(
        DriverDiagram, on_delete=models.CASCADE, related_name="ideas", verbose_name=_("diagram")
    )
    driver = models.ForeignKey(
        Driver,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
        verbose_name=_("driver"),
    )
    intervention = models.ForeignKey(
        Intervention,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="change_ideas",
        verbose_name=_("from the intervention bundle"),
    )
    text = models.CharField(_("change idea"), max_length=300)
    cycles = models.ManyToManyField(
        PDSACycle, blank=True, related_name="change_ideas", verbose_name=_("tested in")
    )
    measures = models.ManyToManyField(
        Measure, blank=True, related_name="change_ideas", verbose_name=_("measures")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    version = models.PositiveIntegerField(default=0, editable=False)

    objects = ScopedManager(centre="diagram__team__network__centre")

    class Meta:
        verbose_name = _("change idea")
        verbose_name_plural = _("change ideas")
        ordering = ["diagram", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["diagram", "intervention"],
                condition=models.Q(intervention__isnull=False),
                name="change_idea_intervention_once",
                violation_error_message=_("This intervention is already a change idea."),
            ),
        ]

    def __str__(self):
        return self.text
