"""A coordinator sets up two-factor login through the e-mailed link, in a real
browser, at desktop and phone width; every step passes axe."""

import re

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.browser.conftest import AXE, login, screenshot
from tests.browser.test_accessibility import axe_violations

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def otp(settings):
    settings.OTP_REQUIRED = True


def checked(page, name, failures):
    if AXE.exists():
        violations = axe_violations(page)
        if violations:
            failures[name] = violations
    screenshot(page, name)


@pytest.mark.parametrize("width", [1280, 390])
def test_coordinator_sets_up_two_factor_through_the_mailed_link(
    chromium, live_server, demo, otp, width
):
    context = chromium.new_context(
        base_url=live_server.url, locale="nb-NO", viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    failures = {}
    login(page, "koordinator@demo.no")
    page.goto("/admin/")
    assert "/konto/2fa/" in page.url
    page.wait_for_selector("text=Vi har sendt en lenke")
    assert page.locator("svg.segno").count() == 0
    checked(page, f"2fa-link-sent-{width}", failures)

    link = re.search(r"(/konto/2fa/oppsett/\S+/)", mail.outbox[-1].body).group(1)
    # Someone else's session is refused, clearly.
    other = chromium.new_context(base_url=live_server.url, locale="nb-NO")
    other_page = other.new_page()
    login(other_page, "teamleder@demo.no")
    other_page.goto(link)
    other_page.wait_for_selector("text=en annen konto")
    checked(other_page, f"2fa-link-refused-{width}", failures)
    other.close()

    page.goto(link)
    page.wait_for_selector("svg.segno")
    checked(page, f"2fa-setup-{width}", failures)
    device = TOTPDevice.objects.get(user__email="koordinator@demo.no")
    page.get_by_label("Kode fra autentiseringsappen").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Bekreft").click()
    page.wait_for_selector("text=Gjenopprettingskodene dine")
    assert page.locator(".recovery-codes li").count() == 10
    checked(page, f"2fa-recovery-codes-{width}", failures)
    page.get_by_role("link", name="Jeg har tatt vare på kodene, fortsett").click()
    page.wait_for_load_state()
    assert page.url.endswith("/admin/")
    context.close()
    assert failures == {}
