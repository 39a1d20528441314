"""The demo's two-factor coordinator: seed_demo prints a TOTP secret, and a code made
from that secret alone (as an authenticator app or oathtool makes it) logs in."""

import base64
import datetime as dt
import hashlib
import hmac
import io
import re
import struct

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)


def totp_from_secret(secret: str, when: dt.datetime) -> str:
    """RFC 6238 (SHA-1, 30 s, 6 digits), from the base32 secret only."""
    counter = struct.pack(">Q", int(when.timestamp()) // 30)
    digest = hmac.new(base64.b32decode(secret), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def test_the_printed_secret_logs_the_demo_coordinator_in(client, settings, time_machine):
    time_machine.move_to(START, tick=False)
    settings.OTP_REQUIRED = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    printed = out.getvalue()
    secret = re.search(r"TOTP secret ([A-Z2-7]+)", printed).group(1)
    assert f"oathtool --totp -b {secret}" in printed
    assert "koordinator.2fa@demo.no" in printed
    client.post("/konto/logg-inn/", {"username": "koordinator.2fa@demo.no", "password": "demo1234"})
    asked = client.get("/admin/")
    assert asked.status_code == 302 and asked["Location"].startswith("/konto/2fa/")
    page = client.get(asked["Location"]).content.decode()
    assert "<svg" not in page  # a confirmed app: no QR code, only the code field
    wrong = client.post("/konto/2fa/?next=/admin/", {"code": "000000"})
    assert wrong.status_code == 200
    later = START + dt.timedelta(seconds=5)  # past the throttle of the wrong code
    time_machine.move_to(later, tick=False)
    right = client.post("/konto/2fa/?next=/admin/", {"code": totp_from_secret(secret, later)})
    assert right.status_code == 302 and right["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    # Seeding again keeps the same device and secret.
    call_command("seed_demo", stdout=io.StringIO())
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_scopes import scopes_disabled

    with scopes_disabled():
        assert TOTPDevice.objects.filter(user__email="koordinator.2fa@demo.no").count() == 1
