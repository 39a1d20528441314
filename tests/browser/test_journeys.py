"""The five journeys, as people make them, in a real browser."""

import io
import re
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from agreements.models import Agreement, AgreementStatus
from gatherings.models import AgendaItem, Registration
from lib.dates import add_months
from network.models import Network
from reports.models import ReportStatus, StatusReport
from teams.models import Team
from tests.browser.conftest import ARTIFACTS, admin_login, login, screenshot, select2

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_1_coordinator_sets_up_a_network_and_sends_agreements(page, demo):
    admin_login(page, "koordinator@demo.no")
    page.goto("/admin/network/network/add/")
    page.fill("#id_title", "Læringsnettverk trykksår 2027–2028")
    page.select_option("#id_kind", "learning")
    page.fill("#id_start_date", "2027-09-01")
    page.fill("#id_end_date", "2028-06-01")
    page.select_option("#id_focus_area_mode", "single")
    page.select_option("#id_focus_areas_from", label="Forebygging av trykksår")
    page.click("#id_focus_areas_add")
    page.fill("#id_participation_fee", "3000")
    page.click("input[name=_save]")
    page.wait_for_selector("text=ble lagt til")
    network = Network.objects.get(title="Læringsnettverk trykksår 2027–2028")

    page.check(f"input[name=_selected_action][value='{network.pk}']")
    page.select_option("select[name=action]", "propose_timeline")
    page.click("button[name=index]")
    page.wait_for_selector("text=opprettet 8 samlinger")

    for unit, leader, members in [
        ("Leknes sykehjem, avdeling 3", "Marit Berg", ["Ola Hansen", "Ingrid Johansen"]),
        ("Svolvær sykehjem, avdeling 1", "Tone Eriksen", ["Anne Larsen", "Nils Karlsen"]),
    ]:
        page.goto("/admin/teams/team/add/")
        page.select_option("#id_network", str(network.pk))
        select2(page, "id_municipality", "Vestvågøy" if "Leknes" in unit else "Vågan")
        page.fill("#id_unit", unit)
        page.select_option("#id_focus_area", label="Forebygging av trykksår")
        select2(page, "id_unit_leader", leader)
        for index, name in enumerate(members):
            if index:
                page.click(".add-row a")
            select2(page, f"id_members-{index}-person", name)
            page.select_option(
                f"#id_members-{index}-role", "team_leader" if index == 0 else "measurement_lead"
            )
        page.click("input[name=_save]")
        page.wait_for_selector("text=ble lagt til")
    teams = Team.objects.filter(network=network)
    assert teams.count() == 2
    assert sorted(t.members.count() for t in teams) == [2, 2]

    page.goto(f"/admin/agreements/agreement/?team__network__id__exact={network.pk}")
    page.check("#action-toggle")
    page.select_option("select[name=action]", "send_agreements")
    page.click("button[name=index]")
    page.get_by_role("button", name="Ja, send 2 avtaler").click()  # after the list of recipients
    page.wait_for_selector("text=Sendte 2 signeringslenker.")
    assert Agreement.objects.filter(team__network=network, status=AgreementStatus.SENT).count() == 2
    screenshot(page, "1-coordinator-sends-agreements")


def test_2_unit_leader_signs_and_the_link_is_then_refused(page, demo):
    agreement = Agreement.objects.get(team__unit="Leknes sykehjem, avdeling 2")
    from agreements import services

    services.send(agreement)
    link = re.search(r"(/avtale/signer/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(link)
    assert page.get_by_role("heading", name="Signer deltakeravtalen").is_visible()
    page.get_by_label("Din tittel").fill("Enhetsleder")
    page.get_by_label("Navn på deltakeren fra øverste ledelse").fill("Kommunalsjef Helse")
    page.get_by_label("E-post til deltakeren fra øverste ledelse").fill("topp@demo.no")
    page.get_by_label(re.compile("Jeg signerer på vegne av")).check()
    page.get_by_role("button", name="Signer avtalen").click()
    page.wait_for_selector("text=Avtalen er signert")
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED
    assert agreement.signer_user_agent.startswith("Mozilla")
    page.goto(link)
    assert page.get_by_role("heading", name="Denne avtalen er allerede besvart").is_visible()
    screenshot(page, "2-unit-leader-link-refused")


def test_3_team_leader_measures_and_reports(page, demo):
    team = Team.objects.get(unit="Leknes sykehjem, avdeling 2")
    login(page, "teamleder@demo.no")
    page.goto(reverse("teams:team", args=[team.pk]))
    page.get_by_role("link", name="Legg til en måling").click()
    page.get_by_label("Navn").fill("Antall fall om natten")
    page.get_by_label("Mål", exact=True).fill("1")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_selector("h1:has-text('Antall fall om natten')")
    values = [6, 7, 5, 6, 8, 6, 2, 1, 2, 1, 0, 1]
    # The last twelve months, up to this one: a future month is refused, and the
    # grid offers the months from the network's start up to now. The blank rows
    # below follow the first date; "Legg til rader" gives more.
    first = add_months(timezone.localdate().replace(day=1), -(len(values) - 1))
    page.fill("#id_form-0-period_start", first.isoformat())
    page.dispatch_event("#id_form-0-period_start", "change")
    page.get_by_role("button", name="Legg til rader").click()
    assert page.locator("table.measurement-grid tbody tr").count() >= 6
    for index, value in enumerate(values[:6]):
        page.fill(f"#id_form-{index}-value", str(value))
    page.get_by_role("button", name="Lagre alle").click()
    page.wait_for_selector("text=Lagret 6 punkter")
    for index, value in enumerate(values[6:], start=6):
        page.fill(f"#id_form-{index}-value", str(value))
    page.get_by_role("button", name="Lagre alle").click()
    page.wait_for_selector("text=Lagret 12 punkter")
    caption = page.locator("figcaption").inner_text()
    assert "Signal" in caption

    period = team.network.report_periods.get(number=1)
    page.goto(reverse("reports:report", args=[team.pk, period.pk]))
    page.get_by_label("Hva som fungerte").fill("Sklisikre sokker om natten")
    page.get_by_role("button", name="Lagre utkast").click()
    page.wait_for_selector("text=Utkastet er lagret.")
    page.goto(reverse("teams:team", args=[team.pk]))
    page.goto(reverse("reports:report", args=[team.pk, period.pk]))
    assert page.get_by_label("Hva som fungerte").input_value() == "Sklisikre sokker om natten"
    page.get_by_label("Utfordringer").fill("Mange vikarer")
    page.get_by_label("Neste steg").fill("Spre til avdeling 3")
    # "Send inn" asks first, and says what happens: dismissed, nothing is sent.
    asked = []

    def answer(dialog, accept):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, False))
    page.get_by_role("button", name="Send inn rapporten").click()
    assert "låses" in asked[0] and "PDF" in asked[0]
    assert StatusReport.objects.get(team=team, period=period).status == ReportStatus.DRAFT
    page.once("dialog", lambda dialog: answer(dialog, True))
    page.get_by_role("button", name="Send inn rapporten").click()
    page.wait_for_selector("text=Rapporten er sendt inn og låst.")
    report = StatusReport.objects.get(team=team, period=period)
    assert report.status == ReportStatus.SUBMITTED and report.pdf
    screenshot(page, "3-team-leader-report-submitted")


def test_4_coordinator_sees_the_report_and_downloads_its_pdf(page, demo):
    from reports import services

    team = Team.objects.get(unit="Leknes sykehjem, avdeling 2")
    period = team.network.report_periods.get(number=1)
    report = services.report_for(team, period)
    services.save_draft(
        report, cycles=[], what_worked="Tavlemøter", challenges="Tid", next_steps="Fortsette"
    )
    services.submit(report, user=team.members.get(role="team_leader").person.user)
    admin_login(page, "koordinator@demo.no")
    page.goto(reverse("reports:network_reports", args=[team.network.pk]))
    row = page.locator("tr", has_text="Leknes sykehjem, avdeling 2")
    assert row.locator("text=Sendt inn").first.is_visible()
    with page.expect_download() as download_info:
        row.get_by_role("link", name="PDF").click()
    content = Path(download_info.value.path()).read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "Tavlemøter" in text
    page.get_by_role("button", name="Sammendrag av alle team (PDF)").click()
    page.wait_for_selector("text=Sammendraget er klart.")
    with page.expect_download() as summary_info:
        page.get_by_role("link", name="Last ned PDF-en").click()
    summary = Path(summary_info.value.path()).read_bytes()
    summary_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(summary)).pages)
    assert "Leknes sykehjem, avdeling 2" in summary_text
    assert page.console_errors == []
    screenshot(page, "4-coordinator-summary-ready")


def test_5_participant_registers_and_proposes(page, demo):
    page.goto("/")
    page.get_by_role("link", name=re.compile("Samling 2 – Forbedringsnettverket")).click()
    page.get_by_role("link", name="Meld deg på").click()
    page.get_by_label("Fullt navn").fill("Siri Deltaker")
    page.get_by_label("E-post").fill("siri@example.no")
    page.get_by_label("Organisasjon").fill("Nordlandssykehuset")
    page.get_by_label("Rolle").select_option("development")
    page.get_by_label("Fra").select_option("hospital")
    page.get_by_role("button", name="Meld deg på").click()
    page.wait_for_selector("text=Du har plass")
    page.get_by_role("link", name="Tilbake til samlingen").click()
    page.get_by_role("link", name="Foreslå noe å presentere eller diskutere").click()
    page.get_by_label("Tittel").fill("Felles utskrivningssjekkliste")
    page.get_by_label("Sammendrag").fill("Hvordan sykehus og kommune bruker samme sjekkliste.")
    page.get_by_label("Varighet (minutter)").fill("30")
    page.get_by_label("Foreslått av").fill("Siri Deltaker")
    page.get_by_label("Forslagsstillers e-post").fill("siri@example.no")
    page.get_by_role("button", name="Send forslaget").click()
    page.wait_for_selector("text=Takk! Koordinatoren ser på forslaget ditt")
    assert Registration.objects.filter(email="siri@example.no", status="confirmed").exists()
    assert AgendaItem.objects.filter(title="Felles utskrivningssjekkliste").exists()
    screenshot(page, "5-participant-proposed")


def test_6_team_leader_chooses_a_control_chart(page, demo):
    """A P chart of the team's own proportion: the form's advice, a refused misfit, the
    chart with its limits and signal on the team page, at desktop width and at 390 px."""
    import datetime as dt

    from teams.models import Measure
    from teams.services import save_series

    team = Team.objects.get(unit="Leknes sykehjem, avdeling 2")
    login(page, "teamleder@demo.no")
    page.goto(reverse("teams:measure_create", args=[team.pk]))
    assert "P′-diagram: for en andel med store nevnere" in page.content()
    page.get_by_label("Navn").fill("Andel med fallplan")
    page.get_by_label("Type").select_option("value")
    page.get_by_label("Diagram", exact=True).select_option("p")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_selector("text=Et P-diagram trenger teller og nevner")
    assert page.get_by_label("Navn").input_value() == "Andel med fallplan"
    page.locator("#id_chart").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "6-measure-form-chart-refused.png"))
    page.get_by_label("Type").select_option("proportion")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_selector("h1:has-text('Andel med fallplan')")
    measure = Measure.objects.get(team=team, name="Andel med fallplan")
    assert measure.chart == "p"
    numerators = [30, 35, 28, 40, 20, 38, 36, 31, 45, 44, 47, 46, 48, 45, 49, 47]
    denominators = [40, 45, 40, 50, 60, 45, 42, 40, 50, 48, 50, 49, 50, 47, 51, 49]
    months = [dt.date(2025 + (m - 1) // 12, (m - 1) % 12 + 1, 1) for m in range(9, 25)]
    save_series(
        measure, [(m, n, d, None) for m, n, d in zip(months, numerators, denominators, strict=True)]
    )
    page.goto(reverse("teams:team", args=[team.pk]))
    figure = page.locator("figure", has_text="P-diagram, 16 punkter")
    caption = figure.locator("figcaption").inner_text()
    assert "Signal: 1 punkt utenfor grensene: Jan 2026 (33,33 %, under)." in caption
    assert "Grensene er foreløpige" in caption
    assert figure.locator("svg polygon").count() == 2  # the point below, the legend's sample
    figure.scroll_into_view_if_needed()
    screenshot(page, "6-team-page-p-chart")
    page.set_viewport_size({"width": 390, "height": 844})
    # On a phone the chart keeps 600 px (its text readable) and its figure scrolls
    # sideways; the page itself does not.
    assert figure.locator("svg").first.bounding_box()["width"] == 600
    assert figure.evaluate("f => f.scrollWidth > f.clientWidth && f.clientWidth <= 390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    figure.scroll_into_view_if_needed()
    screenshot(page, "6-team-page-p-chart-390")
    figure.screenshot(path=str(ARTIFACTS / "6-p-chart-figure-390.png"))


def test_7_coordinator_compares_the_teams_on_one_measure(page, demo):
    """Small multiples: one chart per team on one scale, sorted, and the pooled chart."""
    import datetime as dt

    from network.models import RecommendedMeasure
    from teams.services import create_measure, save_series

    team = Team.objects.get(unit="Leknes sykehjem, avdeling 2")
    name = "Andel pasienter risikovurdert for fall"
    recommended = RecommendedMeasure.objects.get(focus_area=team.focus_area, name=name)
    others = list(team.network.teams.exclude(pk=team.pk)[:3])
    assert len(others) >= 2
    months = [dt.date(2025 + (m - 1) // 12, (m - 1) % 12 + 1, 1) for m in range(9, 23)]
    for number, other in enumerate(others):
        measure = create_measure(other, recommended=recommended, period="month", chart="p")
        save_series(
            measure,
            [(m, min(24, 8 + number * 4 + i % 5), 24, None) for i, m in enumerate(months)],
        )
    admin_login(page, "koordinator@demo.no")
    page.goto(reverse("reports:network_reports", args=[team.network.pk]))
    page.get_by_role("link", name=name).click()
    page.wait_for_selector(f"h1:has-text('{name}')")
    cards = page.locator("article.card")
    assert cards.count() == 1 + len(others)
    assert page.locator("figure", has_text="Team som rapporterer per periode").count() == 1
    page.get_by_role("link", name="Siste verdi").click()
    page.wait_for_selector("strong:has-text('Siste verdi')")
    first = cards.first.locator("h3").inner_text()
    assert "Leknes sykehjem, avdeling 2" in first  # 23 of 24 assessed at the end: the best
    assert page.console_errors == []
    screenshot(page, "7-coordinator-small-multiples")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "7-coordinator-small-multiples-390")
