"""Run and control charts as SVG: one picture for the page, the PDF and the e-mail.

A control chart adds a centre line and limits per point, drawn as steps (a P or U
chart's limits change with each period's denominator), and marks each point beyond
a limit with a diamond and each point of a signalling run with a square: a shape as
well as a colour (WCAG 1.4.1). A legend under the axis names what is drawn.

Pure: numbers in, markup out. No inline style (presentation attributes only),
so the strict Content-Security-Policy holds; the chart carries a <title> and a
<desc> that say in words what it shows, for screen readers.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 20, 24, 56
COLOURS = {
    "line": "#1f4e79",
    "centre": "#6c757d",
    "signal": "#c0392b",
    "goal": "#198754",
    "annotation": "#b35c00",
    "grid": "#dee2e6",
    "text": "#212529",
    "limit": "#495057",
    "run": "#b35c00",
}
LEGEND_HEIGHT = 22
POINT = COLOURS["line"]


@dataclass
class Chart:
    labels: list[str]
    values: list[float | None]
    centre: float | None = None
    goal: float | None = None
    signal: bool = False
    freeze: int | None = None
    annotations: list[tuple[int, str]] = field(default_factory=list)
    title: str = ""
    description: str = ""
    unit: str = ""
    chart_id: str = "chart"
    decimal_mark: str = ","
    #: Control charts: the centre line and limits per point (None where there are none),
    #: the points beyond a limit and those in a signalling run.
    centre_line: list[float | None] | None = None
    lower: list[float | None] | None = None
    upper: list[float | None] | None = None
    outside: list[bool] = field(default_factory=list)
    in_run: list[bool] = field(default_factory=list)
    #: (what, label) pairs; what is one of "centre", "limit", "outside", "run", "goal".
    legend: list[tuple[str, str]] = field(default_factory=list)
    height: int = HEIGHT
    width: int = WIDTH
    #: The y axis from low to high, to draw several charts on one scale; None: fit the data.
    y_range: tuple[float, float] | None = None
    #: (first, last) point of each PDSA cycle, drawn as a band from its start to its end.
    spans: list[tuple[int, int]] = field(default_factory=list)
    #: The points where a new part (with its own centre line) starts.
    part_starts: list[int] = field(default_factory=list)
    #: Per point: drawn as an open circle, left out of the analysis.
    excluded: list[bool] = field(default_factory=list)
    #: A file of its own (a download): its size in pixels and a white background,
    #: rather than the width of the page.
    standalone: bool = False


def format_number(number: float, decimal_mark: str = ",") -> str:
    """``number`` with at most two decimals and no trailing zeros: 2,5 and 3."""
    text = f"{number:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", decimal_mark)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2, 2.5 or 5 times a power of ten) covering low..high."""
    if high <= low:
        return [low]
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(low / step) * step
    ticks, value = [], first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks


def render(chart: Chart) -> str:
    known = [v for v in chart.values if v is not None]
    extra = [v for v in (chart.centre, chart.goal) if v is not None]
    for line in (chart.centre_line, chart.lower, chart.upper):
        extra += [v for v in line or () if v is not None]
    low = min(known + extra, default=0.0)
    high = max(known + extra, default=1.0)
    if high == low:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.08
    low, high = low - pad, high + pad
    if chart.y_range is not None:
        low, high = chart.y_range
    width = chart.width
    legend_h = LEGEND_HEIGHT if chart.legend else 0
    height = chart.height + legend_h
    bottom = BOTTOM + legend_h
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - bottom
    count = max(len(chart.values), 1)

    # Every coordinate is computed and formatted once: a page of small multiples
    # draws some thirty charts.
    step_x = plot_w / count
    xs = [LEFT + step_x * (index + 0.5) for index in range(count)]
    scale, base = plot_h / (high - low), TOP + plot_h

    def x(index: int) -> float:
        return xs[index] if 0 <= index < count else LEFT + step_x * (index + 0.5)

    def y(value: float) -> float:
        return base - (value - low) * scale

    title_id, desc_id = f"{chart.chart_id}-title", f"{chart.chart_id}-desc"
    size = f'width="{width}" height="{height}"' if chart.standalone else 'width="100%"'
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'{size} role="img" aria-labelledby="{title_id} {desc_id}" class="run-chart" '
        f'font-family="DejaVu Sans, Arial, sans-serif" font-size="11">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
        f'<desc id="{desc_id}">{escape(chart.description)}</desc>',
    ]
    if chart.standalone:
        parts.append(f'<rect width="{width}" height="{height}" fill="#fff"/>')
    for tick in nice_ticks(low, high):
        parts.append(
            f'<line x1="{LEFT}" x2="{width - RIGHT}" y1="{y(tick):.1f}" '
            f'y2="{y(tick):.1f}" stroke="{COLOURS["grid"]}" stroke-width="1"/>'
        )
        label = escape(format_number(tick, chart.decimal_mark) + chart.unit)
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" '
            f'fill="{COLOURS["text"]}">{label}</text>'
        )
    every = max(1, count // max(1, 12 * width // WIDTH))
    for index, label in enumerate(chart.labels):
        if index % every == 0:
            parts.append(
                f'<text x="{x(index):.1f}" y="{height - bottom + 16}" text-anchor="end" '
                f'transform="rotate(-35 {x(index):.1f} {height - bottom + 16})" '
                f'fill="{COLOURS["text"]}">{escape(label)}</text>'
            )
    for first, last in chart.spans:
        if 0 <= first < count:
            left, right = x(first) - step_x / 2, x(min(last, count - 1)) + step_x / 2
            parts.append(
                f'<rect class="pdsa-span" x="{left:.1f}" y="{TOP}" width="{right - left:.1f}" '
                f'height="{plot_h:.1f}" fill="{COLOURS["annotation"]}" fill-opacity="0.12"/>'
            )
    for start in chart.part_starts:
        if 0 < start < count:
            boundary = x(start) - step_x / 2
            parts.append(
                f'<line class="part-start" x1="{boundary:.1f}" x2="{boundary:.1f}" y1="{TOP}" '
                f'y2="{height - bottom}" stroke="{COLOURS["text"]}" stroke-width="1.5" '
                f'stroke-dasharray="4 2"/>'
            )
    if chart.goal is not None:
        parts.append(
            f'<line x1="{LEFT}" x2="{width - RIGHT}" y1="{y(chart.goal):.1f}" '
            f'y2="{y(chart.goal):.1f}" stroke="{COLOURS["goal"]}" stroke-width="2" '
            f'stroke-dasharray="2 4"/>'
        )
    if chart.centre is not None:
        colour = COLOURS["signal"] if chart.signal else COLOURS["centre"]
        parts.append(
            f'<line x1="{LEFT}" x2="{width - RIGHT}" y1="{y(chart.centre):.1f}" '
            f'y2="{y(chart.centre):.1f}" stroke="{colour}" stroke-width="2" '
            f'stroke-dasharray="{"6 4" if chart.signal else "0"}"/>'
        )
        if chart.freeze:
            boundary = (x(chart.freeze - 1) + x(min(chart.freeze, count - 1))) / 2
            parts.append(
                f'<line x1="{boundary:.1f}" x2="{boundary:.1f}" y1="{TOP}" '
                f'y2="{height - bottom}" stroke="{COLOURS["centre"]}" '
                f'stroke-width="1" stroke-dasharray="1 3"/>'
            )
    for order, (index, label) in enumerate(chart.annotations):
        if 0 <= index < count:
            parts.append(
                f'<line x1="{x(index):.1f}" x2="{x(index):.1f}" y1="{TOP}" '
                f'y2="{height - bottom}" stroke="{COLOURS["annotation"]}" '
                f'stroke-width="1"/>'
            )
            parts.append(
                f'<text x="{x(index) + 3:.1f}" y="{TOP + 10 + 12 * (order % 2)}" '
                f'fill="{COLOURS["annotation"]}">{escape(label)}</text>'
            )
    x_text = [f"{px:.1f}" for px in xs]
    y_text = [None if value is None else f"{y(value):.1f}" for value in chart.values]
    segment: list[str] = []
    for index, text in enumerate(y_text):
        if text is None:
            if len(segment) > 1:
                parts.append(_polyline(segment))
            segment = []
            continue
        segment.append(f"{x_text[index]},{text}")
    if len(segment) > 1:
        parts.append(_polyline(segment))
    half = step_x / 2
    edges = [(f"{px - half:.1f}", f"{px + half:.1f}") for px in xs]
    for line, colour, dash in (
        (chart.upper, COLOURS["limit"], "5 3"),
        (chart.lower, COLOURS["limit"], "5 3"),
        (chart.centre_line, COLOURS["signal"] if chart.signal else COLOURS["centre"], "0"),
    ):
        if line:
            parts += _steps(line, y, edges, colour, dash)
    outside, in_run, excluded = chart.outside, chart.in_run, chart.excluded
    for index, text in enumerate(y_text):
        if text is None:
            continue
        if index < len(excluded) and excluded[index]:
            parts.append(
                f'<circle class="excluded" cx="{x_text[index]}" cy="{text}" r="4" fill="#fff" '
                f'stroke="{POINT}" stroke-width="1.5"/>'
            )
        elif index < len(outside) and outside[index]:
            parts.append(_diamond(xs[index], y(chart.values[index]), COLOURS["signal"]))  # type: ignore[arg-type]
        elif index < len(in_run) and in_run[index]:
            parts.append(_square(xs[index], y(chart.values[index]), COLOURS["run"]))  # type: ignore[arg-type]
        else:
            parts.append(f'<circle cx="{x_text[index]}" cy="{text}" r="3.5" fill="{POINT}"/>')
    if chart.legend:
        parts += _legend(chart.legend, height - 8, chart.signal)
    parts.append("</svg>")
    return "".join(parts)


def _steps(
    values: list[float | None],
    y: Callable[[float], float],
    edges: list[tuple[str, str]],
    colour: str,
    dash: str,
) -> list[str]:
    """A line per stretch of known values, level across each point's width (``edges``:
    the left and right of each point's place, formatted)."""
    lines: list[str] = []
    segment: list[str] = []
    for index, value in enumerate([*values, None]):
        if value is None:
            if segment:
                lines.append(
                    f'<polyline points="{" ".join(segment)}" fill="none" stroke="{colour}" '
                    f'stroke-width="1.5" stroke-dasharray="{dash}"/>'
                )
            segment = []
            continue
        level = f"{y(value):.1f}"
        left, right = edges[index]
        segment += (f"{left},{level}", f"{right},{level}")
    return lines


def _diamond(cx: float, cy: float, colour: str, size: float = 5.5) -> str:
    return (
        f'<polygon points="{cx:.1f},{cy - size:.1f} {cx + size:.1f},{cy:.1f} '
        f'{cx:.1f},{cy + size:.1f} {cx - size:.1f},{cy:.1f}" fill="{colour}"/>'
    )


def _square(cx: float, cy: float, colour: str, size: float = 4.0) -> str:
    return (
        f'<rect x="{cx - size:.1f}" y="{cy - size:.1f}" width="{2 * size:.1f}" '
        f'height="{2 * size:.1f}" fill="{colour}"/>'
    )


def _legend(items: list[tuple[str, str]], baseline: float, signal: bool) -> list[str]:
    """Each item's sample (line or shape) and label, left to right."""
    parts: list[str] = []
    left = LEFT
    for what, label in items:
        mid = baseline - 4
        if what == "outside":
            parts.append(_diamond(left + 8, mid, COLOURS["signal"], 5))
        elif what == "run":
            parts.append(_square(left + 8, mid, COLOURS["run"], 4))
        elif what == "excluded":
            parts.append(
                f'<circle cx="{left + 8}" cy="{mid}" r="4" fill="#fff" stroke="{POINT}" '
                f'stroke-width="1.5"/>'
            )
        elif what == "pdsa":
            parts.append(
                f'<rect x="{left}" y="{mid - 6}" width="18" height="12" '
                f'fill="{COLOURS["annotation"]}" fill-opacity="0.25"/>'
            )
        else:
            colour, dash = {
                "centre": (COLOURS["signal"] if signal else COLOURS["centre"], "0"),
                "limit": (COLOURS["limit"], "5 3"),
                "goal": (COLOURS["goal"], "2 4"),
            }[what]
            parts.append(
                f'<line x1="{left}" x2="{left + 18}" y1="{mid}" y2="{mid}" stroke="{colour}" '
                f'stroke-width="2" stroke-dasharray="{dash}"/>'
            )
        parts.append(
            f'<text x="{left + 22}" y="{baseline}" font-size="12" '
            f'fill="{COLOURS["text"]}">{escape(label)}</text>'
        )
        left += 30 + 7 * len(label)
    return parts


def _polyline(points: list[str]) -> str:
    return (
        f'<polyline points="{" ".join(points)}" fill="none" stroke="{COLOURS["line"]}" '
        f'stroke-width="2"/>'
    )


@dataclass
class Funnel:
    """A funnel plot: each unit's proportion (per cent) against its denominator, around
    the pooled proportion, with limits that narrow as the denominator grows."""

    points: list[tuple[float, float]]  # (denominator, per cent)
    outside: list[bool]
    centre: float
    #: (label, [(denominator, lower, upper)]) per pair of limits, inner first.
    limits: list[tuple[str, list[tuple[float, float, float]]]]
    title: str = ""
    description: str = ""
    x_label: str = ""
    chart_id: str = "funnel"
    decimal_mark: str = ","


def render_funnel(funnel: Funnel) -> str:
    height = HEIGHT + LEGEND_HEIGHT
    bottom = BOTTOM + LEGEND_HEIGHT
    plot_w, plot_h = WIDTH - LEFT - RIGHT, height - TOP - bottom
    sizes = [n for n, _p in funnel.points] + [n for _l, line in funnel.limits for n, *_ in line]
    low_n, high_n = 0.0, max(sizes, default=1.0) * 1.05

    def x(n: float) -> float:
        return LEFT + plot_w * (n - low_n) / (high_n - low_n)

    def y(percent: float) -> float:
        return TOP + plot_h * (1 - percent / 100)

    title_id, desc_id = f"{funnel.chart_id}-title", f"{funnel.chart_id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{title_id} {desc_id}" class="run-chart" '
        f'font-family="DejaVu Sans, Arial, sans-serif" font-size="11">',
        f'<title id="{title_id}">{escape(funnel.title)}</title>',
        f'<desc id="{desc_id}">{escape(funnel.description)}</desc>',
    ]
    for level in (0, 25, 50, 75, 100):
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(level):.1f}" y2="{y(level):.1f}" '
            f'stroke="{COLOURS["grid"]}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(level) + 4:.1f}" text-anchor="end" '
            f'fill="{COLOURS["text"]}">{level}%</text>'
        )
    for tick in nice_ticks(low_n, high_n):
        parts.append(
            f'<text x="{x(tick):.1f}" y="{height - bottom + 16}" text-anchor="middle" '
            f'fill="{COLOURS["text"]}">{escape(format_number(tick, funnel.decimal_mark))}</text>'
        )
    parts.append(
        f'<text x="{LEFT + plot_w / 2:.1f}" y="{height - bottom + 34}" text-anchor="middle" '
        f'fill="{COLOURS["text"]}">{escape(funnel.x_label)}</text>'
    )
    parts.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(funnel.centre):.1f}" '
        f'y2="{y(funnel.centre):.1f}" stroke="{COLOURS["centre"]}" stroke-width="2"/>'
    )
    dashes = ["2 3", "6 3"]
    for number, (_label, line) in enumerate(funnel.limits):
        for side in (1, 2):
            coordinates = " ".join(f"{x(row[0]):.1f},{y(row[side]):.1f}" for row in line)
            parts.append(
                f'<polyline points="{coordinates}" fill="none" stroke="{COLOURS["limit"]}" '
                f'stroke-width="1.5" stroke-dasharray="{dashes[number % 2]}"/>'
            )
    for (n, percent), out in zip(funnel.points, funnel.outside, strict=True):
        if out:
            parts.append(_diamond(x(n), y(percent), COLOURS["signal"]))
        else:
            parts.append(
                f'<circle cx="{x(n):.1f}" cy="{y(percent):.1f}" r="4" fill="{COLOURS["line"]}"/>'
            )
    left: float = LEFT
    baseline = height - 8
    for number, (label, _line) in enumerate(funnel.limits):
        parts.append(
            f'<line x1="{left}" x2="{left + 18}" y1="{baseline - 4}" y2="{baseline - 4}" '
            f'stroke="{COLOURS["limit"]}" stroke-width="2" '
            f'stroke-dasharray="{dashes[number % 2]}"/>'
        )
        parts.append(
            f'<text x="{left + 22}" y="{baseline}" font-size="12" '
            f'fill="{COLOURS["text"]}">{escape(label)}</text>'
        )
        left += 30 + 7 * len(label)
    parts.append("</svg>")
    return "".join(parts)


@dataclass
class Spread:
    """How many units stand at each level of a scale, per period: a bubble per
    (period, level) with the count written in it, and the median as a line."""

    labels: list[str]  # the periods, left to right
    levels: list[float]  # the scale, low to high
    counts: list[dict[float, int]]  # per period: {level: number of units}
    medians: list[float | None] = field(default_factory=list)
    title: str = ""
    description: str = ""
    median_label: str = ""
    chart_id: str = "spread"
    decimal_mark: str = ","


def render_spread(spread: Spread) -> str:
    height = HEIGHT + 60 + LEGEND_HEIGHT
    bottom = BOTTOM + LEGEND_HEIGHT
    plot_w, plot_h = WIDTH - LEFT - RIGHT, height - TOP - bottom
    columns = max(len(spread.labels), 1)
    rows = max(len(spread.levels), 1)
    low, high = spread.levels[0], spread.levels[-1]

    def x(index: int) -> float:
        return LEFT + plot_w * (index + 0.5) / columns

    def y(level: float) -> float:
        return TOP + plot_h * (1 - (level - low) / ((high - low) or 1))

    most = max((n for counts in spread.counts for n in counts.values()), default=1) or 1
    room = min(plot_w / columns, plot_h / rows) / 2 - 1

    title_id, desc_id = f"{spread.chart_id}-title", f"{spread.chart_id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{title_id} {desc_id}" class="run-chart" '
        f'font-family="DejaVu Sans, Arial, sans-serif" font-size="11">',
        f'<title id="{title_id}">{escape(spread.title)}</title>',
        f'<desc id="{desc_id}">{escape(spread.description)}</desc>',
    ]
    for level in spread.levels:
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(level):.1f}" y2="{y(level):.1f}" '
            f'stroke="{COLOURS["grid"]}" stroke-width="1"/>'
        )
        label = f"{level:.1f}".replace(".", spread.decimal_mark)
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(level) + 4:.1f}" text-anchor="end" '
            f'fill="{COLOURS["text"]}">{label}</text>'
        )
    for index, label in enumerate(spread.labels):
        parts.append(
            f'<text x="{x(index):.1f}" y="{height - bottom + 16}" text-anchor="middle" '
            f'fill="{COLOURS["text"]}">{escape(label)}</text>'
        )
    known = [(x(i), y(m)) for i, m in enumerate(spread.medians) if m is not None]
    half = plot_w / columns / 3
    for px, py in known:  # a dash at each period's median, seen with one period too
        parts.append(
            f'<line x1="{px - half:.1f}" x2="{px + half:.1f}" y1="{py:.1f}" y2="{py:.1f}" '
            f'stroke="{COLOURS["centre"]}" stroke-width="2" stroke-dasharray="6 4"/>'
        )
    if len(known) > 1:
        coordinates = " ".join(f"{px:.1f},{py:.1f}" for px, py in known)
        parts.append(
            f'<polyline points="{coordinates}" fill="none" stroke="{COLOURS["centre"]}" '
            f'stroke-width="2" stroke-dasharray="6 4"/>'
        )
    for index, counts in enumerate(spread.counts):
        for level, count in sorted(counts.items()):
            if not count:
                continue
            radius = max(7.0, room * math.sqrt(count / most))
            parts.append(
                f'<circle cx="{x(index):.1f}" cy="{y(level):.1f}" r="{radius:.1f}" '
                f'fill="{COLOURS["line"]}" fill-opacity="0.85"/>'
            )
            parts.append(
                f'<text x="{x(index):.1f}" y="{y(level) + 4:.1f}" text-anchor="middle" '
                f'fill="#ffffff" font-weight="bold">{count}</text>'
            )
    if spread.median_label and known:
        baseline = height - 8
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + 18}" y1="{baseline - 4}" y2="{baseline - 4}" '
            f'stroke="{COLOURS["centre"]}" stroke-width="2" stroke-dasharray="6 4"/>'
        )
        parts.append(
            f'<text x="{LEFT + 22}" y="{baseline}" font-size="12" '
            f'fill="{COLOURS["text"]}">{escape(spread.median_label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
