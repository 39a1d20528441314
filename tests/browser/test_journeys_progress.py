"""Issue 19's journeys in a real browser: the coordinator confirms the teams'
progress scores and the network chart shows their spread; the six-month follow-up
is recorded and the network moves to "followed up"."""

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from network.models import NetworkStatus
from reports.models import StatusReport
from sessions_app.models import FollowUpRecord, SessionKind, SessionStatus
from teams.models import Team
from tests.browser.conftest import login, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def narrow(page, name):
    """The same page on a phone, 390 px wide."""
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_coordinator_confirms_progress_scores_and_the_chart_shows_the_spread(page, demo):
    bodo = StatusReport.objects.get(team__unit="Hjemmetjenesten Bodø sentrum")
    svolvaer = StatusReport.objects.get(team__unit="Svolvær sykehjem")
    network = bodo.team.network
    login(page, "koordinator@demo.no")
    page.goto(reverse("reports:network_reports", args=[network.pk]))
    page.get_by_role("link", name="Framdriftsskår").click()
    page.wait_for_selector("h1:has-text('Framdriftsskår')")
    form = page.locator(f"#r{bodo.pk}")
    assert "Ikke bekreftet" in form.inner_text()
    # The team's proposal is chosen already: confirming is one click.
    assert form.get_by_label("Framdriftsskår").input_value() == "2.5"
    form.get_by_role("button", name="Bekreft").click()
    page.wait_for_selector("text=framdriftsskåren 2,5 – Endringer testet")
    # Another score than the team's: refused without a comment, then with one.
    form = page.locator(f"#r{svolvaer.pk}")
    form.get_by_label("Framdriftsskår").select_option("3.5")
    form.get_by_role("button", name="Lagre skåren").click()
    page.wait_for_selector("text=Skriv hvorfor du setter en annen skår enn teamet foreslo.")
    form = page.locator(f"#r{svolvaer.pk}")
    assert form.get_by_label("Framdriftsskår").input_value() == "3.5"  # kept as chosen
    form.get_by_label("Kommentar til teamet").fill("Fallene har gått ned tre måneder på rad")
    form.get_by_role("button", name="Lagre skåren").click()
    page.wait_for_selector("text=framdriftsskåren 3,5 – Forbedring")
    bodo.refresh_from_db()
    svolvaer.refresh_from_db()
    assert (bodo.score, svolvaer.score) == (Decimal("2.5"), Decimal("3.5"))
    assert svolvaer.score_comment == "Fallene har gått ned tre måneder på rad"

    chart = page.locator("figure:has(svg.run-chart)")
    description = chart.locator("desc").text_content()
    assert "1 team på 2,0" in description and "1 team på 2,5" in description
    assert "1 team på 3,5" in description
    chart.locator("summary").click()
    table = chart.locator("table")
    assert table.locator("tr:has-text('3,5 – Forbedring') td").first.inner_text() == "1"
    # The overview shows each team's score now.
    page.goto(reverse("reports:network_reports", args=[network.pk]))
    row = page.locator("tr:has-text('Svolvær sykehjem')")
    assert "3,5" in row.inner_text()
    page.locator("#spread-caption").scroll_into_view_if_needed()
    assert not page.console_errors
    screenshot(page, "19-coordinator-confirms-progress-scores")
    narrow(page, "19-coordinator-confirms-progress-scores")


def test_the_six_month_follow_up_is_recorded_and_the_network_is_followed_up(
    page, chromium, live_server, demo
):
    team = Team.objects.get(unit="Leknes sykehjem, avdeling 2")
    network = team.network
    network.status = NetworkStatus.ENDED  # half a year after the end
    network.save(update_fields=["status"])
    login(page, "koordinator@demo.no")
    page.goto(reverse("reports:network_reports", args=[network.pk]))
    page.get_by_role("link", name="Oppfølging etter seks måneder").click()
    page.wait_for_selector("h1:has-text('Oppfølging etter seks måneder')")
    assert page.locator("#network-status").inner_text() == "Avsluttet"
    page.get_by_role("button", name="Send teamene lenken på e-post").click()
    page.wait_for_selector("text=Lenker er sendt til 4 team.")
    message = next(
        m for m in mail.outbox if "teamets del" in m.subject and m.to == ["teamleder@demo.no"]
    )
    link = re.search(r"(/tidslinje/oppfolging/\S+/)", message.body).group(1)

    # The team leader answers beforehand through the link, without logging in.
    context = chromium.new_context(base_url=live_server.url, locale="nb-NO")
    team_page = context.new_page()
    team_page.goto(link)
    team_page.get_by_label("Delvis").check()
    team_page.get_by_label("Hvordan den holdes ved like, eller hva som glapp").fill(
        "Sokkene brukes; tavlemøtet er hver 14. dag nå"
    )
    team_page.get_by_label("Antall fall").check()
    team_page.get_by_label("Hvor er den spredt?").fill("Avdeling 3 og Gravdal sykehjem")
    team_page.get_by_label("Hva står i veien?").fill("Mange vikarer i sommer")
    team_page.get_by_label("Ditt navn").fill("Kari Nordmann")
    team_page.get_by_role("button", name="Send teamets del").click()
    team_page.wait_for_selector("text=Takk: teamets del er sendt")
    team_page.goto(link)
    assert team_page.get_by_role("heading", name="Teamets del er allerede sendt").is_visible()
    context.close()

    # The coordinator completes the record in the call, and records the follow-up.
    page.reload()
    record = FollowUpRecord.objects.get(team=team)
    row = page.locator(f"#f{record.pk}")
    assert "Teamet svarte" in row.inner_text() and "Delvis" in row.inner_text()
    row.get_by_role("link").click()
    page.wait_for_selector(f"h1:has-text('{team.unit}')")
    form = page.locator("main form[method=post]")
    assert form.get_by_label("Hvor er den spredt?").input_value() == (
        "Avdeling 3 og Gravdal sykehjem"
    )
    form.get_by_label("Koordinatorens notater fra samtalen").fill(
        "Enhetsleder følger opp tavlemøtet"
    )
    form.get_by_role("button", name="Lagre notatet").click()
    page.wait_for_selector("text=notatet er lagret")
    assert "Registrert" in page.locator(f"#f{record.pk}").inner_text()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Registrer oppfølgingen som gjennomført").click()
    page.wait_for_selector("text=Oppfølgingen er registrert. Nettverket er nå fulgt opp.")
    assert page.locator("#network-status").inner_text() == "Fulgt opp"
    network.refresh_from_db()
    call = network.sessions.get(kind=SessionKind.FOLLOW_UP)
    assert (network.status, call.status) == (NetworkStatus.FOLLOWED_UP, SessionStatus.HELD)

    with page.expect_download() as download:
        page.get_by_role("link", name="Oppfølgingen (PDF)").click()
    content = Path(download.value.path()).read_bytes()
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages
    )
    for expected in (
        "Er endringen opprettholdt? Delvis",
        "Avdeling 3 og Gravdal sykehjem",
        "Enhetsleder følger opp tavlemøtet",
        "Fylt ut",
        "Kari Nordmann",
    ):
        assert expected in text, expected
    assert not page.console_errors
    screenshot(page, "19-follow-up-recorded")
    narrow(page, "19-follow-up-recorded")
