"""The progress score: the team proposes it in the report, the coordinator confirms
or adjusts it; the overview, the chart, the PDFs and the Excel export show it. The
spread plan in the network's last report."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from reports import exports, services
from reports.models import ReportStatus, StatusReport
from tests.factories import TeamFactory
from tests.reports.conftest import TEXT

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages
    )


def submitted(team, period, *, proposed=None, score=None, **fields):
    return StatusReport.objects.create(
        team=team,
        period=period,
        status=ReportStatus.SUBMITTED,
        submitted_at=dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC),
        proposed_score=proposed,
        score=score,
        what_worked="x",
        challenges="y",
        next_steps="z",
        **fields,
    )


def test_the_team_proposes_a_score_and_the_pdf_shows_it(
    client, setup, django_capture_on_commit_callbacks
):
    client.force_login(setup["leader"])
    page = client.get(setup["url"]).content.decode()
    # The scale's Norwegian names and descriptions are the options.
    assert "2,5 – Endringer testet, ingen forbedring ennå: PDSA-sirkler" in page
    assert "5,0 – Fremragende, varige resultater" in page
    # Not the last period: no spread plan asked yet.
    assert "Implementerings- og spredningsplan" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            setup["url"],
            {**TEXT, "cycles": [setup["cycle"].pk], "proposed_score": "2.5", "submit": "1"},
        )
    assert response.status_code == 302
    report = StatusReport.objects.get()
    assert (report.status, report.proposed_score, report.score) == (
        ReportStatus.SUBMITTED,
        Decimal("2.5"),
        None,
    )
    text = pdf_text(report.pdf.read())
    assert "Framdriftsskår" in text
    assert "Teamet foreslo: 2,5 – Endringer testet, ingen forbedring ennå" in text
    assert "Bekreftet av koordinatoren: ikke ennå" in text


def test_a_score_off_the_scale_is_refused_next_to_the_field(client, setup):
    client.force_login(setup["leader"])
    response = client.post(setup["url"], {**TEXT, "proposed_score": "2.7", "save": "1"})
    assert response.status_code == 200
    assert "proposed_score" in response.context["form"].errors
    assert "Sklisikre sokker" in response.content.decode()  # what was typed is kept
    assert not StatusReport.objects.exists()


def test_the_database_refuses_a_score_off_the_scale(setup):
    report = submitted(setup["team"], setup["period"])
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusReport.objects.filter(pk=report.pk).update(score=Decimal("3.2"))


def test_the_coordinator_confirms_and_adjusts_and_the_chart_shows_the_spread(
    client, setup, coordinator
):
    team, period = setup["team"], setup["period"]
    network = team.network
    other = TeamFactory(network=network, unit="Avdeling Sør")
    third = TeamFactory(network=network, unit="Avdeling Nord")
    first = submitted(team, period, proposed=Decimal("2.5"))
    second = submitted(other, period, proposed=Decimal("3.0"))
    submitted(third, period, proposed=Decimal("2.0"))
    client.force_login(coordinator)
    url = reverse("reports:network_scores", args=[network.pk])
    page = client.get(url).content.decode()
    assert page.count("Ikke bekreftet") == 3
    assert "Ingen skår er bekreftet ennå." in page

    confirm = reverse("reports:confirm_score", args=[network.pk, first.pk])
    response = client.post(confirm, {f"r{first.pk}-score": "2.5", f"r{first.pk}-version": "0"})
    assert response.status_code == 302
    # Another score than the team's needs a comment: refused next to the field, kept.
    adjust = reverse("reports:confirm_score", args=[network.pk, second.pk])
    response = client.post(adjust, {f"r{second.pk}-score": "2.5", f"r{second.pk}-version": "0"})
    assert response.status_code == 200
    assert response.context["entries"][1].errors.errors["comment"] == [
        "Skriv hvorfor du setter en annen skår enn teamet foreslo."
    ]
    second.refresh_from_db()
    assert second.score is None
    response = client.post(
        adjust,
        {
            f"r{second.pk}-score": "2.5",
            f"r{second.pk}-comment": "Målingene viser ikke forbedring ennå",
            f"r{second.pk}-version": "0",
        },
        follow=True,
    )
    second.refresh_from_db()
    assert (second.score, second.score_set_by, second.score_version) == (
        Decimal("2.5"),
        coordinator,
        1,
    )
    assert second.score_comment == "Målingene viser ikke forbedring ennå"
    page = response.content.decode()
    assert f"{second.team}: framdriftsskåren 2,5 – Endringer testet" in page
    spread = response.context["spread"]
    assert spread.scored == 2
    assert "Statusrapport 1 (før samling 2): 2 team på 2,5 (median 2,5)" in spread.description
    assert "<svg" in page and spread.description in page
    # The text alternative: two teams at 2,5 in period 1, none in period 2.
    row = dict(spread.table)["2,5 – Endringer testet, ingen forbedring ennå"]
    assert row == [2, 0]

    overview = client.get(reverse("reports:network_reports", args=[network.pk]))
    rows = {row.team.unit: row for row in overview.context["rows"]}
    assert rows["Avdeling Sør"].current_score.score == Decimal("2.5")
    assert rows["Avdeling Nord"].current_score.proposed_score == Decimal("2.0")
    html = overview.content.decode()
    assert "Framdriftsskår nå" in html and "Skår 2,5" in html and "Foreslått 2,0" in html


def test_a_stale_confirmation_is_refused(client, setup, coordinator):
    network = setup["team"].network
    report = submitted(setup["team"], setup["period"], proposed=Decimal("3.0"))
    services.confirm_score(report, score=Decimal("3.0"), comment="", by=coordinator, seen_version=0)
    # A second coordinator's page was read before that confirmation: version 0.
    client.force_login(coordinator)
    response = client.post(
        reverse("reports:confirm_score", args=[network.pk, report.pk]),
        {
            f"r{report.pk}-score": "3.5",
            f"r{report.pk}-comment": "Bedre",
            f"r{report.pk}-version": "0",
        },
    )
    assert response.status_code == 200
    assert "rapporten ble endret etter at du åpnet siden" in response.content.decode()
    report.refresh_from_db()
    assert (report.score, report.score_version) == (Decimal("3.0"), 1)
    # A report reopened meanwhile cannot be confirmed either.
    services.reopen(
        report, user=coordinator, reason="Mangler tiltak", submitted_at=report.submitted_at
    )
    with pytest.raises(services.StaleScore):
        services.confirm_score(
            report, score=Decimal("3.0"), comment="", by=coordinator, seen_version=1
        )


def test_access_to_the_score_pages(client, setup, outsider):
    network = setup["team"].network
    report = submitted(setup["team"], setup["period"], proposed=Decimal("1.0"))
    page = reverse("reports:network_scores", args=[network.pk])
    confirm = reverse("reports:confirm_score", args=[network.pk, report.pk])
    data = {f"r{report.pk}-score": "1.0", f"r{report.pk}-version": "0"}
    client.force_login(setup["leader"])
    assert client.get(page).status_code == 403
    assert client.post(confirm, data).status_code == 403
    client.force_login(outsider)
    assert client.get(page).status_code == 404
    assert client.post(confirm, data).status_code == 404
    report.refresh_from_db()
    assert report.score is None


def test_the_score_page_query_count_does_not_grow(client, setup, coordinator):
    network = setup["team"].network
    submitted(setup["team"], setup["period"], proposed=Decimal("1.5"))
    client.force_login(coordinator)
    url = reverse("reports:network_scores", args=[network.pk])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _n in range(3):
        submitted(TeamFactory(network=network), setup["period"], score=Decimal("2.0"))
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(response.context["entries"]) == 4
    assert len(small) == len(large)


def test_summary_pdf_and_excel_carry_the_scores(client, setup, coordinator):
    network = setup["team"].network
    report = submitted(setup["team"], setup["period"], proposed=Decimal("3.0"))
    services.confirm_score(
        report, score=Decimal("3.5"), comment="Tydelig bedring", by=coordinator, seen_version=0
    )
    TeamFactory(network=network, unit="Uten rapport")
    text = pdf_text(exports.summary_pdf(network))
    assert "Framdriftsskår: 3,5 – Forbedring (bekreftet per rapport: 3,5)" in text
    assert "Teamenes bekreftede framdriftsskår per rapportperiode" in text
    assert "1 team på 3,5" in text

    client.force_login(coordinator)
    response = client.get(reverse("reports:network_xlsx", args=[network.pk]))
    sheet = load_workbook(io.BytesIO(response.content))["Statusrapporter"]
    rows = list(sheet.values)
    header = rows[0]
    proposed, score, comment = (
        header.index("Foreslått framdriftsskår"),
        header.index("Framdriftsskår"),
        header.index("Kommentar til skåren"),
    )
    scored = [row for row in rows[1:] if row[score] is not None]
    assert [(r[1], r[proposed], r[score], r[comment]) for r in scored] == [
        (setup["team"].unit, 3.0, 3.5, "Tydelig bedring")
    ]
    # A number, not a text: it sorts and averages in the spreadsheet.
    assert sheet.cell(row=rows.index(scored[0]) + 1, column=score + 1).data_type == "n"


def test_the_last_report_asks_for_the_spread_plan_and_its_pdf_shows_it(
    client, setup, django_capture_on_commit_callbacks
):
    team = setup["team"]
    last = team.network.report_periods.order_by("-due_on").first()
    url = reverse("reports:report", args=[team.pk, last.pk])
    client.force_login(setup["leader"])
    page = client.get(url).content.decode()
    assert "Implementerings- og spredningsplan" in page
    assert "Hvor det skal spres" in page
    plan = {
        "plan_kept": "Sklisikre sokker og tavlemøte hver fredag",
        "plan_spread": "Avdeling 3 og Gravdal sykehjem",
        "plan_responsible": "Marit Berg, enhetsleder",
        "plan_by": "2027-09-01",
        "plan_measures": "Antall fall, månedlig, registrert av måleansvarlig",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**TEXT, **plan, "proposed_score": "4.0", "submit": "1"})
    assert response.status_code == 302
    report = StatusReport.objects.get(period=last)
    assert report.plan_by == dt.date(2027, 9, 1) and report.has_plan
    text = pdf_text(report.pdf.read())
    for expected in (
        "Implementerings- og spredningsplan",
        "Sklisikre sokker og tavlemøte hver fredag",
        "Avdeling 3 og Gravdal sykehjem",
        "Marit Berg, enhetsleder",
        "1. september 2027",
        "Antall fall, månedlig, registrert av måleansvarlig",
        "4,0 – Betydelig forbedring",
    ):
        assert expected in text, expected


def test_the_score_page_shows_one_period_at_a_time(client, setup, coordinator):
    team = setup["team"]
    network = team.network
    first, second = network.report_periods.order_by("number")[:2]
    submitted(team, first, proposed=Decimal("1.5"))
    later = submitted(team, second, proposed=Decimal("2.0"))
    client.force_login(coordinator)
    url = reverse("reports:network_scores", args=[network.pk])
    response = client.get(url)
    assert response.context["period"] == second  # the latest with reports
    assert [e.report for e in response.context["entries"]] == [later]
    assert f'href="?periode={first.pk}"' in response.content.decode()
    response = client.get(url, {"periode": first.pk})
    assert response.context["period"] == first
    assert response.context["entries"][0].selected == "1.5"
    # A confirmation returns to its own period.
    answer = client.post(
        reverse("reports:confirm_score", args=[network.pk, later.pk]),
        {f"r{later.pk}-score": "2.0", f"r{later.pk}-version": "0"},
    )
    assert answer["Location"].endswith(f"?periode={second.pk}#r{later.pk}")
    # Both periods' confirmed scores are the team's history on the overview.
    overview = client.get(reverse("reports:network_reports", args=[network.pk]))
    assert overview.context["rows"][0].current_score == StatusReport.objects.get(pk=later.pk)
