"""The driver diagram in a real browser: a team leader builds one from the
intervention bundle, links a PDSA cycle to a change idea and finds the diagram in
the status report's PDF; the same forms with the keyboard alone on a phone."""

import io
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader

from improvement.models import ChangeIdea, Driver, DriverDiagram
from reports.models import ReportStatus, StatusReport
from teams.models import Team
from tests.browser.conftest import ARTIFACTS, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ASSESS = "Vurder fallrisiko ved innkomst og ved endret tilstand"


@pytest.fixture
def team(demo):
    """The demo team, with its demo diagram taken away: the leader starts afresh."""
    team = Team.objects.get(unit="Leknes sykehjem, avdeling 2")
    DriverDiagram.objects.filter(team=team).delete()
    return team


def test_8_team_leader_builds_a_driver_diagram_and_finds_it_in_the_report_pdf(page, team):
    login(page, "teamleder@demo.no")
    page.goto(reverse("teams:team", args=[team.pk]))
    assert page.get_by_text("Teamet har ikke laget et driverdiagram ennå.").is_visible()
    page.get_by_role("link", name="Lag driverdiagrammet").click()
    page.wait_for_selector("h1:has-text('Driverdiagram')")

    # A primary driver, from the form on the diagram's page.
    page.get_by_label("Driver", exact=True).fill("Ansatte kjenner beboernes fallrisiko")
    page.get_by_role("button", name="Legg til driveren").click()
    page.wait_for_selector("text=ble lagt til")
    # A secondary driver under it: the level is chosen already.
    page.get_by_role("link", name="Legg til en sekundær driver").click()
    assert "Ansatte kjenner" in page.get_by_label("Nivå").locator("option:checked").inner_text()
    page.get_by_label("Driver").fill("Risikovurdering ved innkomst")  # "Driver*": required
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_selector("text=Risikovurdering ved innkomst")
    secondary = Driver.objects.get(text="Risikovurdering ved innkomst")
    assert secondary.parent.text == "Ansatte kjenner beboernes fallrisiko"

    # From the bundle: one click, placed under the secondary driver.
    row = page.locator("#bundle li", has_text=ASSESS)
    row.get_by_label("Under driveren").select_option(label="– Risikovurdering ved innkomst")
    row.get_by_role("button", name="Legg til som endringsidé").click()
    page.wait_for_selector(f"text=Endringsideen «{ASSESS}» ble lagt til.")
    assert page.locator("#bundle li", has_text=ASSESS).get_by_text("Lagt til").is_visible()
    idea = ChangeIdea.objects.get(diagram__team=team, text=ASSESS)
    assert idea.driver == secondary and idea.intervention is not None

    # The PDSA cycle that tests it, and the measure that shows its effect.
    page.get_by_role("link", name=f"Endre: {ASSESS}").click()
    page.get_by_label("Fallrisiko vurderes ved innkomst (01.02.2026)").check()
    page.get_by_label("Andel pasienter risikovurdert for fall").check()
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_selector("text=Endringsideen er lagret.")
    assert [c.change for c in idea.cycles.all()] == ["Fallrisiko vurderes ved innkomst"]
    svg = page.locator("svg.driver-diagram")
    assert "PDSA: 1 · målinger: 1" in svg.inner_html()
    page.get_by_text("Diagrammet som liste").click()
    listed = page.locator(".driver-diagram-list").inner_text()
    assert f"Endringsidé: {ASSESS} Testet i: Fallrisiko vurderes ved innkomst." in listed
    screenshot(page, "8-driver-diagram-built")

    # The status report: the diagram is in it, and in its PDF.
    period = team.network.report_periods.get(number=1)
    page.goto(reverse("reports:report", args=[team.pk, period.pk]))
    assert page.locator("svg.driver-diagram").is_visible()
    page.get_by_label("Hva som fungerte").fill("Risikovurdering ved innkomst")
    page.get_by_label("Utfordringer").fill("Vikarer")
    page.get_by_label("Neste steg").fill("Spre til avdeling 3")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Send inn rapporten").click()
    page.wait_for_selector("text=Rapporten er sendt inn og låst.")
    report = StatusReport.objects.get(team=team, period=period)
    assert report.status == ReportStatus.SUBMITTED and report.pdf
    page.goto(reverse("reports:report", args=[team.pk, period.pk]))
    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned PDF-en").click()
    content = Path(download.value.path()).read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    text = " ".join(text.split())
    assert "Driverdiagram" in text
    assert f"Endringsidé: {ASSESS}" in text
    assert "Testet i: Fallrisiko vurderes ved innkomst." in text
    assert "Sekundær driver: Risikovurdering ved innkomst" in text
    assert page.console_errors == []
    page.goto(reverse("improvement:diagram", args=[team.pk]))
    screenshot(page, "8-driver-diagram-after-report")


def test_the_driver_diagram_with_the_keyboard_alone_on_a_phone(page, team):
    from tests.browser.test_accessibility import tab_to

    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "teamleder@demo.no")
    page.goto(reverse("improvement:diagram", args=[team.pk]))
    tab_to(page, "#new-driver-text")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.type("Trygge omgivelser")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Driveren «Trygge omgivelser» ble lagt til.")
    # One bundle intervention, placed under the new driver, by keyboard.
    tab_to(page, "#bundle li:nth-child(5) select", limit=120)
    page.keyboard.press("ArrowDown")
    tab_to(page, "#bundle li:nth-child(5) button")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=ble lagt til.")
    idea = ChangeIdea.objects.get(diagram__team=team)
    assert idea.driver.text == "Trygge omgivelser"
    assert idea.text.startswith("Tilpass miljøet")
    # Nothing on the page is wider than the phone but the picture, which scrolls.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    screenshot(page, "8-driver-diagram-keyboard-390")
    page.locator("svg.driver-diagram").screenshot(
        path=str(ARTIFACTS / "8-driver-diagram-figure-390.png")
    )
