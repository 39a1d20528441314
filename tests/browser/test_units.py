"""The unit leader's journey and the improvement board, in a real browser."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from teams.models import Team
from tests.browser.conftest import login, screenshot
from units.models import BoardCard, Column, ResultRequest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

UNIT = "Leknes sykehjem, avdeling 2"


def test_8_unit_leader_sees_the_charts_and_asks_and_the_team_leader_sees_it(page, demo):
    team = Team.objects.get(unit=UNIT)
    login(page, "enhetsleder@demo.no")
    # The login lands on the unit's page: the unit leader is on no team.
    assert page.url.endswith(reverse("units:unit", args=[team.pk]))
    assert page.get_by_role("heading", name=UNIT, level=1).is_visible()
    charts = page.locator("#measures-heading ~ article figure svg")
    assert charts.count() == 2 and charts.first.is_visible()
    assert "Signal" in page.locator("#measures-heading ~ article").first.inner_text()
    assert page.get_by_role("heading", name="Statusrapporter").is_visible()
    assert page.get_by_role("heading", name="Neste på tidslinjen").is_visible()
    page.get_by_label("Melding til teamet (valgfritt)").fill(
        "Hvordan går det med fallene om natten? Jeg vil gjerne høre før neste samling."
    )
    page.get_by_role("button", name="Etterspør resultat").click()
    page.wait_for_selector("text=Teamlederen er bedt om en oppdatering")
    assert page.get_by_text("Du etterspurte resultat fra teamet").is_visible()
    assert page.get_by_role("button", name="Etterspør resultat").count() == 0
    screenshot(page, "8-unit-leader-asked-for-results")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "8-unit-leader-page-390")

    request = ResultRequest.objects.get(team=team)
    assert request.is_open and request.emailed_at is not None
    [message] = [m for m in mail.outbox if m.subject.startswith("Enhetslederen etterspør")]
    assert message.to == ["teamleder@demo.no"]
    assert "Hvordan går det med fallene om natten?" in message.body
    link = re.search(r"(/team/\d+/)", message.body).group(1)

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, "teamleder@demo.no")
    page.goto(link)
    notice = page.locator("section.alert", has_text="Enhetsleder etterspør resultat")
    assert notice.is_visible()
    assert "Hvordan går det med fallene om natten?" in notice.inner_text()
    assert "Marit Berg etterspurte resultat fra teamet" in notice.inner_text()
    screenshot(page, "8-team-leader-sees-the-request")


def test_9_the_board_on_desktop_large_screen_and_phone(page, demo):
    team = Team.objects.get(unit=UNIT)
    card = BoardCard.objects.get(team=team, title="Sensormatte ved sengen")
    login(page, "teamleder@demo.no")
    page.goto(reverse("teams:team", args=[team.pk]))
    page.get_by_role("link", name="Forbedringstavle").click()
    page.wait_for_selector("h1:has-text('Forbedringstavle')")
    for column in ("Nye", "Tester (PDSA)", "Innført", "Lagt til side"):
        assert page.get_by_role("heading", name=re.compile(re.escape(column))).is_visible()
    # A move is a plain form button: no script needed.
    page.get_by_role("button", name="Til Tester (PDSA): Sensormatte ved sengen").click()
    page.wait_for_selector("text=Sensormatte ved sengen ble flyttet til Tester (PDSA).")
    card.refresh_from_db()
    assert card.column == Column.TESTING
    testing = page.locator("section", has=page.locator("#column-testing"))
    assert "Sensormatte ved sengen" in testing.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    screenshot(page, "9-board-desktop")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "9-board-390")

    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(reverse("units:board_display", args=[team.pk]))
    assert page.locator("form, button, nav, input").count() == 0
    size = page.locator(".board-display-card-title").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert size >= 28  # readable from across the meeting room
    assert page.evaluate("document.documentElement.scrollWidth") <= 1920
    screenshot(page, "9-board-large-screen")
    assert page.console_errors == []
