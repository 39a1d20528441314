"""Charts in the browser: a team leader enters rare events and downloads the chart; a
coordinator reads the network's small multiples, with the pooled chart; each page
passes axe and is photographed at desktop width and at 390 px."""

import datetime as dt

import pytest
from django.urls import reverse

from network.models import MeasureKind, RecommendedMeasure
from teams.models import ChartType, Measure, Team
from teams.services import create_measure, save_series
from tests.browser.conftest import axe_violations, login, require_axe, screenshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_team_leader_enters_rare_events_and_downloads_the_chart(page, demo):
    require_axe()
    team = Team.objects.get(unit="Leknes sykehjem, avdeling 2")
    measure = Measure.objects.create(
        team=team,
        name="Trykksår (dager mellom)",
        kind=MeasureKind.EVENTS,
        chart=ChartType.T,
        definition="Dato for hvert nytt trykksår kategori 2 eller høyere.",
    )
    login(page, "teamleder@demo.no")
    page.goto(reverse("teams:measure", args=[team.pk, measure.pk]))
    field = page.get_by_label("Hendelser, én dato per linje")
    typed = "03.01.2026\n28.01.2026\n30.02.2026"
    field.fill(typed)
    page.get_by_role("button", name="Lagre hendelsene").click()
    page.wait_for_selector(".invalid-feedback")
    assert "Linje 3: «30.02.2026» er ikke en dato" in page.locator(".invalid-feedback").inner_text()
    assert page.get_by_label("Hendelser, én dato per linje").input_value() == typed
    dates = ["03.01.2026", "28.01.2026", "02.03.2026", "15.03.2026", "20.05.2026", "01.09.2026"]
    dates += ["12.10.2026", "30.10.2026"]
    page.get_by_label("Hendelser, én dato per linje").fill("\n".join(dates))
    page.get_by_role("button", name="Lagre hendelsene").click()
    page.wait_for_selector("text=Lagret 8 datoer med hendelser.")
    caption = page.locator("figure figcaption").first.inner_text()
    assert caption.startswith("T-diagram, 7 punkter.")
    assert axe_violations(page) == []
    assert page.console_errors == []
    screenshot(page, "charts-rare-events")
    with page.expect_download() as svg:
        page.get_by_role("link", name="Last ned som SVG").click()
    assert svg.value.suggested_filename == "trykksar-dager-mellom.svg"
    with page.expect_download() as png:
        page.get_by_role("button", name="Last ned som PNG").click()
    assert png.value.suggested_filename == "trykksar-dager-mellom.png"
    with open(png.value.path(), "rb") as file:
        assert file.read(8) == b"\x89PNG\r\n\x1a\n"
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "charts-rare-events-390")


def test_a_coordinator_reads_the_small_multiples_and_the_pooled_chart(page, demo):
    require_axe()
    team = Team.objects.get(unit="Leknes sykehjem, avdeling 2")
    name = "Andel pasienter risikovurdert for fall"
    recommended = RecommendedMeasure.objects.get(focus_area=team.focus_area, name=name)
    months = [dt.date(2025 + (m - 1) // 12, (m - 1) % 12 + 1, 1) for m in range(9, 23)]
    others = list(team.network.teams.exclude(pk=team.pk)[:4])
    for number, other in enumerate(others):
        measure = create_measure(
            other, recommended=recommended, period="month", chart="p" if number % 2 else "run"
        )
        save_series(
            measure,
            [(m, min(24, 8 + number * 3 + i % 5), 24, None) for i, m in enumerate(months)],
        )
    login(page, "koordinator@demo.no")
    page.goto(reverse("reports:network_measure", args=[team.network.pk, recommended.pk]))
    page.wait_for_selector(f"h1:has-text('{name}')")
    assert page.locator("article.card").count() == 1 + len(others)
    pooled = page.locator("#pooled-heading + figure figcaption").inner_text()
    assert pooled.startswith("P-diagram, 14 punkter.")
    assert f"Team som rapporterer per periode (høyst {1 + len(others)})" in pooled
    assert axe_violations(page) == []
    assert page.console_errors == []
    screenshot(page, "charts-small-multiples")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "charts-small-multiples-390")
