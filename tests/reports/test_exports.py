import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from reports.models import Export, ReportStatus, StatusReport
from reports.services import build_summary, propose_report_periods
from sessions_app.models import Attendance, Session, SessionStatus
from sessions_app.services import propose_timeline
from teams.models import Measure, MeasureKind, Measurement
from tests.factories import TeamFactory, TeamMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def network_data(network):
    network.title = "Læringsnettverk fallforebygging 2026–2027"
    network.save()
    propose_timeline(network)
    period = propose_report_periods(network)[0]
    teams = [TeamFactory(network=network, unit=f"Avdeling {i}") for i in range(2)]
    measure = Measure.objects.create(
        team=teams[0], name="Andel vurdert", kind=MeasureKind.PROPORTION
    )
    Measurement.objects.create(
        measure=measure, period_start=dt.date(2026, 9, 1), numerator=3, denominator=4
    )
    StatusReport.objects.create(
        team=teams[0],
        period=period,
        status=ReportStatus.SUBMITTED,
        submitted_at=dt.datetime(2026, 11, 20, 10, 7, 31, 123456, tzinfo=dt.UTC),
    )
    member = TeamMemberFactory(team=teams[0])
    held = Session.objects.filter(network=network).first()
    held.status = SessionStatus.HELD
    held.save()
    Attendance.objects.create(session=held, member=member, present=True)
    return network, teams


def test_measurements_csv(client, coordinator, network_data):
    network, _teams = network_data
    client.force_login(coordinator)
    response = client.get(reverse("reports:network_measurements_csv", args=[network.pk]))
    assert response["Content-Disposition"] == (
        'attachment; filename="laeringsnettverk-fallforebygging-2026-2027-malinger.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Kommune", "Enhet", "Måling"]
    assert rows[1][2:] == [
        "Andel vurdert",
        "Andel (teller / nevner)",
        "2026-09-01",
        "3",  # counts without decimals
        "4",
        "",
        "75",
    ]


def test_xlsx_has_measurements_and_report_states(client, coordinator, network_data, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 15, tzinfo=dt.UTC))
    network, _teams = network_data
    client.force_login(coordinator)
    response = client.get(reverse("reports:network_xlsx", args=[network.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Målinger", "Statusrapporter"]
    reports = list(workbook["Statusrapporter"].values)
    assert reports[0] == (
        "Kommune",
        "Enhet",
        "Periode",
        "Frist",
        "Status",
        "Sendt inn (norsk tid)",
        "Foreslått framdriftsskår",
        "Framdriftsskår",
        "Kommentar til skåren",
    )
    states = sorted((row[1], row[4]) for row in reports[1:] if row[2].startswith("Statusrapport 1"))
    assert states == [("Avdeling 0", "Sendt inn"), ("Avdeling 1", "Forfalt")]
    assert list(workbook["Målinger"].values)[1][-1] == 75


def test_reports_csv_shows_oslo_time_to_the_minute(client, coordinator, network_data):
    network, _teams = network_data
    client.force_login(coordinator)
    response = client.get(reverse("reports:network_reports_csv", args=[network.pk]))
    assert response["Content-Disposition"] == (
        'attachment; filename="laeringsnettverk-fallforebygging-2026-2027-rapporter.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert list(rows[0]) == [
        "Kommune",
        "Enhet",
        "Periode",
        "Frist",
        "Status",
        "Sendt inn (norsk tid)",
        "Foreslått framdriftsskår",
        "Framdriftsskår",
        "Kommentar til skåren",
    ]
    submitted = [row for row in rows if row["Status"] == "Sendt inn"]
    # 10:07:31.123456 UTC on 20 November is 11:07 in Oslo (winter time): no seconds, no zone.
    assert [row["Sendt inn (norsk tid)"] for row in submitted] == ["2026-11-20 11:07"]
    assert {row["Sendt inn (norsk tid)"] for row in rows if row["Status"] != "Sendt inn"} == {""}
    assert all(dt.date.fromisoformat(row["Frist"]) for row in rows)


def _text_width(cell) -> int:
    """Characters a cell shows, as Excel formats it (openpyxl reads dates back as datetimes)."""
    if cell.is_date:
        return len(cell.number_format)  # "yyyy-mm-dd" or "yyyy-mm-dd hh:mm"
    return len(str(cell.value)) if cell.value is not None else 0


def test_excel_export_is_laid_out_for_people(client, coordinator, network_data):
    """Each sheet: a bold, frozen header with an autofilter; every column wide
    enough for its longest value (a date never shows as ###); times in Oslo time
    to the minute; the workbook's title and author are the network and its centre."""
    network, _teams = network_data
    client.force_login(coordinator)
    response = client.get(reverse("reports:network_xlsx", args=[network.pk]))
    assert response["Content-Disposition"] == (
        'attachment; filename="laeringsnettverk-fallforebygging-2026-2027.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.properties.title == "Læringsnettverk fallforebygging 2026–2027"
    assert workbook.properties.creator == network.centre.name
    assert "openpyxl" not in (workbook.properties.lastModifiedBy or "")
    for sheet in workbook.worksheets:
        assert sheet.max_row > 1, sheet.title
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == sheet.dimensions
        assert all(cell.font.bold for cell in sheet[1])
        assert not any(cell.font.bold for row in sheet.iter_rows(min_row=2) for cell in row)
        for column in sheet.iter_cols():
            letter = column[0].column_letter
            width = sheet.column_dimensions[letter].width
            needed = max(_text_width(cell) for cell in column)
            assert needed < width <= 60, (sheet.title, letter, needed, width)
    reports = workbook["Statusrapporter"]
    header = [cell.value for cell in reports[1]]
    due, submitted = header.index("Frist") + 1, header.index("Sendt inn (norsk tid)") + 1
    times = [row[submitted - 1] for row in reports.iter_rows(min_row=2) if row[submitted - 1].value]
    assert [cell.value for cell in times] == [dt.datetime(2026, 11, 20, 11, 7)]
    assert times[0].number_format == "yyyy-mm-dd hh:mm"
    assert reports.cell(2, due).number_format == "yyyy-mm-dd"
    measurements = workbook["Målinger"]
    assert isinstance(measurements.cell(2, 5).value, dt.datetime)  # a date cell: the period
    assert measurements.cell(2, 5).number_format == "yyyy-mm-dd"


def test_a_title_with_no_letters_still_names_its_file():
    from reports.exports import file_name
    from tests.factories import NetworkFactory

    network = NetworkFactory(title="–––")
    assert file_name(network, "xlsx") == f"nettverk-{network.pk}.xlsx"


def test_summary_pdf_is_made_by_a_worker_and_covers_every_team(
    client, coordinator, network_data, django_capture_on_commit_callbacks
):
    network, teams = network_data
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:network_summary_pdf", args=[network.pk]))
    export = Export.objects.get()
    assert response["Location"] == reverse("reports:export", args=[network.pk, export.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Sammendraget er klart." in page
    download = client.get(reverse("reports:export_file", args=[network.pk, export.pk]))
    assert download["Content-Disposition"] == (
        'attachment; filename="laeringsnettverk-fallforebygging-2026-2027-sammendrag.pdf"'
    )
    content = b"".join(download.streaming_content)
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages
    )
    assert "Sammendrag: Læringsnettverk fallforebygging 2026–" in text  # a line may break after –
    for team in teams:
        assert str(team) in text
    assert "Andel vurdert" in text
    # Attendance: a gathering counts when a member was there; the missed one is named.
    assert "1 av 1 samling med minst ett medlem" in text
    assert "0 av 1 samling med minst ett medlem. Ikke møtt: Samling 1" in text
    assert "avtalen forplikter teamet til å delta på alle tre" in text


def test_a_pending_summary_shows_progress_and_no_file_yet(client, coordinator, network_data):
    network, _teams = network_data
    client.force_login(coordinator)
    client.post(reverse("reports:network_summary_pdf", args=[network.pk]))  # not committed
    export = Export.objects.get()
    page = client.get(reverse("reports:export", args=[network.pk, export.pk])).content.decode()
    assert "Sammendraget lages" in page and "data-poll" in page
    assert (
        client.get(reverse("reports:export_file", args=[network.pk, export.pk])).status_code == 404
    )
    assert build_summary(export.pk) is True
    assert build_summary(export.pk) is False  # a second run changes nothing


def test_exports_are_for_the_centres_coordinators_only(client, outsider, coordinator, network_data):
    network, teams = network_data
    client.force_login(coordinator)
    client.post(reverse("reports:network_summary_pdf", args=[network.pk]))
    export = Export.objects.get()
    client.force_login(outsider)
    for name in ("network_measurements_csv", "network_reports_csv", "network_xlsx"):
        assert client.get(reverse(f"reports:{name}", args=[network.pk])).status_code == 404
    assert client.post(reverse("reports:network_summary_pdf", args=[network.pk])).status_code == 404
    for name in ("export", "export_file"):
        assert (
            client.get(reverse(f"reports:{name}", args=[network.pk, export.pk])).status_code == 404
        )


HOSTILE = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR", '=HYPERLINK("http://x")']


def test_text_that_looks_like_a_formula_stays_text_in_csv_and_excel(
    client, coordinator, network_data
):
    """OWASP's CSV injection: names typed by teams never run in the coordinator's
    spreadsheet. CSV cells get a leading apostrophe; Excel cells are strings."""
    network, teams = network_data
    for team, name in zip(teams, HOSTILE[:2], strict=True):
        team.unit = name
        team.save()
    measure = teams[0].measures.get()
    measure.name = HOSTILE[2]
    measure.save()
    StatusReport.objects.filter(team=teams[0]).update(what_worked=HOSTILE[3])
    client.force_login(coordinator)

    response = client.get(reverse("reports:network_measurements_csv", args=[network.pk]))
    cells = [
        cell
        for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
        for cell in row
    ]
    assert "'=1+1" in cells and "'-2+3" in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]

    workbook = load_workbook(
        io.BytesIO(client.get(reverse("reports:network_xlsx", args=[network.pk])).content)
    )
    values = {}
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                values[cell.value] = cell
    for name in ("=1+1", "+SUM(A1)", "-2+3"):
        assert values[name].data_type == "s" and values[name].quotePrefix


def test_the_neutraliser_leaves_numbers_and_plain_text_alone():
    from reports.exports import csv_cell, to_csv

    assert csv_cell(-2) == -2  # a negative number is a number
    assert csv_cell("Leknes") == "Leknes"
    assert [csv_cell(text)[0] for text in HOSTILE] == ["'"] * len(HOSTILE)
    assert to_csv(["=a"], [["=b"]]).splitlines()[0] == "\ufeff'=a"


def placed_font_sizes(pdf_bytes):
    """(size in pt, text) of every text shown, as placed on the page: the font size
    times the scale of the text matrix and of every drawing matrix around it, into
    the form XObjects in which WeasyPrint draws an SVG's text."""
    import pikepdf

    def multiply(m, n):
        a, b, c, d, e, f = m
        a2, b2, c2, d2, e2, f2 = n
        return (
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        )

    found = []

    def walk(stream, resources, ctm):
        stack, size, tm = [], 0.0, (1, 0, 0, 1, 0, 0)
        for operands, operator in pikepdf.parse_content_stream(stream):
            op = str(operator)
            if op == "q":
                stack.append(ctm)
            elif op == "Q":
                ctm = stack.pop()
            elif op == "cm":
                ctm = multiply(tuple(float(x) for x in operands), ctm)
            elif op == "BT":
                tm = (1, 0, 0, 1, 0, 0)
            elif op == "Tm":
                tm = tuple(float(x) for x in operands)
            elif op == "Tf":
                size = float(operands[1])
            elif op in ("Tj", "TJ", "'", '"'):
                m = multiply(tm, ctm)
                found.append((round(size * math.hypot(m[2], m[3]), 2), op))
            elif op == "Do":
                xobject = resources.XObject[operands[0]]
                if xobject.Subtype == "/Form":
                    matrix = tuple(float(x) for x in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0]))
                    walk(xobject, xobject.get("/Resources", resources), multiply(matrix, ctm))

    import math

    pdf = pikepdf.open(io.BytesIO(pdf_bytes))
    for page in pdf.pages:
        walk(page.obj, page.Resources, (1, 0, 0, 1, 0, 0))
    return [size for size, _op in found]


def test_chart_text_in_the_summary_pdf_is_at_least_7_pt(network_data):
    """Every piece of text as placed on the page, the charts' tick and axis labels
    included (drawn in form XObjects), is at least 7 pt."""
    from reports.exports import summary_pdf

    network, _teams = network_data
    sizes = placed_font_sizes(summary_pdf(network))
    assert len(sizes) > 40  # the charts' text is counted, not only the body's
    assert min(sizes) >= 7, sorted(sizes)[:5]
