"""Two-factor login (TOTP) for coordinators and superusers.

When ``OTP_REQUIRED`` is on (always in production), a coordinator or superuser
who has logged in with a password is sent to /konto/2fa/ until they give a
code from their authenticator app; the first time, they set the app up there.
"""

import base64

import segno
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from network.access import access_of
from security.models import EventKind
from security.signals import record

EXEMPT_PREFIXES = (
    "/konto/2fa/",
    "/konto/logg-ut/",
    "/static/",
    "/sprak/",
    "/healthz",
    "/admin/logout/",
)


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


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=gettext_lazy("Code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": gettext_lazy("The code has six digits.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _qr_svg(device):
    """The device's otpauth:// address as an inline SVG QR code (no inline style)."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, title=_("QR code for your authenticator app")
    )
    return mark_safe(svg)  # noqa: S308 - segno's own markup


@login_required
def two_factor(request):
    user = request.user
    next_url = request.GET.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = reverse("home")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setting_up = device is None
    if setting_up:
        device = TOTPDevice.objects.filter(
            user=user, confirmed=False
        ).first() or TOTPDevice.objects.create(user=user, name="app", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            record(EventKind.TWO_FACTOR, request=request, user=user)
            return redirect(next_url)
        record(EventKind.TWO_FACTOR_FAILED, request=request, user=user)
        form.add_error("code", _("The code is wrong or too old. Try the code the app shows now."))
    return render(
        request,
        "security/two_factor.html",
        {
            "form": form,
            "setting_up": setting_up,
            "qr": _qr_svg(device) if setting_up else None,
            "secret": _base32(device) if setting_up else None,
        },
    )


def _base32(device):
    return base64.b32encode(device.bin_key).decode()
