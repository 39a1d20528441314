"""The privacy pages in a real browser: axe-clean, and readable at 390 px."""

import pytest
from django.urls import reverse

from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import axe_violations
from tests.factories import CentreFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_privacy_statement_on_a_phone(page):
    CentreFactory(
        name="USHT Nordland",
        privacy_contact="Personvernombudet i Bodø kommune",
        privacy_email="personvern@bodo.kommune.no",
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(reverse("privacy:statement"))
    assert page.get_by_role("heading", name="Personvernerklæring").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "privacy-statement-390")
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "privacy-statement-desktop")
    page.get_by_role("link", name="Tilgjengelighetserklæring").click()
    page.get_by_role("link", name="Personvernerklæring").click()
    assert page.url.endswith(reverse("privacy:statement"))
