"""Two-factor login (TOTP) for coordinators and superusers.

When ``OTP_REQUIRED`` is on (always in production), a coordinator or superuser
who has logged in with a password is sent to /konto/2fa/ until they give a code
from their authenticator app, or one of their recovery codes.

A password alone does not let anyone set up the app: someone without one is sent
a one-time link to the e-mail address of their account (``EnrolmentLink``). The
link, opened in the same person's logged-in session, lets the 2FA page show the
QR code for 30 minutes; once the app's code is confirmed the page shows ten
recovery codes, once. A superuser resets someone's second factor with an action
on the users' admin page; the person then sets it up again through a new link.
"""

import base64
import datetime as dt

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from network.access import access_of
from security import services
from security.models import EventKind
from security.services import record

EXEMPT_PREFIXES = (
    "/konto/2fa/",
    "/konto/logg-ut/",
    "/static/",
    "/sprak/",
    "/healthz",
    "/admin/logout/",
)
#: In the session once the e-mailed link was opened: the new device and until when
#: the page may show its QR code.
ENROLMENT_SESSION_KEY = "two_factor_enrolment"
#: Where to go once the second factor is done, kept while the person reads their e-mail.
NEXT_SESSION_KEY = "two_factor_next"


def needs_second_factor(request) -> bool:
    """Coordinators and superusers give a code from their authenticator app."""
    return access_of(request).may_coordinate


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            getattr(settings, "OTP_REQUIRED", False)
            and not request.path.startswith(EXEMPT_PREFIXES)
            and needs_second_factor(request)
            and not request.user.is_verified()
        ):
            return redirect(f"{reverse('security:two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)


class SetupCodeForm(forms.Form):
    code = forms.RegexField(
        label=gettext_lazy("Code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": gettext_lazy("The code has six digits.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class CodeForm(forms.Form):
    """Six digits from the app, or a recovery code (ten letters and digits)."""

    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app, or a recovery code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "off"}),
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if code.isdigit() and len(code) == 6:
            self.is_recovery_code = False
            return code
        if len(services.normalise_recovery_code(code)) == 10:
            self.is_recovery_code = True
            return code
        raise forms.ValidationError(
            _("Type the six digits from the app, or a recovery code like abcde-fghjk.")
        )


def _qr_svg(device):
    """The device's otpauth:// address as an inline SVG QR code (no inline style)."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, title=_("QR code for your authenticator app")
    )
    return mark_safe(svg)  # noqa: S308 - segno's own markup


def _base32(device):
    return base64.b32encode(device.bin_key).decode()


def _next_url(request):
    next_url = request.GET.get("next") or request.session.get(NEXT_SESSION_KEY) or reverse("home")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = reverse("home")
    return next_url


@never_cache
@login_required
def two_factor(request):
    user = request.user
    next_url = _next_url(request)
    device = services.confirmed_device(user)
    if device is None:
        return _set_up(request, next_url)
    request.session.pop(ENROLMENT_SESSION_KEY, None)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if form.is_recovery_code:
            left = services.use_recovery_code(user, device, code, request=request)
            accepted = left is not None
        else:
            accepted = device.verify_token(code)
        if accepted:
            otp_login(request, device)
            request.session.pop(NEXT_SESSION_KEY, None)
            record(
                EventKind.TWO_FACTOR,
                request=request,
                user=user,
                detail="recovery code" if form.is_recovery_code else "",
            )
            if form.is_recovery_code:
                messages.warning(request, _recovery_codes_left(left))
            return redirect(next_url)
        record(EventKind.TWO_FACTOR_FAILED, request=request, user=user)
        form.add_error(
            "code",
            _("The recovery code is wrong or has been used.")
            if form.is_recovery_code
            else _("The code is wrong or too old. Try the code the app shows now."),
        )
    return render(request, "security/two_factor.html", {"form": form})


def _recovery_codes_left(left):
    if left == 0:
        return _(
            "You logged in with your last recovery code. If you have lost your phone, "
            "ask an administrator to reset your two-factor login."
        )
    return ngettext(
        "You logged in with a recovery code. You have %(left)d left.",
        "You logged in with a recovery code. You have %(left)d left.",
        left,
    ) % {"left": left}


def _enrolment_device(request):
    """The unconfirmed device of an opened set-up link, while its time lasts."""
    grant = request.session.get(ENROLMENT_SESSION_KEY)
    if not isinstance(grant, dict):
        return None
    until = dt.datetime.fromisoformat(grant.get("until", "2000-01-01T00:00:00+00:00"))
    if until <= timezone.now():
        request.session.pop(ENROLMENT_SESSION_KEY, None)
        return None
    return TOTPDevice.objects.filter(
        pk=grant.get("device"), user=request.user, confirmed=False
    ).first()


def _set_up(request, next_url):
    """No app yet: the QR code once the e-mailed link was opened in this session,
    otherwise the page that says the link was sent."""
    user = request.user
    device = _enrolment_device(request)
    if device is None:
        request.session[NEXT_SESSION_KEY] = next_url
        if request.method == "POST" and "send_again" in request.POST:
            outcome = services.send_enrolment_link(user, again=True, request=request)
            if outcome == "sent":
                messages.success(
                    request, _("A new link was sent to %(email)s.") % {"email": user.email}
                )
            else:
                messages.error(
                    request,
                    _("A link was sent less than a minute ago. Wait a minute, then try again."),
                )
            return redirect(request.get_full_path())
        services.send_enrolment_link(user, request=request)
        return render(
            request,
            "security/two_factor_link_sent.html",
            {
                "email": user.email,
                "minutes": int(services.LINK_LIFETIME.total_seconds() // 60),
            },
        )
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.confirm_device(
            user, device, form.cleaned_data["code"].strip(), request=request
        )
        if codes is not None:
            otp_login(request, device)
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            request.session.pop(NEXT_SESSION_KEY, None)
            record(EventKind.TWO_FACTOR, request=request, user=user)
            return render(
                request,
                "security/recovery_codes.html",
                {"codes": codes, "next_url": next_url},
            )
        record(EventKind.TWO_FACTOR_FAILED, request=request, user=user)
        form.add_error("code", _("The code is wrong or too old. Try the code the app shows now."))
    return render(
        request,
        "security/two_factor_setup.html",
        {"form": form, "qr": _qr_svg(device), "secret": _base32(device)},
    )


@never_cache
@login_required
def enrol(request, token):
    """The e-mailed set-up link: opened by the person it was sent to, it lets the 2FA
    page show a new QR code in this session."""
    try:
        device = services.open_enrolment_link(request.user, token, request=request)
    except services.LinkRefused as refused:
        if refused.reason == "enrolled":
            messages.info(request, _("Your authenticator app is set up already."))
            return redirect("security:two_factor")
        status = {"other_user": 403, "unknown": 404}.get(refused.reason, 410)
        return render(
            request,
            "security/two_factor_link_refused.html",
            {"reason": refused.reason},
            status=status,
        )
    request.session[ENROLMENT_SESSION_KEY] = {
        "device": device.pk,
        "until": (timezone.now() + services.LINK_LIFETIME).isoformat(),
    }
    next_url = request.session.get(NEXT_SESSION_KEY)
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    return redirect(reverse("security:two_factor") + query)
