"""The rounds side by side: one bar per round for each statement, as SVG, with
its legend as HTML beneath (it wraps on a narrow screen, so labels never overlap),
and the same scores as a table with the change from the first round to the last."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from assessments.models import STATEMENTS
from lib.numbers import format_number

COLOURS = ["#9ec5fe", "#3d8bfd", "#0a58ca", "#052c65"]
WIDTH, ROW, LEFT, BAR = 720, 46, 40, 9
#: The chart draws the latest rounds only; the table has them all.
CHART_ROUNDS = 4


def comparison(rounds) -> str:
    """``rounds`` is [(label, {statement: rating})], oldest first."""
    rounds = rounds[-CHART_ROUNDS:]
    height = ROW * len(STATEMENTS) + 30
    scale = (WIDTH - LEFT - 20) / 4
    summary = "; ".join(
        f"{number}: "
        + ", ".join(f"{label} {ratings.get(number, '–')}" for label, ratings in rounds)
        for number in range(1, len(STATEMENTS) + 1)
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="sof-title sof-desc" '
        f'font-family="DejaVu Sans, Arial, sans-serif" font-size="11">',
        f'<title id="sof-title">{escape(_("Snakk om forbedring: the rounds compared"))}</title>',
        f'<desc id="sof-desc">{escape(_("Level per statement (1–4): ") + summary)}</desc>',
    ]
    for level in range(1, 5):
        x = LEFT + level * scale
        parts.append(
            f'<line x1="{x:.0f}" x2="{x:.0f}" y1="0" y2="{height - 30}" '
            f'stroke="#dee2e6"/><text x="{x:.0f}" y="{height - 14}" '
            f'text-anchor="middle">{level}</text>'
        )
    for number in range(1, len(STATEMENTS) + 1):
        top = (number - 1) * ROW + 4
        parts.append(f'<text x="{LEFT - 8}" y="{top + 18}" text-anchor="end">{number}</text>')
        for index, (_label, ratings) in enumerate(rounds):
            rating = ratings.get(number)
            if rating:
                parts.append(
                    f'<rect x="{LEFT}" y="{top + index * (BAR + 1)}" '
                    f'width="{rating * scale:.0f}" height="{BAR}" '
                    f'fill="{COLOURS[index % len(COLOURS)]}"/>'
                )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - built from escaped parts


def legend(labels: list[str]) -> list[tuple[int, str]]:
    """(colour number, label) of the rounds the chart draws; the colour number picks
    the swatch's class (``sof-swatch-N`` in static/css/app.css)."""
    return [(index % len(COLOURS), label) for index, label in enumerate(labels[-CHART_ROUNDS:])]


@dataclass(frozen=True)
class ScoreRow:
    number: int | None  # None for the average
    statement: str
    scores: list[Decimal | int | None]
    change: Decimal | int | None

    @property
    def change_text(self) -> str:
        return "" if self.change is None else signed(self.change)


def score_table(rounds) -> list[ScoreRow]:
    """One row per statement and one for the average: each round's score, and the
    change from the first round to the last where both have a score."""

    def change(scores):
        if len(scores) < 2 or scores[0] is None or scores[-1] is None:
            return None
        return scores[-1] - scores[0]

    rows = []
    for number, statement in enumerate(STATEMENTS, start=1):
        scores = [ratings.get(number) for _label, ratings in rounds]
        rows.append(ScoreRow(number, statement, scores, change(scores)))
    averages: list[Decimal | int | None] = []
    for _label, ratings in rounds:
        values = [ratings[n] for n in range(1, len(STATEMENTS) + 1) if n in ratings]
        averages.append(
            (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1"), ROUND_HALF_UP)
            if values
            else None
        )
    rows.append(ScoreRow(None, _("Average"), averages, change(averages)))
    return rows


def signed(change: Decimal | int) -> str:
    """+2, −1 (a minus sign, not a hyphen), 0; a decimal comma in bokmål."""
    text = format_number(abs(change))
    if change > 0:
        return "+" + text
    if change < 0:
        return "\u2212" + text
    return text
