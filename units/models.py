"""What a unit keeps besides its team's workspace: the unit leader's requests for
results, and the improvement board's cards."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from network.models import Person
from reports.models import StatusReport
from teams.models import PDSACycle, Team


class ResultRequest(models.Model):
    """ "Etterspør resultat": the unit leader asks the team for an update. It is open
    until the team's next status report is submitted."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="result_requests", verbose_name=_("team")
    )
    asked_by = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="result_requests",
        verbose_name=_("asked by"),
    )
    message = models.CharField(_("message"), max_length=500, blank=True)
    asked_at = models.DateTimeField(_("asked"))
    closed_at = models.DateTimeField(_("answered by a report"), null=True, blank=True)
    closed_by_report = models.ForeignKey(
        StatusReport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("the report that answered it"),
    )
    emailed_at = models.DateTimeField(_("e-mailed to the team leader"), null=True, blank=True)
    #: Held by the worker that e-mails the request (lib.leases).
    email_lease_until = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ScopedManager(centre="team__network__centre")

    class Meta:
        verbose_name = _("request for results")
        verbose_name_plural = _("requests for results")
        ordering = ["team", "-asked_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["team"],
                condition=models.Q(closed_at__isnull=True),
                name="result_request_one_open_per_team",
                violation_error_message=_(
                    "The team already has an open request; it closes with the next report."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.team}: {self.asked_at:%Y-%m-%d}"

    @property
    def is_open(self):
        return self.closed_at is None


class Column(models.TextChoices):
    """The board's columns, left to right."""

    NEW = "new", _("New")
    TESTING = "testing", _("Testing (PDSA)")
    IMPLEMENTED = "implemented", _("Implemented")
    SET_ASIDE = "set_aside", _("Set aside")


class CardKind(models.TextChoices):
    IDEA = "idea", _("Idea")
    PROBLEM = "problem", _("Problem")


class BoardCard(models.Model):
    """One card of a unit's improvement board (tavlemøte): an idea or a problem."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="board_cards", verbose_name=_("team")
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=CardKind.choices, default=CardKind.IDEA
    )
    title = models.CharField(_("title"), max_length=200)
    detail = models.TextField(_("details"), max_length=2000, blank=True)
    column = models.CharField(
        _("column"), max_length=12, choices=Column.choices, default=Column.NEW
    )
    cycle = models.ForeignKey(
        PDSACycle,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="board_cards",
        verbose_name=_("PDSA cycle"),
        help_text=_("The cycle that tests this idea, if any."),
    )
    idea = models.ForeignKey(
        "improvement.ChangeIdea",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="board_cards",
        verbose_name=_("change idea"),
        help_text=_("The change idea in the team's driver diagram, if any."),
    )
    #: Grows with every change: a move or an edit from a stale page is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("added"))
    moved_at = models.DateTimeField(_("moved"))

    objects = ScopedManager(centre="team__network__centre")

    class Meta:
        verbose_name = _("board card")
        verbose_name_plural = _("board cards")
        ordering = ["team", "-moved_at", "-pk"]

    def __str__(self):
        return self.title
