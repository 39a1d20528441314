"""The privacy pages in a real browser: axe-clean, and readable at 390 px."""

import pytest
from django.urls import reverse

from tests.browser.conftest import admin_login, screenshot
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


def test_a_coordinator_erases_a_person_from_the_admin(page, demo):
    from network.models import Person

    person = Person.objects.filter(memberships__isnull=False, user__isnull=False).first()
    name = person.name
    admin_login(page, "koordinator@demo.no")
    page.goto(reverse("admin:network_person_change", args=[person.pk]))
    page.get_by_role("link", name="Slett personopplysninger").click()
    assert page.get_by_role("heading", name=f"Slett personopplysningene til {name}").is_visible()
    screenshot(page, "privacy-erase-desktop")
    assert axe_violations(page) == []
    # Without the tick: a message by the box, nothing erased.
    page.get_by_role("button", name="Slett personopplysningene").click()
    assert page.get_by_text("Kryss av i boksen for å bekrefte slettingen.").first.is_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "privacy-erase-390")
    page.get_by_label("Jeg forstår at slettingen ikke kan angres.").check()
    page.get_by_role("button", name="Slett personopplysningene").click()
    assert page.get_by_text("Personopplysningene er slettet og innloggingen stengt.").is_visible()
    screenshot(page, "privacy-erased-admin-390")
    person.refresh_from_db()
    assert person.name == "slettet person" and person.email == ""
