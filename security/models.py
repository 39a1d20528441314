from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOCKOUT = "lockout", _("Locked out")
    LOGOUT = "logout", _("Logged out")
    TWO_FACTOR = "two_factor", _("Two-factor code accepted")
    TWO_FACTOR_FAILED = "two_factor_failed", _("Two-factor code refused")
    SIGNATURE = "signature", _("Agreement signed or declined")
    PERSON = "person", _("Person changed")
    ROLE = "role", _("Role changed")
    PASSWORD_RESET = "password_reset", _("New password through the e-mailed link")
    ENROLMENT_LINK_SENT = "enrolment_link", _("Two-factor set-up link sent")
    ENROLMENT_REFUSED = "enrolment_refused", _("Two-factor set-up link refused")
    DEVICE_ENROLLED = "device_enrolled", _("Authenticator app set up")
    RECOVERY_CODE_USED = "recovery_code", _("Recovery code used")
    DEVICES_RESET = "devices_reset", _("Two-factor login reset")


class SecurityEvent(models.Model):
    """Append-only: who did what that matters for security, from where, and when."""

    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("user name given"), max_length=254, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.username}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Security events are append-only.")
        super().save(*args, **kwargs)


class EnrolmentLink(models.Model):
    """A one-time link, e-mailed to the address of the user's account: the only way
    to set up a first authenticator app, so that a password alone is not enough to
    take over the second factor. Only the token's SHA-256 is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("two-factor set-up link")
        verbose_name_plural = _("two-factor set-up links")
        indexes = [models.Index(fields=["user", "created_at"], name="security_link_user_sent")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")),
                name="security_link_expires_after_sent",
                violation_error_message=_("A link expires after it is sent."),
            )
        ]

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"


class RecoveryCode(models.Model):
    """One of the codes shown once when an authenticator app is set up; each logs in
    once instead of a code from the app. Only the code's SHA-256 is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    code_hash = models.CharField(_("code hash"), max_length=64)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "code_hash"],
                name="security_recovery_code_once_per_user",
                violation_error_message=_("This recovery code exists already."),
            )
        ]

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"
