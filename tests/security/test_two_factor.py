"""Two-factor login: a first authenticator app only through a link e-mailed to the
account's own address, recovery codes, and a superuser's reset."""

import datetime as dt
import re

import pytest
from django.contrib.admin import helpers
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lib.tokens import hash_token
from security import services
from security.models import EnrolmentLink, EventKind, RecoveryCode, SecurityEvent

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)
TWO_FACTOR = "/konto/2fa/"


@pytest.fixture
def otp(settings, time_machine):
    settings.OTP_REQUIRED = True
    settings.SITE_URL = ""
    time_machine.move_to(START, tick=False)
    return time_machine


def login(client, user, password="pw"):
    response = client.post(
        reverse("security:login"), {"username": user.email, "password": password}
    )
    assert response.status_code == 302
    return response


def mailed_link(mailoutbox):
    return re.search(r"(/konto/2fa/oppsett/\S+/)", mailoutbox[-1].body).group(1)


def events(kind):
    return list(SecurityEvent.objects.filter(kind=kind).order_by("id"))


def code_now(device):
    device.refresh_from_db()
    return f"{totp(device.bin_key):06d}"


def enrol(client, user, mailoutbox, otp):
    """Log in, open the mailed link, confirm the app: answers (device, recovery codes)."""
    login(client, user)
    client.get(TWO_FACTOR)
    client.get(mailed_link(mailoutbox))
    device = TOTPDevice.objects.get(user=user)
    page = client.post(TWO_FACTOR, {"code": code_now(device)})
    return device, page.context["codes"]


def test_a_password_alone_shows_no_qr_code_and_mails_a_link_to_the_account(
    client, coordinator, otp, mailoutbox
):
    """The attack: someone who knows a coordinator's password logs in first."""
    login(client, coordinator)
    response = client.get(reverse("admin:index"))
    assert response["Location"] == f"{TWO_FACTOR}?next=/admin/"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" not in html and "secret" not in page.context and "qr" not in page.context
    assert "Vi har sendt en lenke" in html and coordinator.email in html
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    # The link goes to the account's own address and carries a token kept only as a hash.
    assert [m.to for m in mailoutbox] == [[coordinator.email]]
    token = mailed_link(mailoutbox).split("/")[-2]
    link = EnrolmentLink.objects.get(user=coordinator)
    assert link.token_hash == hash_token(token) and token not in str(vars(link))
    assert link.expires_at - link.created_at == dt.timedelta(minutes=30)
    assert events(EventKind.ENROLMENT_LINK_SENT)[0].user == coordinator
    # Still no way past the second factor.
    assert client.get(reverse("admin:index")).status_code == 302
    assert "Koden er feil" not in client.post(TWO_FACTOR, {"code": "123456"}).content.decode()
    assert not TOTPDevice.objects.filter(user=coordinator).exists()


def test_the_link_is_sent_again_at_most_once_a_minute(client, coordinator, otp, mailoutbox):
    login(client, coordinator)
    client.get(TWO_FACTOR)
    client.get(TWO_FACTOR)  # a reload sends nothing while the first link is open
    assert len(mailoutbox) == 1
    refused = client.post(TWO_FACTOR, {"send_again": "1"}, follow=True)
    assert "mindre enn ett minutt siden" in refused.content.decode()
    assert len(mailoutbox) == 1
    otp.move_to(START + dt.timedelta(seconds=61), tick=False)
    sent = client.post(TWO_FACTOR, {"send_again": "1"}, follow=True)
    assert "En ny lenke er sendt" in sent.content.decode()
    assert len(mailoutbox) == 2
    assert len(events(EventKind.ENROLMENT_LINK_SENT)) == 2


def test_the_link_opens_the_qr_code_once_for_its_owner(client, coordinator, otp, mailoutbox):
    login(client, coordinator)
    client.get(f"{TWO_FACTOR}?next=/admin/")
    link = mailed_link(mailoutbox)
    opened = client.get(link)
    assert opened["Location"] == f"{TWO_FACTOR}?next=%2Fadmin%2F"
    page = client.get(opened["Location"])
    assert "<svg" in page.content.decode() and page.context["secret"]
    # Single use: the link does not open a second time, not even for its owner.
    again = client.get(link)
    assert again.status_code == 410 and "allerede brukt" in again.content.decode()
    # The QR code stays on the page in this session until the app is confirmed.
    assert "<svg" in client.get(TWO_FACTOR).content.decode()
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    wrong = client.post(TWO_FACTOR, {"code": "000000"})
    assert "Koden er feil eller for gammel" in wrong.content.decode()
    otp.move_to(START + dt.timedelta(seconds=30), tick=False)
    done = client.post(f"{TWO_FACTOR}?next=/admin/", {"code": code_now(device)})
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    html = done.content.decode()
    assert all(code in html for code in codes) and 'href="/admin/"' in html
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("admin:index")).status_code == 200
    # Only hashes are stored; the codes are never shown again.
    stored = list(RecoveryCode.objects.filter(user=coordinator).values_list("code_hash", flat=True))
    assert sorted(stored) == sorted(hash_token(c.replace("-", "")) for c in codes)
    assert not any(code in client.get(TWO_FACTOR).content.decode() for code in codes)
    assert events(EventKind.DEVICE_ENROLLED)[0].user == coordinator


def test_an_expired_link_is_refused(client, coordinator, otp, mailoutbox):
    login(client, coordinator)
    client.get(TWO_FACTOR)
    otp.move_to(START + dt.timedelta(minutes=31), tick=False)
    response = client.get(mailed_link(mailoutbox))
    assert response.status_code == 410 and "utløpt" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=coordinator).exists()


def test_another_users_session_is_refused_and_the_link_still_works_for_its_owner(
    client, coordinator, outsider, otp, mailoutbox
):
    login(client, coordinator)
    client.get(TWO_FACTOR)
    link = mailed_link(mailoutbox)
    client.logout()
    # Not logged in (or a mail program's link checker): the login page, link untouched.
    anonymous = client.get(link)
    assert anonymous.status_code == 302 and "/konto/logg-inn/" in anonymous["Location"]
    login(client, outsider)
    refused = client.get(link)
    html = refused.content.decode()
    assert refused.status_code == 403
    assert "en annen konto" in html and outsider.email in html
    assert "<svg" not in html
    assert not TOTPDevice.objects.filter(user__in=[coordinator, outsider]).exists()
    assert events(EventKind.ENROLMENT_REFUSED)[0].user == outsider
    client.logout()
    login(client, coordinator)
    assert client.get(link).status_code == 302
    assert "<svg" in client.get(TWO_FACTOR).content.decode()


def test_a_device_someone_else_saw_before_the_link_is_replaced(
    client, coordinator, otp, mailoutbox
):
    """An unconfirmed device left by the old first-login set-up (whoever had the
    password saw its QR code) is never the one the person confirms."""
    seen = TOTPDevice.objects.create(user=coordinator, name="app", confirmed=False)
    login(client, coordinator)
    client.get(TWO_FACTOR)
    client.get(mailed_link(mailoutbox))
    device = TOTPDevice.objects.get(user=coordinator)
    assert device.pk != seen.pk and device.key != seen.key


def test_a_recovery_code_logs_in_once(client, coordinator, otp, mailoutbox):
    device, codes = enrol(client, coordinator, mailoutbox, otp)
    client.logout()
    login(client, coordinator)
    typed = codes[3].upper().replace("-", " ")  # as read off paper
    response = client.post(f"{TWO_FACTOR}?next=/admin/", {"code": typed}, follow=True)
    assert response.redirect_chain[0][0] == "/admin/"
    assert "Du har 9 igjen" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 200
    event = events(EventKind.RECOVERY_CODE_USED)[0]
    assert event.user == coordinator and event.detail == "9 left"
    client.logout()
    login(client, coordinator)
    again = client.post(TWO_FACTOR, {"code": codes[3]})
    assert "Gjenopprettingskoden er feil eller er brukt" in again.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302
    assert events(EventKind.TWO_FACTOR_FAILED)


def test_recovery_codes_are_throttled_like_app_codes(client, coordinator, otp, mailoutbox):
    device, codes = enrol(client, coordinator, mailoutbox, otp)
    client.logout()
    login(client, coordinator)
    client.post(TWO_FACTOR, {"code": "aaaaa-aaaaa"})
    # Right after a wrong code the device is throttled: even a right code waits.
    device.refresh_from_db()
    assert services.use_recovery_code(coordinator, device, codes[0]) is None
    otp.move_to(START + dt.timedelta(minutes=5), tick=False)
    assert services.use_recovery_code(coordinator, device, codes[0]) == 9


def test_a_superuser_resets_someones_two_factor(client, coordinator, superuser, otp, mailoutbox):
    enrol(client, coordinator, mailoutbox, otp)
    assert RecoveryCode.objects.filter(user=coordinator).count() == 10
    admin = client_for(superuser)
    changelist = reverse("admin:network_user_changelist")
    action = {"action": "reset_two_factor", helpers.ACTION_CHECKBOX_NAME: [coordinator.pk]}
    asked = admin.post(changelist, action).content.decode()
    assert "Tilbakestille tofaktorinnlogging?" in asked and coordinator.email in asked
    assert TOTPDevice.objects.filter(user=coordinator).exists()  # nothing done yet
    response = admin.post(changelist, {**action, "post": "yes"}, follow=True)
    assert "Tofaktorinnloggingen ble tilbakestilt for 1 person" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert not RecoveryCode.objects.filter(user=coordinator).exists()
    event = events(EventKind.DEVICES_RESET)[0]
    assert event.user == superuser and event.username == coordinator.email
    assert f"{superuser.email} reset the two-factor login of {coordinator.email}" in event.detail
    # The coordinator's session is no longer verified; a new link goes to their e-mail.
    sent = len(mailoutbox)
    assert client.get(reverse("admin:index"))["Location"] == f"{TWO_FACTOR}?next=/admin/"
    assert "<svg" not in client.get(TWO_FACTOR).content.decode()
    assert len(mailoutbox) == sent + 1 and mailoutbox[-1].to == [coordinator.email]
    client.get(mailed_link(mailoutbox))
    assert "<svg" in client.get(TWO_FACTOR).content.decode()


def test_only_superusers_reset(client, coordinator, outsider, otp, mailoutbox):
    enrol(client, coordinator, mailoutbox, otp)
    other = client_for(outsider)
    response = other.post(
        reverse("admin:network_user_changelist"),
        {"action": "reset_two_factor", helpers.ACTION_CHECKBOX_NAME: [coordinator.pk]},
    )
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=coordinator, confirmed=True).exists()
    assert not events(EventKind.DEVICES_RESET)


def client_for(user):
    """A second browser for ``user``, logged in and past the second factor."""
    device = TOTPDevice.objects.create(user=user, name="other", confirmed=True)
    other = Client()
    other.force_login(user)
    session = other.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return other
