"""The rounds side by side: one bar per round for each statement, as SVG."""

from xml.sax.saxutils import escape

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from assessments.models import STATEMENTS

COLOURS = ["#9ec5fe", "#3d8bfd", "#0a58ca", "#052c65"]
WIDTH, ROW, LEFT, BAR = 720, 46, 40, 9


def comparison(rounds) -> str:
    """``rounds`` is [(label, {statement: rating})], oldest first."""
    rounds = rounds[-4:]
    height = ROW * len(STATEMENTS) + 40
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
    for index, (label, _ratings) in enumerate(rounds):
        parts.append(
            f'<rect x="{LEFT + index * 160}" y="{height - 10}" width="10" height="10" '
            f'fill="{COLOURS[index % len(COLOURS)]}"/><text x="{LEFT + index * 160 + 14}" '
            f'y="{height - 1}">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - built from escaped parts
