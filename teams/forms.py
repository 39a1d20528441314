import csv
import datetime as dt
import io
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes.forms import SafeModelChoiceField

from network.models import MeasureKind, RecommendedMeasure
from teams.models import CHARTS_FOR_KIND, PROPOSED_CHART, ChartType, Measure, PDSACycle, Role
from teams.services import next_periods, period_start


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


EMPTY_ROWS = 6
MAX_CSV_BYTES = 1024 * 1024


def check_point(kind, numerator, denominator, value):
    """The problem with one data point, or None. Blank everywhere is fine (no point)."""
    if kind == MeasureKind.PROPORTION:
        if numerator is None and denominator is None:
            return None
        if numerator is None or denominator is None:
            return _("A proportion needs both numerator and denominator.")
        if denominator <= 0:
            return _("The denominator must be greater than 0.")
        if numerator < 0 or numerator > denominator:
            return _("The numerator must be between 0 and the denominator.")
        return None
    if value is None:
        return None
    if kind == MeasureKind.COUNT and (value < 0 or value != value.to_integral_value()):
        return _("A count is a whole number, 0 or more.")
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
        "U chart: for events per exposure, such as falls per 100 bed-days, with the "
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
                    "Proposed for the type: P for a proportion, C for a count, I for a value"
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
        ]
        widgets = {"definition": forms.Textarea(attrs={"rows": 3})}

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


class PointForm(forms.Form):
    period_start = forms.DateField(label=gettext_lazy("Period"))
    numerator = forms.DecimalField(
        label=gettext_lazy("Numerator"),
        required=False,
        max_digits=12,
        decimal_places=2,
        localize=True,
    )
    denominator = forms.DecimalField(
        label=gettext_lazy("Denominator"),
        required=False,
        max_digits=12,
        decimal_places=2,
        localize=True,
    )
    value = forms.DecimalField(
        label=gettext_lazy("Value"), required=False, max_digits=12, decimal_places=2, localize=True
    )

    def __init__(self, *args, measure, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = measure
        if measure.kind == MeasureKind.PROPORTION:
            del self.fields["value"]
        else:
            del self.fields["numerator"], self.fields["denominator"]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if cleaned.get("period_start"):
            cleaned["period_start"] = period_start(self.measure.period, cleaned["period_start"])
        problem = check_point(
            self.measure.kind,
            cleaned.get("numerator"),
            cleaned.get("denominator"),
            cleaned.get("value"),
        )
        if problem:
            raise ValidationError(problem)
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
    def __init__(self, *args, measure, **kwargs):
        self.measure = measure
        super().__init__(*args, form_kwargs={"measure": measure}, **kwargs)

    def clean(self):
        if any(self.errors):
            return
        seen = {}
        for form in self.forms:
            start = form.cleaned_data.get("period_start")
            if start is None:
                continue
            if start in seen:
                form.add_error("period_start", _("This period is already in the grid."))
            seen[start] = form

    def rows(self):
        return [form.row() for form in self.forms if form.cleaned_data.get("period_start")]


PointFormSet = forms.formset_factory(
    PointForm, formset=BasePointFormSet, extra=0, max_num=400, validate_max=True
)


def grid_initial(measure, today):
    """The existing points, then empty rows for the periods that come next."""
    points = list(measure.measurements.all())
    initial = [
        {
            "period_start": p.period_start,
            "numerator": p.numerator,
            "denominator": p.denominator,
            "value": p.value,
        }
        for p in points
    ]
    last = points[-1].period_start if points else None
    if last is None:
        first = period_start(measure.period, measure.team.network.start_date or today)
        starts = [first, *next_periods(measure.period, first, EMPTY_ROWS - 1)]
    else:
        starts = next_periods(measure.period, last, EMPTY_ROWS)
    return initial + [{"period_start": start} for start in starts]


def _number(text):
    text = (text or "").strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not number.is_finite():
        raise ValueError(text)
    return number


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

    def __init__(self, *args, measure, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = measure
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
        self.rows, self.row_errors = parse_csv(self.measure, text)
        if self.row_errors:
            raise ValidationError(
                _("Nothing was saved: correct the rows below and upload the file again.")
            )
        if not self.rows:
            raise ValidationError(_("The file has no data rows."))
        return upload


class SemicolonDialect(csv.excel):
    delimiter = ";"


def parse_csv(measure, text):
    """(rows, errors): every row checked; errors as (line number, message)."""
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
        if measure.kind == MeasureKind.PROPORTION
        else {"period", "value"}
    )
    missing = needed - set(columns)
    if missing:
        expected = (
            "periode;teller;nevner" if measure.kind == MeasureKind.PROPORTION else "periode;verdi"
        )
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
            numbers = {
                name: _number(cells.get(name)) for name in ("numerator", "denominator", "value")
            }
        except ValueError as error:
            errors.append((line, _("«%(text)s» is not a number.") % {"text": error.args[0]}))
            continue
        problem = check_point(
            measure.kind, numbers["numerator"], numbers["denominator"], numbers["value"]
        )
        if problem:
            errors.append((line, problem))
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
        rows.append((start, numbers["numerator"], numbers["denominator"], numbers["value"]))
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
