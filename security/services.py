"""Every change the security app makes: the event log, lockouts lifted, and the
second factor (set-up links, authenticator apps, recovery codes, resets)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Literal

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from axes.utils import reset as axes_reset
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.plugins.otp_totp.models import TOTPDevice

from lib.emails import send_email
from lib.tokens import hash_token, new_token
from network.models import User
from security.context import client_ip, current_request
from security.lockout import username as lockout_username
from security.models import EnrolmentLink, EventKind, RecoveryCode, SecurityEvent

#: How long an e-mailed set-up link may be opened, and how long the set-up page then
#: shows its QR code.
LINK_LIFETIME = dt.timedelta(minutes=30)
#: At most one set-up link a minute per person.
RESEND_INTERVAL = dt.timedelta(minutes=1)
RECOVERY_CODE_COUNT = 10
#: No 0/o, 1/l/i: codes are read off paper.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def record(
    kind: str,
    *,
    request: HttpRequest | None = None,
    user: User | None = None,
    username: str = "",
    detail: str = "",
) -> SecurityEvent:
    """Writes a security event; the actor is the request's user unless ``user`` says."""
    request = request if request is not None else current_request.get()
    if user is None and request is not None:
        request_user = getattr(request, "user", None)
        if request_user is not None and request_user.is_authenticated:
            user = request_user
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        ip=client_ip(request),
        username=username or (user.email if user else ""),
        detail=detail[:500],
    )


# Lockouts


def password_reset(user: User, *, request: HttpRequest | None = None) -> int:
    """A new password chosen through the e-mailed link: the owner of the mailbox has
    shown who they are, so the lockout of their user name ends (from every IP address).
    Answers how many failed-login records were removed."""
    name = lockout_username(None, {"username": user.email})
    removed = axes_reset(username=name) if name else 0
    record(
        EventKind.PASSWORD_RESET,
        request=request,
        user=user,
        detail=f"lockout lifted ({removed} failed-login records removed)" if removed else "",
    )
    return removed


# The second factor: a first authenticator app only through a link in the user's e-mail


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


SendOutcome = Literal["sent", "too_soon", "still_open"]


def send_enrolment_link(
    user: User,
    *,
    again: bool = False,
    request: HttpRequest | None = None,
    now: dt.datetime | None = None,
) -> SendOutcome:
    """E-mails ``user`` a one-time link to set up their authenticator app.

    Sends nothing ("too_soon") when a link went out less than RESEND_INTERVAL ago,
    nor ("still_open"), unless the person asks ``again``, while an earlier link can
    still be opened. The user's row is locked while deciding, so two requests at
    once send one link.
    """
    now = now or timezone.now()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        links = EnrolmentLink.objects.filter(user=user)
        if links.filter(created_at__gt=now - RESEND_INTERVAL).exists():
            return "too_soon"
        if not again and links.filter(used_at=None, expires_at__gt=now).exists():
            return "still_open"
        token, digest = new_token()
        link = EnrolmentLink.objects.create(
            user=user, token_hash=digest, created_at=now, expires_at=now + LINK_LIFETIME
        )
    try:
        send_email(
            "two_factor_link",
            {
                "user": user,
                "link": settings.SITE_URL + reverse("security:two_factor_enrol", args=[token]),
                "minutes": int(LINK_LIFETIME.total_seconds() // 60),
            },
            [user.email],
        )
    except Exception:
        link.delete()  # not sent: the person may ask again at once
        raise
    record(EventKind.ENROLMENT_LINK_SENT, request=request, user=user, detail=f"to {user.email}")
    return "sent"


class LinkRefused(Exception):
    """Why a set-up link does not open: "unknown", "used", "expired", "other_user"
    (it belongs to someone else than the logged-in user) or "enrolled" (an app is
    set up already)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def open_enrolment_link(
    user: User, token: str, *, request: HttpRequest | None = None, now: dt.datetime | None = None
) -> TOTPDevice:
    """Uses the link (once) and answers a new, unconfirmed device whose QR code the
    set-up page shows. Any earlier unconfirmed device is removed: whoever saw its
    key must not end up holding the person's second factor."""
    now = now or timezone.now()
    link = EnrolmentLink.objects.filter(token_hash=hash_token(token)).first()
    if link is None:
        raise LinkRefused("unknown")
    if link.user_id != user.pk:
        record(
            EventKind.ENROLMENT_REFUSED,
            request=request,
            user=user,
            detail=f"opened the set-up link of user {link.user_id}",
        )
        raise LinkRefused("other_user")
    if confirmed_device(user) is not None:
        raise LinkRefused("enrolled")
    if link.used_at is not None:
        raise LinkRefused("used")
    if link.expires_at <= now:
        raise LinkRefused("expired")
    with transaction.atomic():
        if not EnrolmentLink.objects.filter(pk=link.pk, used_at=None).update(used_at=now):
            raise LinkRefused("used")  # opened twice at once: the other request won
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="app", confirmed=False)


def confirm_device(
    user: User, device: TOTPDevice, code: str, *, request: HttpRequest | None = None
) -> list[str] | None:
    """Confirms ``device`` when ``code`` is the one its app shows now, and answers the
    person's new recovery codes (to be shown once); None for a wrong code."""
    if device.user_id != user.pk or not device.verify_token(code):
        return None
    with transaction.atomic():
        if not TOTPDevice.objects.filter(pk=device.pk, confirmed=False).update(confirmed=True):
            return None
        device.confirmed = True
        EnrolmentLink.objects.filter(user=user, used_at=None).update(used_at=timezone.now())
        codes = new_recovery_codes(user)
    record(EventKind.DEVICE_ENROLLED, request=request, user=user)
    return codes


def new_recovery_codes(user: User) -> list[str]:
    """RECOVERY_CODE_COUNT new codes for ``user`` (the old ones stop working); only
    their hashes are stored."""
    codes = [_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(user=user, code_hash=hash_token(normalise_recovery_code(code)))
            for code in codes
        )
    return codes


def _recovery_code() -> str:
    letters = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
    return f"{letters[:5]}-{letters[5:]}"


def normalise_recovery_code(code: str) -> str:
    """As typed, with any case, spaces or dashes: the ten letters and digits."""
    return "".join(ch for ch in code.lower() if ch.isalnum())


def use_recovery_code(
    user: User, device: TOTPDevice, code: str, *, request: HttpRequest | None = None
) -> int | None:
    """Uses one of ``user``'s recovery codes instead of a code from the app; answers
    how many are left, or None when the code is wrong or used. Wrong codes slow down
    the device as wrong app codes do (django-otp's throttling)."""
    allowed, _throttle = device.verify_is_allowed()
    if not allowed:
        return None
    digest = hash_token(normalise_recovery_code(code))
    used = RecoveryCode.objects.filter(user=user, code_hash=digest, used_at=None).update(
        used_at=timezone.now()
    )
    if not used:
        device.throttle_increment(commit=True)
        return None
    device.throttle_reset(commit=True)
    left = RecoveryCode.objects.filter(user=user, used_at=None).count()
    record(EventKind.RECOVERY_CODE_USED, request=request, user=user, detail=f"{left} left")
    return left


def reset_two_factor(
    person: User, *, by: User, request: HttpRequest | None = None
) -> tuple[int, int]:
    """Removes ``person``'s authenticator devices, recovery codes and set-up links, so
    that they set up an app again through a new e-mailed link. Answers (devices,
    recovery codes) removed; the event names who reset whom."""
    with transaction.atomic():
        devices = list(devices_for_user(person, confirmed=None))
        for device in devices:
            device.delete()
        codes, _ = RecoveryCode.objects.filter(user=person).delete()
        EnrolmentLink.objects.filter(user=person).delete()
    record(
        EventKind.DEVICES_RESET,
        request=request,
        user=by,
        username=person.email,
        detail=(
            f"{by.email} reset the two-factor login of {person.email}: "
            f"{len(devices)} devices and {codes} recovery codes removed"
        ),
    )
    return len(devices), codes


# Erasure and retention


def close_account(user_id: int | None, *, person_id: int, email: str) -> None:
    """The second factor and lockout records of an erased person's login go (its
    password and address were closed by ``network.services.erase_person``); the
    event log says who erased whom, by number only."""
    if user_id is not None:
        TOTPDevice.objects.filter(user_id=user_id).delete()
        RecoveryCode.objects.filter(user_id=user_id).delete()
        EnrolmentLink.objects.filter(user_id=user_id).delete()
    if email:
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username__iexact=email).delete()
    record(EventKind.PERSON, detail=f"erased: person {person_id}")


def purge_log(now: dt.datetime | None = None) -> dict[str, int]:
    """Delete failed logins and lockouts (django-axes) older than
    ``RETENTION_LOGIN_ATTEMPT_DAYS`` and security events older than
    ``RETENTION_SECURITY_EVENT_DAYS``. DELETEs only: a second run deletes nothing."""
    now = now or timezone.now()
    attempts = now - dt.timedelta(days=settings.RETENTION_LOGIN_ATTEMPT_DAYS)
    events = now - dt.timedelta(days=settings.RETENTION_SECURITY_EVENT_DAYS)
    counts = {}
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        counts[model.__name__], _rows = model.objects.filter(attempt_time__lt=attempts).delete()
    counts["SecurityEvent"], _rows = SecurityEvent.objects.filter(at__lt=events).delete()
    return counts
