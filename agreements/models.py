"""Participation agreements: versioned texts, one agreement per team, an event log."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from network.models import Network
from teams.models import Team


class AgreementText(models.Model):
    """One version of a network's agreement text. Versions are never changed:
    editing the text saves a new version (``services.save_text_version``)."""

    network = models.ForeignKey(
        Network,
        on_delete=models.CASCADE,
        related_name="agreement_texts",
        verbose_name=_("network"),
    )
    version = models.PositiveIntegerField(_("version"))
    introduction = models.TextField(_("introduction"))
    municipality_commitments = models.TextField(
        _("the municipality commits to"), help_text=_("One commitment per line.")
    )
    centre_commitments = models.TextField(
        _("USHT commits to"), help_text=_("One commitment per line.")
    )
    closing = models.TextField(_("closing text"), blank=True)
    hourly_rate = models.DecimalField(
        _("hourly rate for release time (NOK)"),
        max_digits=8,
        decimal_places=2,
        default=450,
        validators=[MinValueValidator(0)],
        help_text=_("Used to estimate what releasing staff (frikjøp) costs."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedManager(centre="network__centre")

    class Meta:
        verbose_name = _("agreement text")
        verbose_name_plural = _("agreement texts")
        ordering = ["network", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "version"], name="agreement_text_unique_version"
            ),
        ]

    def __str__(self):
        return _("%(network)s, version %(version)d") % {
            "network": self.network,
            "version": self.version,
        }

    @staticmethod
    def lines(text):
        return [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]


class AgreementStatus(models.TextChoices):
    NOT_SENT = "not_sent", _("Not sent")
    SENT = "sent", _("Sent")
    OPENED = "opened", _("Opened")
    SIGNED = "signed", _("Signed")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    VOIDED = "voided", _("Text changed, send again")


#: States in which the emailed link may still be used.
OPEN_STATES = (AgreementStatus.SENT, AgreementStatus.OPENED)


class Agreement(models.Model):
    team = models.OneToOneField(
        Team, on_delete=models.PROTECT, related_name="agreement", verbose_name=_("team")
    )
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AgreementStatus.choices,
        default=AgreementStatus.NOT_SENT,
    )
    text = models.ForeignKey(
        AgreementText,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("text version"),
    )
    recipient_name = models.CharField(_("sent to"), max_length=150, blank=True)
    recipient_email = models.EmailField(_("sent to e-mail"), blank=True)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    token_expires_at = models.DateTimeField(_("link expires"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    # What the signer gave and what the product recorded at that moment.
    signer_name = models.CharField(_("signed by"), max_length=150, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=150, blank=True)
    signer_email = models.EmailField(_("signer's e-mail"), blank=True)
    top_manager_name = models.CharField(_("top management attendee"), max_length=150, blank=True)
    top_manager_email = models.EmailField(_("top management attendee's e-mail"), blank=True)
    signed_at = models.DateTimeField(_("signed (UTC)"), null=True, blank=True)
    signer_ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    signer_user_agent = models.TextField(_("browser (user agent)"), blank=True)
    document_html = models.TextField(_("the signed document"), blank=True)
    document_sha256 = models.CharField(
        _("SHA-256 of the signed document"), max_length=64, blank=True
    )
    declined_at = models.DateTimeField(_("declined"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    pdf = models.FileField(_("signed PDF"), upload_to="agreements/", blank=True)
    #: Of the PDF's bytes as stored and e-mailed: the verification page compares an
    #: uploaded file with it.
    pdf_sha256 = models.CharField(
        _("SHA-256 of the signed PDF"), max_length=64, blank=True, db_index=True
    )
    delivered_at = models.DateTimeField(_("PDF e-mailed"), null=True, blank=True)
    #: Held by the worker that e-mails the signed PDF (lib.leases).
    delivery_lease_until = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ScopedManager(centre="team__network__centre")

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["team__network", "team__municipality__name", "team__unit"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="signed")
                | (models.Q(signed_at__isnull=False) & ~models.Q(document_sha256="")),
                name="agreement_signed_has_record",
            ),
        ]

    def __str__(self):
        return f"{self.reference} – {self.team}"


class EventKind(models.TextChoices):
    SENT = "sent", _("Sent")
    OPENED = "opened", _("Opened")
    SIGNED = "signed", _("Signed")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    RESENT = "resent", _("Resent")
    VOIDED = "voided", _("Link voided")
    DELIVERED = "delivered", _("Signed PDF e-mailed")


class AgreementEvent(models.Model):
    """The append-only log of what happened to an agreement."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="events", verbose_name=_("agreement")
    )
    kind = models.CharField(_("event"), max_length=10, choices=EventKind.choices)
    at = models.DateTimeField(_("time"))
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    objects = ScopedManager(centre="agreement__team__network__centre")

    class Meta:
        verbose_name = _("agreement event")
        verbose_name_plural = _("agreement events")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Agreement events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Agreement events are append-only.")
