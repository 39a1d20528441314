"""Entering a whole series: a team leader pastes a spreadsheet column into the grid."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lib.dates import add_months
from teams.models import Measure, Team
from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Two years of a value (minutes to the first assessment): high, then lower after a change.
SERIES = ["12,5", "11", "13,5", "12", "14", "12,5", "13", "11,5", "12", "13,5", "12", "14"] + [
    "8,5", "7", "8", "6,5", "7,5", "8", "6", "7", "7,5", "6,5", "8", "7",
]  # fmt: skip


def paste(page, selector, text):
    """Paste ``text`` into the field as Ctrl+V from a spreadsheet does."""
    page.focus(selector)
    page.evaluate(
        """([selector, text]) => {
            const data = new DataTransfer();
            data.setData("text/plain", text);
            const event = new ClipboardEvent(
                "paste", {clipboardData: data, bubbles: true, cancelable: true});
            document.querySelector(selector).dispatchEvent(event);
        }""",
        [selector, text],
    )


def test_a_team_leader_pastes_a_24_value_column_and_sees_the_chart(page, demo):
    team = Team.objects.get(unit="Leknes sykehjem, avdeling 2")
    login(page, "teamleder@demo.no")
    page.goto(reverse("teams:measure_create", args=[team.pk]))
    page.get_by_label("Navn").fill("Minutter til første vurdering")
    page.select_option("#id_kind", "value")
    page.select_option("#id_direction", "down")
    page.select_option(
        "#id_chart", "run"
    )  # a value proposes an I chart; this test reads the run chart
    page.get_by_label("Mål", exact=True).fill("7,5")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_selector("h1:has-text('Minutter til første vurdering')")
    measure = Measure.objects.get(team=team, name="Minutter til første vurdering")
    assert measure.goal == 7.5  # not 75

    # The series starts two years back: the rows below follow the first date.
    first = add_months(timezone.localdate().replace(day=1), -(len(SERIES) - 1))
    page.fill("#id_form-0-period_start", first.isoformat())
    page.dispatch_event("#id_form-0-period_start", "change")
    assert page.input_value("#id_form-1-period_start") == add_months(first, 1).isoformat()
    paste(page, "#id_form-0-value", "\r\n".join(SERIES) + "\r\n")
    rows = page.locator("table.measurement-grid tbody tr")
    assert rows.count() == len(SERIES)
    assert page.input_value("#id_form-23-value") == "7"
    assert page.input_value("#id_form-23-period_start") == add_months(first, 23).isoformat()
    page.get_by_role("button", name="Lagre alle").click()
    page.wait_for_selector("text=Lagret 24 punkter")

    points = list(measure.measurements.values_list("period_start", "value"))
    assert [p[0] for p in points] == [add_months(first, i) for i in range(24)]
    assert [float(p[1]) for p in points[:3]] == [12.5, 11.0, 13.5]
    caption = page.locator("figure figcaption").first.inner_text()
    assert caption.startswith("24 punkter") and "Signal" in caption
    assert page.locator("figure svg").first.is_visible()
    # The saved values come back in Norwegian: "12,5"; the series is up to date, so
    # no blank row is offered for a month that has not begun.
    assert page.input_value("#id_form-0-value") == "12,5"
    assert page.locator("table.measurement-grid tbody tr").count() == 24
    assert page.console_errors == []
    screenshot(page, "grid-24-values-pasted")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.locator("figure svg").first.scroll_into_view_if_needed()
    assert page.locator("figure svg").first.is_visible()
    # The grid scrolls inside its own box; the page itself does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "grid-24-values-390px")


def test_date_and_value_lines_fill_the_rows_and_add_rows_adds_more(page, demo):
    team = Team.objects.get(unit="Leknes sykehjem, avdeling 2")
    measure = team.measures.get(name="Antall fall")
    login(page, "teamleder@demo.no")
    page.goto(reverse("teams:measure", args=[team.pk, measure.pk]))
    before = page.locator("table.measurement-grid tbody tr").count()
    page.get_by_role("button", name="Legg til rader").click()
    assert page.locator("table.measurement-grid tbody tr").count() == before + 6
    last = page.locator("table.measurement-grid tbody tr").last
    assert last.locator("input[type=date]").input_value() > dt.date(2026, 1, 1).isoformat()
    # Two earlier months, with a heading line, pasted as Excel copies them (dd.mm.yyyy).
    paste(page, f"#id_form-{before}-period_start", "Dato\tAntall\n01.03.2024\t4\n01.04.2024\t5\n")
    assert page.input_value(f"#id_form-{before}-period_start") == "2024-03-01"
    assert page.input_value(f"#id_form-{before + 1}-value") == "5"
    page.get_by_role("button", name="Lagre alle").click()
    page.wait_for_selector("text=Lagret")
    assert list(
        measure.measurements.filter(period_start__year=2024).values_list("period_start", "value")
    ) == [(dt.date(2024, 3, 1), 4), (dt.date(2024, 4, 1), 5)]


def test_errors_are_marked_on_their_fields_and_nothing_typed_is_lost(page, demo):
    team = Team.objects.get(unit="Leknes sykehjem, avdeling 2")
    measure = team.measures.get(name="Antall fall")
    login(page, "teamleder@demo.no")
    page.goto(reverse("teams:measure", args=[team.pk, measure.pk]))
    rows = page.locator("table.measurement-grid tbody tr").count()
    future = add_months(timezone.localdate().replace(day=1), 2).isoformat()
    page.fill(f"#id_form-{rows - 2}-value", "12,5,3")
    page.fill(f"#id_form-{rows - 1}-period_start", future)
    page.fill(f"#id_form-{rows - 1}-value", "3")
    page.get_by_role("button", name="Lagre alle").click()
    page.wait_for_selector(".alert-danger")
    assert "2 felt er merket med rødt" in page.locator(".alert-danger").inner_text()
    invalid = page.locator("table.measurement-grid input.is-invalid")
    assert invalid.count() == 2
    first = page.locator(f"#id_form-{rows - 2}-value")
    assert first.input_value() == "12,5,3"
    described = first.get_attribute("aria-describedby")
    assert page.locator(f"#{described}").inner_text() == (
        "Skriv et tall, for eksempel 12,5 eller 1 234,5."
    )
    assert page.locator(f"#{described}").is_visible()
    message = page.locator(f"#id_form-{rows - 1}-period_start_error").inner_text()
    assert message.startswith("Denne perioden har ikke begynt ennå")
    assert page.get_by_text(message).count() == 1
    screenshot(page, "grid-errors-on-their-fields")
    page.set_viewport_size({"width": 390, "height": 844})
    first.scroll_into_view_if_needed()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "grid-errors-390px")


def test_the_team_leader_deletes_a_measure_after_the_confirmation_page(page, demo):
    team = Team.objects.get(unit="Leknes sykehjem, avdeling 2")
    measure = team.measures.get(name="Antall fall")
    points = measure.measurements.count()
    login(page, "teamleder@demo.no")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(reverse("teams:measure", args=[team.pk, measure.pk]))
    page.get_by_role("link", name="Slett målingen").click()
    page.wait_for_selector("h1:has-text('Slette målingen «Antall fall»?')")
    assert f"De {points} punktene slettes sammen med den." in page.content()
    screenshot(page, "measure-delete-390px")
    page.get_by_role("button", name="Ja, slett målingen").click()
    page.wait_for_selector(f"text=Målingen Antall fall ble slettet, med sine {points} punkter.")
    assert not team.measures.filter(name="Antall fall").exists()


def test_numerator_and_denominator_columns_paste_side_by_side(page, demo):
    team = Team.objects.get(unit="Leknes sykehjem, avdeling 2")
    measure = team.measures.get(name="Andel pasienter risikovurdert for fall")
    login(page, "teamleder@demo.no")
    page.goto(reverse("teams:measure", args=[team.pk, measure.pk]))
    # The existing first rows are corrected from a sheet: numerator, denominator.
    paste(page, "#id_form-0-numerator", "12,5\t25\n13\t1 300\n")
    assert page.input_value("#id_form-0-denominator") == "25"
    assert page.input_value("#id_form-1-denominator") == "1 300"
    page.get_by_role("button", name="Lagre alle").click()
    page.wait_for_selector("text=Lagret")
    first, second = measure.measurements.order_by("period_start")[:2]
    assert (float(first.numerator), float(first.denominator)) == (12.5, 25.0)
    assert (float(second.numerator), float(second.denominator)) == (13.0, 1300.0)
    assert page.input_value("#id_form-1-denominator") == "1300"
