"""What changed between two versions of a text, line by line and, within a changed
line, word by word (difflib). Rendered as <del> and <ins> with words that a
screen reader says ("Fjernet:", "Lagt til:"), since the elements alone are not
announced; colours come from the style sheet, never inline."""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Piece:
    """A run of text: "same", "removed" or "added"."""

    kind: str
    text: str


def _words(old: str, new: str) -> list[Piece]:
    a, b = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    pieces = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(Piece("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece("removed", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("added", "".join(b[j1:j2])))
    return pieces


def line_diff(old: str, new: str) -> list[list[Piece]]:
    """The new text's lines, and the removed ones where they were; each line a list
    of pieces. A line edited (at least half of it kept) is compared word by word."""
    a, b = old.splitlines(), new.splitlines()
    lines: list[list[Piece]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            lines += [[Piece("same", line)] for line in a[i1:i2]]
        elif op == "replace" and i2 - i1 == j2 - j1:
            for x, y in zip(a[i1:i2], b[j1:j2], strict=True):
                if difflib.SequenceMatcher(None, x, y, autojunk=False).ratio() >= 0.5:
                    lines.append(_words(x, y))  # an edited line
                else:  # a line replaced by another: both whole
                    lines += [[Piece("removed", x)], [Piece("added", y)]]
        else:
            lines += [[Piece("removed", line)] for line in a[i1:i2]]
            lines += [[Piece("added", line)] for line in b[j1:j2]]
    return lines


def changed(old: str, new: str) -> bool:
    return old.splitlines() != new.splitlines()


def render(lines: list[list[Piece]]) -> SafeString:
    """The lines as HTML: one <li> a line, <del> and <ins> for what changed."""
    removed, added = _("Removed:"), _("Added:")

    def piece(p: Piece) -> SafeString:
        if p.kind == "removed":
            return format_html('<del><span class="diff-label">{} </span>{}</del>', removed, p.text)
        if p.kind == "added":
            return format_html('<ins><span class="diff-label">{} </span>{}</ins>', added, p.text)
        return format_html("{}", p.text)

    return format_html(
        '<ul class="text-diff">{}</ul>',
        format_html_join(
            "", "<li>{}</li>", ((SafeString("".join(piece(p) for p in line)),) for line in lines)
        ),
    )
