"""The privacy pages in a real browser: axe-clean, and readable at 390 px."""

import pytest
from django.urls import reverse

from tests.browser.conftest import admin_login, login, screenshot
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
    page.wait_for_url(f"**{reverse('accessibility')}")
    page.get_by_role("link", name="Personvernerklæring").click()
    page.wait_for_url(f"**{reverse('privacy:statement')}")


def test_a_coordinator_erases_a_person_from_the_admin(page, demo):
    from network.models import Person

    person = Person.objects.filter(memberships__isnull=False, user__isnull=False).first()
    name = person.name
    admin_login(page, "koordinator@demo.no")
    page.goto(reverse("admin:network_person_change", args=[person.pk]))
    screenshot(page, "privacy-person-admin-desktop")
    page.get_by_role("link", name="Slett personopplysninger").click()
    page.wait_for_selector(f"h1:has-text('Slett personopplysningene til {name}')")
    screenshot(page, "privacy-erase-desktop")
    assert axe_violations(page) == []
    # Without the tick: a message by the box, nothing erased.
    page.get_by_role("button", name="Slett personopplysningene").click()
    page.wait_for_selector("text=Kryss av i boksen for å bekrefte slettingen.")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "privacy-erase-390")
    page.get_by_label("Jeg forstår at slettingen ikke kan angres.").check()
    page.get_by_role("button", name="Slett personopplysningene").click()
    page.wait_for_selector("text=Personopplysningene er slettet og innloggingen stengt.")
    screenshot(page, "privacy-erased-admin-390")
    person.refresh_from_db()
    assert person.name == "slettet person" and person.email == ""


def test_the_status_report_warns_about_patient_data_on_a_phone(page, demo):
    from reports.models import ReportPeriod
    from teams.models import Team

    team = Team.objects.get(unit="Leknes sykehjem, avdeling 2")
    period = ReportPeriod.objects.filter(network=team.network).first()
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "teamleder@demo.no")
    page.goto(reverse("reports:report", args=[team.pk, period.pk]))
    warning = page.locator(".patient-data-warning")
    assert "Ikke skriv noe som kan identifisere en pasient" in warning.inner_text()
    first_field = page.locator("textarea").first
    assert warning.bounding_box()["y"] < first_field.bounding_box()["y"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "report-patient-warning-390")
