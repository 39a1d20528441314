import csv
import datetime as dt
import io
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes.forms import SafeModelChoiceField

from lib import numbers
from lib.dates import format_date, parse_date
from network.models import MeasureKind, RecommendedMeasure
from teams.models import (
    CHARTS_FOR_KIND,
    DEFAULT_RATE_PER,
    PROPOSED_CHART,
    ChartType,
    Measure,
    PDSACycle,
    Role,
)
from teams.services import next_periods, period_start, previous_period


class TeamMemberFormSet(forms.BaseInlineFormSet):
    """The hard rules across all rows at once, before the database sees them.

    Each row alone cannot know that another new row names the same person or
    a second team leader; the database constraints would refuse the save with
    an error page. Here the person gets a clear message instead, with every
    row kept as typed.
    """

    def clean(self):
        if any(self.errors):
            return
        rows = [
            form
            for form in self.forms
            if hasattr(form, "cleaned_data")
            and form.cleaned_data
            and not self._should_delete_form(form)
        ]
        leaders = [form for form in rows if form.cleaned_data.get("role") == Role.TEAM_LEADER]
        if len(leaders) > 1:
            for form in leaders[1:]:
                form.add_error(
                    "role", _("The team already has a team leader. A team has exactly one.")
                )
        seen = set()
        for form in rows:
            person = form.cleaned_data.get("person")
            if person is None:
                continue
            if person.pk in seen:
                form.add_error(
                    "person", _("%(person)s is already a member of the team.") % {"person": person}
                )
            seen.add(person.pk)
        if not any(self.errors):
            # Django's own check across rows; ours above says it more clearly.
            super().clean()


# --- Measures and measurements ----------------------------------------------------


#: Rows one press of "Add rows" adds, and the blank rows of a measure whose network
#: has not started (its baseline).
EMPTY_ROWS = 6
#: Blank rows for the missing periods up to now: at most this many, the latest.
MAX_BLANK_ROWS = 24
MAX_ROWS = 400
MAX_CSV_BYTES = 1024 * 1024


#: The kinds entered as a numerator over a denominator.
WITH_DENOMINATOR = (MeasureKind.PROPORTION, MeasureKind.RATE)


def check_point(kind, numerator, denominator, value):
    """The problem with one data point as (field, message), or None. Blank everywhere
    is fine (no point). The field is the one the person has to correct."""
    if kind == MeasureKind.RATE:
        if numerator is None and denominator is None:
            return None
        if numerator is None or denominator is None:
            missing = "numerator" if numerator is None else "denominator"
            return missing, _("A rate needs both the events and the exposure.")
        if denominator <= 0:
            return "denominator", _("The exposure must be greater than 0.")
        if numerator < 0:
            return "numerator", _("The number of events cannot be below 0.")
        return None
    if kind == MeasureKind.PROPORTION:
        if numerator is None and denominator is None:
            return None
        if numerator is None or denominator is None:
            missing = "numerator" if numerator is None else "denominator"
            return missing, _("A proportion needs both numerator and denominator.")
        if denominator <= 0:
            return "denominator", _("The denominator must be greater than 0.")
        if numerator < 0 or numerator > denominator:
            return "numerator", _("The numerator must be between 0 and the denominator.")
        return None
    if value is None:
        return None
    if kind == MeasureKind.COUNT and (value < 0 or value != value.to_integral_value()):
        return "value", _("A count is a whole number, 0 or more.")
    return None


def future_problem(start, today):
    """The message for a point in a period that has not begun, or None."""
    if start > today:
        return _(
            "This period has not begun yet (it starts %(date)s): a point cannot be "
            "entered for the future. Check the date."
        ) % {"date": date_format(start, "j. F Y")}
    return None


#: When to use which chart: one sentence each, shown under the choice.
CHART_ADVICE = {
    ChartType.RUN: gettext_lazy(
        "Run chart: the median and the Anhøj rules; it suits every measure, even with few points."
    ),
    ChartType.I: gettext_lazy(
        "I chart: for measured values, such as a time or a score, one value per period."
    ),
    ChartType.P: gettext_lazy(
        "P chart: for a proportion; its limits follow each period's denominator."
    ),
    ChartType.P_PRIME: gettext_lazy(
        "P′ chart: for a proportion with large denominators (hundreds or more a period), "
        "where a P chart's limits are too narrow."
    ),
    ChartType.U: gettext_lazy(
        "U chart: for events per exposure, such as falls per 1,000 bed-days, with the "
        "exposure as the denominator."
    ),
    ChartType.U_PRIME: gettext_lazy(
        "U′ chart: for events per exposure when the exposure is large and a U chart's "
        "limits are too narrow."
    ),
    ChartType.C: gettext_lazy(
        "C chart: for a count of events in periods of about the same size, such as falls "
        "a month in one unit."
    ),
    ChartType.T: gettext_lazy(
        "T chart: for rare events, such as pressure ulcers, where most months count none; "
        "it plots the days between the events."
    ),
    ChartType.G: gettext_lazy(
        "G chart: for rare events counted in cases, such as operations or admissions "
        "between two infections."
    ),
}

#: Why a chart does not fit the measure's type (a run chart and an I chart fit every type).
CHART_MISFIT = {
    ChartType.P: gettext_lazy("A P chart needs a numerator and a denominator: a proportion."),
    ChartType.P_PRIME: gettext_lazy(
        "A P′ chart needs a numerator and a denominator: a proportion."
    ),
    ChartType.U: gettext_lazy(
        "A U chart needs the events and the exposure as numerator and denominator."
    ),
    ChartType.U_PRIME: gettext_lazy(
        "A U′ chart needs the events and the exposure as numerator and denominator."
    ),
    ChartType.C: gettext_lazy("A C chart is for a count."),
    ChartType.T: gettext_lazy("A T chart is for rare events: the measure's type is rare events."),
    ChartType.G: gettext_lazy("A G chart is for rare events: the measure's type is rare events."),
}


def chart_choice_field():
    """The measure's chart: empty for the chart its type proposes (P for a proportion,
    C for a count, I for a value), with a sentence on when to use each."""
    advice = format_html_join("", "<li>{}</li>", ((text,) for text in CHART_ADVICE.values()))
    return forms.ChoiceField(
        label=gettext_lazy("Chart"),
        choices=[
            (
                "",
                gettext_lazy(
                    "Proposed for the type: P for a proportion, U for a rate, C for a count, "
                    "I for a value, T for rare events"
                ),
            ),
            *ChartType.choices,
        ],
        required=False,
        help_text=format_html('<ul class="mb-0 ps-3">{}</ul>', advice),
    )


class MeasureForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = [
            "recommended",
            "name",
            "definition",
            "kind",
            "period",
            "goal",
            "direction",
            "baseline_points",
            "chart",
            "rate_per",
        ]
        widgets = {"definition": forms.Textarea(attrs={"rows": 3})}
        # Numbers as typed in Norway ("12,5"); the browser's number input reads it as 125.
        field_classes = {
            "goal": numbers.DecimalField,
            "baseline_points": numbers.IntegerField,
            "rate_per": numbers.IntegerField,
        }

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.team = team
        recommended = self.fields["recommended"]
        recommended.queryset = RecommendedMeasure.objects.filter(focus_area=team.focus_area_id)
        recommended.required = False
        recommended.help_text = _(
            "Pick one to fill in the rest, or leave empty and define your own."
        )
        self.fields["name"].required = False
        self.fields["chart"] = chart_choice_field()
        self.fields["rate_per"].required = False
        self.fields["kind"].help_text = _(
            "A proportion: the share of the denominator that the numerator is. A rate: "
            "events per exposure, such as falls per 1 000 bed-days. Rare events: the date "
            "of each event, when most periods would count none."
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("name") and not cleaned.get("recommended"):
            self.add_error("name", _("Give the measure a name, or pick one from the list."))
        kind = getattr(cleaned.get("recommended"), "kind", None) or cleaned.get("kind")
        if kind in PROPOSED_CHART and "chart" in cleaned:
            if not cleaned["chart"]:
                cleaned["chart"] = PROPOSED_CHART[kind]
            elif cleaned["chart"] not in CHARTS_FOR_KIND[kind]:
                self.add_error("chart", CHART_MISFIT[cleaned["chart"]])
        if cleaned.get("rate_per") is None:
            cleaned["rate_per"] = DEFAULT_RATE_PER
        elif cleaned["rate_per"] < 1:
            self.add_error("rate_per", _("Give a whole number of 1 or more, such as 1 000."))
        name = cleaned.get("name") or getattr(cleaned.get("recommended"), "name", "")
        if (
            name
            and Measure.objects.filter(team=self.team, name=name)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("name", _("The team already has a measure with this name."))
        return cleaned

    def validate_unique(self):
        pass  # checked in clean(), with the team the form does not show


def _point_number(label):
    return numbers.DecimalField(label=label, required=False, max_digits=12, decimal_places=2)


class PointForm(forms.Form):
    """One row of the grid: a period and its numbers. ``original`` is the period the
    row had when the page was made, so that a corrected date moves the point."""

    period_start = forms.DateField(label=gettext_lazy("Period"))
    numerator = _point_number(gettext_lazy("Numerator"))
    denominator = _point_number(gettext_lazy("Denominator"))
    value = _point_number(gettext_lazy("Value"))
    original = forms.DateField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, measure, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = measure
        self.today = today
        if measure.kind in WITH_DENOMINATOR:
            del self.fields["value"]
        else:
            del self.fields["numerator"], self.fields["denominator"]
        if measure.kind == MeasureKind.RATE:
            self.fields["numerator"].label = _("Events")
            self.fields["denominator"].label = _("Exposure")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("period_start"):
            cleaned["period_start"] = period_start(self.measure.period, cleaned["period_start"])
        if self.errors:
            return cleaned
        numbers_given = [cleaned.get(name) for name in ("numerator", "denominator", "value")]
        problem = check_point(self.measure.kind, *numbers_given)
        if problem:
            self.add_error(*problem)
        elif any(number is not None for number in numbers_given):
            future = future_problem(cleaned["period_start"], self.today)
            if future:
                self.add_error("period_start", future)
        return cleaned

    def row(self):
        data = self.cleaned_data
        return (
            data["period_start"],
            data.get("numerator"),
            data.get("denominator"),
            data.get("value"),
        )


class BasePointFormSet(forms.BaseFormSet):
    def __init__(self, *args, measure, today, **kwargs):
        self.measure = measure
        self.today = today
        super().__init__(*args, form_kwargs={"measure": measure, "today": today}, **kwargs)

    def clean(self):
        """A period twice in the grid is marked on the later row, whatever else is wrong."""
        first_row = {}
        for number, form in enumerate(self.forms, start=1):
            start = getattr(form, "cleaned_data", {}).get("period_start")
            if start is None:
                continue
            if start in first_row:
                form.add_error(
                    "period_start",
                    _("This period is also in row %(row)d.") % {"row": first_row[start]},
                )
            else:
                first_row[start] = number

    def rows(self):
        return [form.row() for form in self.forms if form.cleaned_data.get("period_start")]

    def moved(self):
        """The periods of points whose date was corrected to another period: they go."""
        kept = {row[0] for row in self.rows()}
        return sorted(
            {
                form.cleaned_data["original"]
                for form in self.forms
                if form.cleaned_data.get("original") and form.cleaned_data["original"] not in kept
            }
        )


PointFormSet = forms.formset_factory(
    PointForm, formset=BasePointFormSet, extra=0, max_num=MAX_ROWS, validate_max=True
)


def grid_initial(measure, today):
    """The existing points, then blank rows for the periods still missing up to now.

    A point cannot be entered for a period that has not begun, so no blank row is
    offered for one ("Add rows" gives more on request). The blank rows follow the
    latest point that is not in the future: a point saved for a future period by
    mistake (before such points were refused) is shown, but the rows never
    continue from it. A measure without points gets the periods from the
    network's start, or the last ``EMPTY_ROWS`` periods when the network has not
    started; at most ``MAX_BLANK_ROWS``, the latest.
    """
    points = list(measure.measurements.all())
    current = period_start(measure.period, today)
    taken = {p.period_start for p in points}
    past = [p.period_start for p in points if p.period_start <= current]
    if past:
        (first,) = next_periods(measure.period, past[-1], 1)
    else:
        first = period_start(measure.period, measure.team.network.start_date or today)
        if first > current:
            first = current
            for _row in range(EMPTY_ROWS - 1):
                first = previous_period(measure.period, first)
    starts = []
    day = first
    while day <= current:
        if day not in taken:
            starts.append(day)
        (day,) = next_periods(measure.period, day, 1)
    initial = [
        {
            "period_start": p.period_start,
            "numerator": p.numerator,
            "denominator": p.denominator,
            "value": p.value,
            "original": p.period_start,
        }
        for p in points
    ]
    initial += [{"period_start": start} for start in starts[-MAX_BLANK_ROWS:]]
    return sorted(initial, key=lambda row: row["period_start"])


def more_rows(measure, data, today, count=EMPTY_ROWS):
    """The grid's rows as typed (``data``, a POST), and ``count`` blank rows more.

    The new rows continue from the latest date typed that is not in the future,
    so that one mistaken date is not carried on; a date already in the grid is
    skipped. Nothing is checked or saved: the rows come back as they were typed.
    """
    prefix = "form"
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), MAX_ROWS)
    except ValueError:
        total = 0
    names = ["period_start", "numerator", "denominator", "value", "original"]
    rows = [
        {name: data.get(f"{prefix}-{index}-{name}", "") for name in names} for index in range(total)
    ]
    current = period_start(measure.period, today)
    dates = set()
    for row in rows:
        try:
            dates.add(period_start(measure.period, dt.date.fromisoformat(row["period_start"])))
        except ValueError:
            continue
    sane = [day for day in dates if day <= current]
    base = max(sane) if sane else current
    added = []
    while len(added) < min(count, MAX_ROWS - len(rows)):
        (base,) = next_periods(measure.period, base, 1)
        if base not in dates:
            added.append({"period_start": base})
    return rows + added


def _date(text):
    text = (text or "").strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%Y-%m"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


HEADERS = {
    "periode": "period",
    "period": "period",
    "dato": "period",
    "date": "period",
    "teller": "numerator",
    "numerator": "numerator",
    "nevner": "denominator",
    "denominator": "denominator",
    "verdi": "value",
    "antall": "value",
    "value": "value",
    "count": "value",
}


class CSVUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "Columns: periode;teller;nevner for a proportion, or "
            "periode;verdi. Dates as 2026-09-01, 01.09.2026 or 2026-09."
        ),
    )

    def __init__(self, *args, measure, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = measure
        self.today = today
        self.rows = []
        self.row_errors = []

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise ValidationError(_("The file is larger than 1 MB."))
        raw = upload.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
        try:
            self.rows, self.row_errors = parse_csv(self.measure, text, self.today)
        except csv.Error:  # not text in rows: a spreadsheet, a zip, a picture
            raise ValidationError(
                _(
                    "The file could not be read as a CSV file. Save the sheet as CSV "
                    "(semicolon-separated) and upload that file."
                )
            ) from None
        if self.row_errors:
            raise ValidationError(
                _("Nothing was saved: correct the rows listed above and upload the file again.")
            )
        if not self.rows:
            raise ValidationError(_("The file has no data rows."))
        return upload


class SemicolonDialect(csv.excel):
    delimiter = ";"


def parse_csv(measure, text, today):
    """(rows, errors): every row checked; errors as (line number, message).
    Numbers are read by ``lib.numbers.parse_number``, as in every form."""
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else "", delimiters=";,\t")
    except csv.Error:
        dialect = SemicolonDialect
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    if header is None:
        return [], [(1, _("The file is empty."))]
    columns = [HEADERS.get(name.strip().lower()) for name in header]
    needed = (
        {"period", "numerator", "denominator"}
        if measure.kind in WITH_DENOMINATOR
        else {"period", "value"}
    )
    missing = needed - set(columns)
    if missing:
        expected = "periode;teller;nevner" if measure.kind in WITH_DENOMINATOR else "periode;verdi"
        return [], [
            (1, _("The first line must name the columns: %(expected)s.") % {"expected": expected})
        ]
    rows, errors, seen = [], [], {}
    for line, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue
        cells = {
            column: (record[i] if i < len(record) else "")
            for i, column in enumerate(columns)
            if column
        }
        try:
            start = period_start(measure.period, _date(cells["period"]))
        except ValueError:
            errors.append((line, _("«%(text)s» is not a date.") % {"text": cells["period"]}))
            continue
        try:
            values = {
                name: numbers.parse_number(cells.get(name) or "")
                for name in ("numerator", "denominator", "value")
            }
        except ValueError as error:
            errors.append((line, _("«%(text)s» is not a number.") % {"text": error.args[0]}))
            continue
        problem = check_point(
            measure.kind, values["numerator"], values["denominator"], values["value"]
        )
        if problem:
            errors.append((line, problem[1]))
            continue
        given = any(number is not None for number in values.values())
        future = future_problem(start, today) if given else None
        if future:
            errors.append((line, future))
            continue
        if start in seen:
            errors.append(
                (
                    line,
                    _("The period %(period)s is also on line %(line)d.")
                    % {"period": start.isoformat(), "line": seen[start]},
                )
            )
            continue
        seen[start] = line
        rows.append((start, values["numerator"], values["denominator"], values["value"]))
    return rows, errors


class PDSAForm(forms.ModelForm):
    class Meta:
        model = PDSACycle
        fields = [
            "change",
            "measure",
            "prediction",
            "outcome",
            "learning",
            "next_step",
            "start_date",
            "end_date",
        ]
        widgets = {
            "prediction": forms.Textarea(attrs={"rows": 2}),
            "outcome": forms.Textarea(attrs={"rows": 2}),
            "learning": forms.Textarea(attrs={"rows": 2}),
            "next_step": forms.Textarea(attrs={"rows": 2}),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        # The team's measures are offered from __init__, in the request's scope.
        field_classes = {"measure": SafeModelChoiceField}

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.team = team
        self.fields["measure"].queryset = team.measures.all()


# --- Rare events ------------------------------------------------------------------


MAX_EVENTS = 1000


class EventsForm(forms.Form):
    """A rare-event measure's events, one a line: the date (dd.mm.åååå) and, for a G
    chart, the cases since the event before ("12.03.2026; 45"). The whole list is
    saved at once; a wrong line is named by its number, and the text stays as typed."""

    events = forms.CharField(
        label=gettext_lazy("Events, one date a line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false", "autocomplete": "off"}),
    )

    def __init__(self, *args, measure, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = measure
        self.today = today
        if measure.chart == ChartType.G:
            self.fields["events"].help_text = _(
                "The date as 12.03.2026, a semicolon, and the number of cases (such as "
                "operations or admissions) since the event before: 12.03.2026; 45."
            )
        else:
            self.fields["events"].help_text = _(
                "The date as 12.03.2026. Two events on one day: the date on two lines."
            )

    @staticmethod
    def initial_text(measure):
        """The measure's events as the field shows them."""
        lines = []
        for point in measure.measurements.all():
            day = format_date(point.period_start)
            if measure.chart == ChartType.G:
                count = "" if point.value is None else f"; {numbers.format_number(point.value)}"
                lines.append(day + count)
            else:
                lines += [day] * max(int(point.value or 1), 1)
        return "\n".join(lines)

    def clean_events(self):
        text = self.cleaned_data["events"]
        problems, dates = [], {}
        cases_chart = self.measure.chart == ChartType.G
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) > MAX_EVENTS:
            raise ValidationError(
                _("At most %(count)d events at once.") % {"count": MAX_EVENTS}, code="too_many"
            )
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            date_text, _sep, count_text = line.partition(";")
            try:
                day = parse_date(date_text)
            except ValueError:
                problems.append(
                    _("Line %(line)d: «%(text)s» is not a date; write it as 12.03.2026.")
                    % {"line": number, "text": date_text.strip()}
                )
                continue
            if day > self.today:
                problems.append(
                    _("Line %(line)d: %(date)s is in the future.")
                    % {"line": number, "date": format_date(day)}
                )
                continue
            count = None
            if count_text.strip():
                try:
                    count = numbers.parse_number(count_text)
                except ValueError:
                    count = None
                if count is None or count < 0 or count != count.to_integral_value():
                    problems.append(
                        _("Line %(line)d: «%(text)s» is not a whole number of cases.")
                        % {"line": number, "text": count_text.strip()}
                    )
                    continue
            if cases_chart:
                if day in dates:
                    problems.append(
                        _("Line %(line)d: %(date)s is also on line %(other)d.")
                        % {"line": number, "date": format_date(day), "other": dates[day][0]}
                    )
                    continue
                dates[day] = (number, count)
            else:
                first, seen = dates.get(day, (number, 0))
                dates[day] = (first, seen + 1)
        if problems:
            raise ValidationError(problems, code="invalid")
        if cases_chart:
            return sorted((day, count) for day, (_line, count) in dates.items())
        return sorted((day, Decimal(seen)) for day, (_line, seen) in dates.items())


# --- Parts and excluded points ----------------------------------------------------


class PointMarkForm(forms.Form):
    """Mark one point: a new part of the chart from it, or left out of the analysis;
    either needs the reason, which the page and the chart's text show."""

    period = forms.TypedChoiceField(
        label=gettext_lazy("Point"), coerce=dt.date.fromisoformat, empty_value=None
    )
    new_part = forms.BooleanField(
        label=gettext_lazy("New part from this period (after a change that has lasted)"),
        required=False,
    )
    excluded = forms.BooleanField(
        label=gettext_lazy("Leave the point out of the centre line and the limits"),
        required=False,
    )
    note = forms.CharField(label=gettext_lazy("Reason"), max_length=200, required=False)

    def __init__(self, *args, measure, labels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [("", "—")] + [
            (start.isoformat(), label) for start, label in labels
        ]

    def clean(self):
        cleaned = super().clean()
        marked = cleaned.get("new_part") or cleaned.get("excluded")
        if marked and not (cleaned.get("note") or "").strip():
            self.add_error(
                "note", _("Say why: the change that lasted, or why the point is left out.")
            )
        return cleaned
