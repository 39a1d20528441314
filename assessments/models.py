"""«Snakk om forbedring»: a unit's self-assessment, repeated over time."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from teams.models import Team

#: The nine statements at the end of the USHT guide "Læringsnettverk som metode",
#: from I trygge hender 24/7. Kept in Norwegian: they are the tool's own words.
STATEMENTS = [
    "Erfaringer og opplevelser innhentes systematisk fra pasienter, brukere og pårørende",
    "Ansatte er kjent med enhetens mål, organisering, aktiviteter og rutiner",
    "Ansatte er trygge på at både læringsprosesser og beslutningsprosesser er synlige",
    "Åpen, ærlig og tillitsfull kommunikasjon mellom ansatte og med ledere gir gode resultater",
    "Øverste leder legger til rette for systematisk forbedring",
    "Klar og god kommunikasjon bidrar til god rolleforståelse",
    "Kontinuerlig læring forutsetter et godt system for avvik og uønskede hendelser",
    "Uenighet håndteres for å sikre god dialog mellom ansatte, faggrupper, pasienter, "
    "brukere og pårørende",
    "Forutsigbar og pålitelig kvalitet",
]


class Rating(models.IntegerChoices):
    NOT_STARTED = 1, _("1 – Not started")
    STARTED = 2, _("2 – Started")
    WELL_UNDER_WAY = 3, _("3 – Well under way")
    ESTABLISHED = 4, _("4 – Established")


class RoundStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class Assessment(models.Model):
    """One round. The unit corrects or deletes it while it is open; once the
    coordinator has closed it, it stays as it is (``assessments.services``)."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("unit")
    )
    label = models.CharField(
        _("round"), max_length=100, help_text=_("For example: start of the network.")
    )
    held_on = models.DateField(_("date"))
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    #: Counts the saves: a correction names the version it was made from, and one
    #: made from an older version (someone else's save came between) is refused.
    version = models.PositiveIntegerField(default=1)

    objects = ScopedManager(centre="team__network__centre")

    class Meta:
        verbose_name = _("self-assessment round")
        verbose_name_plural = _("self-assessment rounds")
        ordering = ["team", "held_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=RoundStatus.OPEN, closed_at__isnull=True)
                | models.Q(status=RoundStatus.CLOSED, closed_at__isnull=False),
                name="assessment_closed_at_iff_closed",
            )
        ]

    def __str__(self):
        return f"{self.label} ({self.held_on:%d.%m.%Y})"

    @property
    def is_closed(self) -> bool:
        return self.status == RoundStatus.CLOSED


class Answer(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="answers", verbose_name=_("round")
    )
    statement = models.PositiveSmallIntegerField(_("statement"))
    rating = models.PositiveSmallIntegerField(_("rating"), choices=Rating.choices)
    comment = models.TextField(_("comment"), blank=True)

    objects = ScopedManager(centre="assessment__team__network__centre")

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["assessment", "statement"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "statement"], name="answer_once_per_statement"
            ),
            models.CheckConstraint(
                condition=models.Q(statement__gte=1, statement__lte=9),
                name="answer_statement_1_to_9",
            ),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=4), name="answer_rating_1_to_4"
            ),
        ]

    def __str__(self):
        return f"{self.statement}: {self.rating}"
