"""The coordinator's exports of a network: summary PDF, CSV and Excel.

Each reads the network in a fixed number of queries, whatever its size.
"""

import csv
import datetime as dt
import io
from decimal import Decimal

from django.db.models import Count, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from slugify import slugify

from lib.dates import oslo_minute
from lib.numbers import format_number
from lib.pdf import render_pdf
from reports import progress, services
from reports.models import ReportStatus, StatusReport
from reports.scale import label
from sessions_app.queries import NO_GATHERINGS, attendance_by_team, follow_up_by_team
from teams.charts import team_charts
from teams.models import Team


def _teams(network):
    return list(
        Team.objects.filter(network=network)
        .select_related("municipality", "focus_area", "unit_leader")
        .prefetch_related(
            Prefetch(
                "status_reports",
                queryset=StatusReport.objects.filter(status=ReportStatus.SUBMITTED)
                .select_related("period")
                .order_by("-period__due_on"),
                to_attr="submitted_reports",
            ),
        )
        .annotate(member_count=Count("members", distinct=True))
        .order_by("municipality__name", "unit")
    )


def summary_pdf(network) -> bytes:
    teams = _teams(network)
    attendance = attendance_by_team(network.pk)
    rows = []
    charts_of = team_charts(teams)
    for team in teams:
        charts = charts_of[team.pk][0]
        rows.append(
            {
                "team": team,
                "charts": charts,
                "latest": team.submitted_reports[0] if team.submitted_reports else None,
                "attendance": attendance.get(team.pk, NO_GATHERINGS),
            }
        )
    _periods, overview = services.overview(network, timezone.localdate())
    states = {row.team.pk: row for row in overview}
    follow_ups = follow_up_by_team(network)
    for row in rows:
        row["follow_up"] = follow_ups.get(row["team"].pk)
        found = states.get(row["team"].pk)
        row["cells"] = found.cells if found else []
        reports = [report for _p, _s, report in row["cells"]]
        current = progress.current(reports)
        row["score"] = (
            label(current.score if current.score is not None else current.proposed_score)
            if current
            else ""
        )
        row["score_confirmed"] = bool(current and current.score is not None)
        row["score_history"] = progress.history_text(reports)
    return render_pdf(
        "reports/summary_pdf.html",
        {
            "network": network,
            "rows": rows,
            "periods": _periods,
            "spread": progress.spread_chart(_periods, overview, chart_id="summary-spread"),
            "generated": timezone.localtime(),
        },
    )


def measurement_rows(network):
    header = [
        _("Municipality"),
        _("Unit"),
        _("Measure"),
        _("Type"),
        _("Period"),
        _("Numerator"),
        _("Denominator"),
        _("Value"),
        _("Result"),
    ]
    rows = []
    for team in _teams(network):
        for measure in team.measures.all():
            for point in measure.measurements.all():
                result = point.result
                rows.append(
                    [
                        team.municipality.name,
                        team.unit,
                        measure.name,
                        measure.get_kind_display(),
                        point.period_start,
                        point.numerator,
                        point.denominator,
                        point.value,
                        round(result, 2) if result is not None else None,
                    ]
                )
    return header, rows


def file_name(network, extension: str, kind: str = "") -> str:
    """A download's name after its network's title, not its number:
    "laeringsnettverk-fallforebygging-2026-2027.xlsx", "...-rapporter.csv"."""
    stem = slugify(network.title, max_length=80, word_boundary=True) or f"nettverk-{network.pk}"
    return f"{stem}-{kind}.{extension}" if kind else f"{stem}.{extension}"


def report_rows(network):
    header = [
        _("Municipality"),
        _("Unit"),
        _("Period"),
        _("Due"),
        _("State"),
        _("Submitted (Norwegian time)"),
        _("Proposed progress score"),
        _("Progress score"),
        _("Comment on the score"),
    ]
    labels = {
        "submitted": _("Submitted"),
        "draft": _("Draft"),
        "missing": _("Missing"),
        "overdue": _("Overdue"),
    }
    _periods, overview = services.overview(network, timezone.localdate())
    rows = []
    for row in overview:
        for period, state, report in row.cells:
            submitted = (
                oslo_minute(report.submitted_at)
                if report and report.submitted_at and state == "submitted"
                else None
            )
            rows.append(
                [
                    row.team.municipality.name,
                    row.team.unit,
                    period.title,
                    period.due_on,
                    labels[state],
                    submitted,
                    _score(report.proposed_score) if report and submitted else None,
                    _score(report.score) if report and submitted else None,
                    report.score_comment if report and submitted else None,
                ]
            )
    return header, rows


def _score(value: Decimal | None) -> float | None:
    """A score as a number in the sheet (2.5), so that it sorts and averages."""
    return float(value) if value is not None else None


#: What a spreadsheet program takes as the start of a formula (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    """A text that a spreadsheet would run: a team or measure name such as "=1+1"."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def to_csv(header, rows) -> str:
    """Semicolon-separated with a BOM, as Norwegian Excel opens it. A text that
    starts like a formula gets a leading apostrophe, as OWASP recommends, so that
    Excel and LibreOffice show it instead of running it."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([csv_cell(cell) for cell in header])
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def csv_cell(cell):
    if cell is None:
        return ""
    if isinstance(cell, dt.datetime):
        return cell.strftime(DATETIME_FORMAT)
    if isinstance(cell, float | Decimal):
        # The decimal comma, and no trailing zeros: a count of 5 is "5", not "5,00".
        return format_number(cell, decimal_mark=",")
    if is_formula_like(cell):
        return "'" + cell
    return cell


#: Times in CSV and Excel: Oslo wall-clock time to the minute (``lib.dates.oslo_minute``).
DATETIME_FORMAT = "%Y-%m-%d %H:%M"
XLSX_FORMATS = {dt.datetime: "yyyy-mm-dd hh:mm", dt.date: "yyyy-mm-dd"}
#: A column's width at most, in characters; a longer text shows in full in the cell.
MAX_WIDTH = 60


def display_width(value) -> int:
    """How many characters a cell needs on screen, as the spreadsheet shows it."""
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return len(DATETIME_FORMAT.replace("%Y", "yyyy"))  # 16: "2026-12-01 21:49"
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, float):
        return len(f"{value:.2f}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def to_xlsx(sheets, *, title: str, author: str) -> bytes:
    """``sheets`` is [(title, header, rows)]; one worksheet each, with a bold,
    frozen header row and an autofilter, and columns wide enough for their
    contents. The workbook carries ``title`` and ``author`` (the centre). Every
    text is stored as text: one that starts like a formula is kept as a string
    with Excel's quote prefix, never as a formula."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = title
    workbook.properties.creator = author
    workbook.properties.lastModifiedBy = author
    bold = Font(bold=True)
    for sheet_title, header, rows in sheets:
        sheet = workbook.create_sheet(sheet_title[:31])
        widths = [display_width(value) for value in header]
        for values in [header, *rows]:
            sheet.append([float(c) if isinstance(c, Decimal) else c for c in values])
            for index, cell in enumerate(sheet[sheet.max_row]):
                if is_formula_like(cell.value):
                    cell.data_type = "s"
                    cell.quotePrefix = True
                elif type(cell.value) in XLSX_FORMATS:
                    cell.number_format = XLSX_FORMATS[type(cell.value)]
                widths[index] = max(widths[index], display_width(cell.value))
        for cell in sheet[1]:
            cell.font = bold
        for index, width in enumerate(widths, start=1):
            # Four characters more than the longest value: margins and the filter's button.
            sheet.column_dimensions[get_column_letter(index)].width = min(width + 4, MAX_WIDTH)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
