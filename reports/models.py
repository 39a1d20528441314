"""Status reports: one per team and reporting period."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from network.models import Network, User
from reports.scale import SCORES
from teams.models import PDSACycle, Team

#: The progress score as stored: 0.5 to 5.0 in half steps (reports.scale).
SCORE_FIELD = {"max_digits": 2, "decimal_places": 1, "null": True, "blank": True}


class ReportPeriod(models.Model):
    """A reporting period between two gatherings, with its due date."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="report_periods", verbose_name=_("network")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("from"))
    due_on = models.DateField(_("due"))

    objects = ScopedManager(centre="network__centre")

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["network", "due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "number"],
                name="report_period_unique_number",
                violation_error_message=_("The network already has a period with this number."),
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("starts_on")),
                name="report_period_due_after_start",
                violation_error_message=_("The due date cannot be before the period starts."),
            ),
        ]

    def __str__(self):
        return self.title


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class StatusReport(models.Model):
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="status_reports", verbose_name=_("team")
    )
    period = models.ForeignKey(
        ReportPeriod, on_delete=models.PROTECT, related_name="reports", verbose_name=_("period")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    cycles = models.ManyToManyField(
        PDSACycle,
        blank=True,
        related_name="status_reports",
        verbose_name=_("what we did (PDSA cycles)"),
    )
    activities = models.TextField(_("what we did"), blank=True)
    what_worked = models.TextField(_("what worked"), blank=True)
    challenges = models.TextField(_("challenges"), blank=True)
    support_needed = models.TextField(_("what support we need from USHT"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    # The progress score: the team proposes, the coordinator confirms or adjusts.
    proposed_score = models.DecimalField(_("our progress score"), **SCORE_FIELD)
    score = models.DecimalField(_("progress score"), **SCORE_FIELD)
    score_comment = models.TextField(_("the coordinator's comment on the score"), blank=True)
    score_set_at = models.DateTimeField(_("score confirmed"), null=True, blank=True)
    score_set_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("score confirmed by"),
    )
    #: Grows with each confirmation: a coordinator's stale form is refused.
    score_version = models.PositiveIntegerField(default=0, editable=False)
    # The implementation and spread plan, in the network's last report.
    plan_kept = models.TextField(_("what we keep"), blank=True)
    plan_spread = models.TextField(_("where it will be spread"), blank=True)
    plan_responsible = models.CharField(_("who is responsible"), max_length=200, blank=True)
    plan_by = models.DateField(_("by when"), null=True, blank=True)
    plan_measures = models.TextField(_("how the measures continue"), blank=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    pdf = models.FileField(_("PDF"), upload_to="reports/", blank=True)
    delivered_at = models.DateTimeField(_("PDF e-mailed"), null=True, blank=True)
    #: Held by the worker that makes and e-mails the PDF (lib.leases).
    delivery_lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    # The last reopening: why, when and by whom; the team leader is e-mailed the reason.
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reopened by"),
    )
    reopen_notified_at = models.DateTimeField(_("reopening e-mailed"), null=True, blank=True)
    #: Held by the worker that e-mails the reopening to the team leader (lib.leases).
    reopen_lease_until = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ScopedManager(centre="team__network__centre")

    class Meta:
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")
        ordering = ["team", "period__due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "period"],
                name="status_report_once",
                violation_error_message=_("The team already has a report for this period."),
            ),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{name}__isnull": True})
                    | models.Q(**{f"{name}__in": SCORES}),
                    name=f"status_report_{name}_on_scale",
                    violation_error_message=_("A progress score is 0.5 to 5.0 in half steps."),
                )
                for name in ("proposed_score", "score")
            ),
        ]

    def __str__(self):
        return f"{self.team} – {self.period}"

    @property
    def is_locked(self):
        return self.status == ReportStatus.SUBMITTED

    @property
    def has_plan(self):
        return any(
            (
                self.plan_kept,
                self.plan_spread,
                self.plan_responsible,
                self.plan_by,
                self.plan_measures,
            )
        )


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class Export(models.Model):
    """A heavy file (the network summary PDF) made by a worker, not in the request."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="exports", verbose_name=_("network")
    )
    requested_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("requested by")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    file = models.FileField(_("file"), upload_to="exports/", blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    #: Held by the worker that builds the file (lib.leases).
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = ScopedManager(centre="network__centre")

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.network} ({self.get_status_display()})"
