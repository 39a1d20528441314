"""Snakk om forbedring on a desktop and a phone: the legend of the comparison wraps
and never overlaps, and the table of scores scrolls inside its own box."""

import datetime as dt

import pytest
from django.urls import reverse

from assessments import services
from teams.models import Team
from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LONG = [
    "Etter første samling i læringsnettverket, med hele personalgruppen",
    "Før andre samling, på personalmøtet i avdelingen",
    "Etter tredje samling, med enhetsleder og brukerrepresentant",
]


def overlaps(boxes):
    return [
        (a, b)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    ]


@pytest.mark.parametrize("width", [1280, 390])
def test_the_legend_never_overlaps_and_the_table_keeps_every_column(page, demo, width):
    team = Team.objects.get(unit="Leknes sykehjem, avdeling 2")
    start = team.assessments.order_by("held_on").first().held_on
    for index, label in enumerate(LONG[: 4 - team.assessments.count()]):
        services.record(
            team,
            label=label,
            held_on=start + dt.timedelta(days=30 * (index + 1)),
            answers=[(n, 1 + (n + index) % 4, "") for n in range(1, 10)],
        )
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "teamleder@demo.no")
    page.goto(reverse("assessments:overview", args=[team.pk]))
    items = page.locator(".sof-legend li")
    assert items.count() == 4
    boxes = [items.nth(i).bounding_box() for i in range(4)]
    assert overlaps(boxes) == []
    viewport = page.viewport_size["width"]
    assert all(box["x"] >= 0 and box["x"] + box["width"] <= viewport for box in boxes)
    # The table: every column is there, its box scrolls rather than the page.
    table = page.locator("table.sof-scores")
    assert table.locator("thead th").count() == 1 + 4 + 1
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport
    assert "Gjennomsnitt" in table.inner_text()
    screenshot(page, f"assessments-compared-{width}")
