"""A driver diagram as SVG, and the same diagram as a nested list.

Four columns, left to right: the aim, the primary drivers, the secondary drivers
and the change ideas. Each box is joined to the box it leads to by a line; a
change idea placed under a primary driver skips the secondary column. Change
ideas not yet placed under a driver stand below, in the last column, unjoined.

Pure: plain data in, markup out, as ``lib.svgchart``. No inline style
(presentation attributes only), so the strict Content-Security-Policy holds. The
SVG carries a <title> (WeasyPrint makes it the PDF figure's alternative text) and a
<desc>; ``text_alternative`` says everything the picture says, as a list.
"""

import textwrap
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

AIM, PRIMARY, SECONDARY, IDEA = "aim", "primary", "secondary", "idea"
COLUMN = {AIM: 0, PRIMARY: 1, SECONDARY: 2, IDEA: 3}

BOX_WIDTH = 190
COLUMN_GAP = 36
MARGIN = 12
HEADER = 30  # the column headings
PAD = 8
LINE = 15  # a line of text in a box
NOTE_LINE = 13
GAP = 10  # between two boxes of one column
#: Characters in one line of a box: DejaVu Sans at 12 px is about 7 px a character.
CHARS = 25
WIDTH = 2 * MARGIN + 4 * BOX_WIDTH + 3 * COLUMN_GAP

#: (fill, stroke, text) per kind; dark text on light fills, white on the aim's blue:
#: every pair above 4.5:1.
COLOURS = {
    AIM: ("#1f4e79", "#1f4e79", "#ffffff"),
    PRIMARY: ("#dbe9f6", "#1f4e79", "#212529"),
    SECONDARY: ("#e3f2e8", "#146c43", "#212529"),
    IDEA: ("#fff3e0", "#b35c00", "#212529"),
}
LINE_COLOUR = "#6c757d"


@dataclass
class Node:
    """A box: a driver or a change idea, with what it leads to."""

    kind: str
    text: str
    children: list["Node"] = field(default_factory=list)
    #: A short line under the text in the picture ("PDSA: 2 · målinger: 1").
    note: str = ""
    #: What the list says after the text (the PDSA cycles and measures, in words).
    details: list[str] = field(default_factory=list)


@dataclass
class Labels:
    """The words, from the caller (translated there)."""

    columns: tuple[str, str, str, str]  # the column headings
    prefixes: dict[str, str]  # per kind: "Mål", "Primær driver", ...
    unplaced: str  # the heading over the change ideas under no driver
    no_aim: str  # shown for an aim not written yet


@dataclass
class Diagram:
    aim: str
    drivers: list[Node]
    labels: Labels
    unplaced: list[Node] = field(default_factory=list)
    title: str = ""
    description: str = ""
    diagram_id: str = "driver-diagram"


@dataclass
class _Box:
    node: Node
    x: float
    y: float
    height: float
    lines: list[str]

    @property
    def middle(self) -> float:
        return self.y + self.height / 2


def _lines(text: str) -> list[str]:
    return textwrap.wrap(text, CHARS, break_long_words=True, break_on_hyphens=True) or [""]


def _box_height(node: Node) -> float:
    return 2 * PAD + LINE * len(_lines(node.text)) + (NOTE_LINE if node.note else 0)


def _column_x(kind: str) -> float:
    return MARGIN + COLUMN[kind] * (BOX_WIDTH + COLUMN_GAP)


def _place(node: Node, top: float) -> tuple[float, list[_Box], list[tuple[_Box, _Box]], _Box]:
    """Place ``node`` and what it leads to from ``top`` down: the height used, the
    boxes (the node's first), the lines, and the node's own box."""
    own = _box_height(node)
    boxes: list[_Box] = []
    links: list[tuple[_Box, _Box]] = []
    roots: list[_Box] = []
    used = 0.0
    for child in node.children:
        height, child_boxes, child_links, root = _place(child, top + used)
        boxes += child_boxes
        links += child_links
        roots.append(root)
        used += height + GAP
    used = max(used - GAP, 0.0)
    y = top
    if roots:
        y = max(top, (roots[0].middle + roots[-1].middle) / 2 - own / 2)
    box = _Box(node, _column_x(node.kind), y, own, _lines(node.text))
    return max(used, y + own - top), [box, *boxes], [(box, r) for r in roots] + links, box


def layout(diagram: Diagram) -> tuple[list[_Box], list[tuple[_Box, _Box]], float]:
    """Every box and every line, and the height of the picture."""
    boxes: list[_Box] = []
    links: list[tuple[_Box, _Box]] = []
    top = MARGIN + HEADER
    used = 0.0
    for driver in diagram.drivers:
        height, driver_boxes, driver_links, _root = _place(driver, top + used)
        boxes += driver_boxes
        links += driver_links
        used += height + GAP
    used = max(used - GAP, 0.0)
    aim = Node(AIM, diagram.aim or diagram.labels.no_aim)
    aim_height = _box_height(aim)
    primaries = [box for box in boxes if box.node.kind == PRIMARY]
    if primaries:
        middle = (primaries[0].middle + primaries[-1].middle) / 2
        aim_y = max(top, middle - aim_height / 2)
    else:
        aim_y = top
    aim_box = _Box(aim, _column_x(AIM), aim_y, aim_height, _lines(aim.text))
    links = [(aim_box, box) for box in primaries] + links
    boxes.insert(0, aim_box)
    bottom = max(top + used, aim_y + aim_height)
    if diagram.unplaced:
        bottom += 2 * GAP + LINE * len(_lines(diagram.labels.unplaced))  # their heading
        for node in diagram.unplaced:
            height = _box_height(node)
            boxes.append(_Box(node, _column_x(IDEA), bottom, height, _lines(node.text)))
            bottom += height + GAP
        bottom -= GAP
    return boxes, links, bottom + MARGIN


def render(diagram: Diagram) -> str:
    """The diagram as an SVG element, for a page, a PDF or an e-mail."""
    boxes, links, height = layout(diagram)
    title_id, desc_id = f"{diagram.diagram_id}-title", f"{diagram.diagram_id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="100%" role="img" aria-labelledby="{title_id} {desc_id}" '
        f'class="driver-diagram" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">',
        f'<title id="{title_id}">{escape(diagram.title)}</title>',
        f'<desc id="{desc_id}">{escape(diagram.description)}</desc>',
    ]
    for kind, heading in zip((AIM, PRIMARY, SECONDARY, IDEA), diagram.labels.columns, strict=True):
        parts.append(
            f'<text x="{_column_x(kind) + BOX_WIDTH / 2:.0f}" y="{MARGIN + 14}" '
            f'text-anchor="middle" font-weight="bold" fill="#212529">{escape(heading)}</text>'
        )
    for parent, child in links:
        x1, y1 = parent.x + BOX_WIDTH, parent.middle
        x2, y2 = child.x, child.middle
        bend = x1 + COLUMN_GAP / 2
        parts.append(
            f'<path d="M{x1:.1f} {y1:.1f} H{bend:.1f} V{y2:.1f} H{x2:.1f}" fill="none" '
            f'stroke="{LINE_COLOUR}" stroke-width="1.5"/>'
        )
    if diagram.unplaced:
        first = next(box for box in boxes if box.node is diagram.unplaced[0])
        over = _lines(diagram.labels.unplaced)
        for index, line in enumerate(over):
            baseline = first.y - GAP - LINE * (len(over) - 1 - index)
            parts.append(
                f'<text x="{_column_x(IDEA):.0f}" y="{baseline:.1f}" font-style="italic" '
                f'fill="#212529">{escape(line)}</text>'
            )
    for box in boxes:
        fill, stroke, colour = COLOURS[box.node.kind]
        parts.append(
            f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{BOX_WIDTH}" '
            f'height="{box.height:.1f}" rx="6" fill="{fill}" stroke="{stroke}" '
            'stroke-width="1.5"/>'
        )
        for index, line in enumerate(box.lines):
            baseline = box.y + PAD + LINE * (index + 1) - 3
            parts.append(
                f'<text x="{box.x + PAD:.1f}" y="{baseline:.1f}" fill="{colour}">'
                f"{escape(line)}</text>"
            )
        if box.node.note:
            baseline = box.y + PAD + LINE * len(box.lines) + NOTE_LINE - 2
            parts.append(
                f'<text x="{box.x + PAD:.1f}" y="{baseline:.1f}" font-size="10" '
                f'fill="{colour}">{escape(box.node.note)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _item(node: Node, labels: Labels) -> str:
    details = "".join(f" {escape(detail)}" for detail in node.details)
    below = _list(node.children, labels) if node.children else ""
    prefix = escape(labels.prefixes[node.kind])
    return f"<li><strong>{prefix}:</strong> {escape(node.text)}{details}{below}</li>"


def _list(nodes: list[Node], labels: Labels) -> str:
    return "<ul>" + "".join(_item(node, labels) for node in nodes) + "</ul>"


def text_alternative(diagram: Diagram) -> SafeString:
    """The diagram as a nested list: the aim, each primary driver below it, each
    secondary driver below its primary, each change idea below its driver; then the
    change ideas under no driver."""
    labels = diagram.labels
    below = _list(diagram.drivers, labels) if diagram.drivers else ""
    aim = escape(diagram.aim or labels.no_aim)
    items = f"<li><strong>{escape(labels.prefixes[AIM])}:</strong> {aim}{below}</li>"
    if diagram.unplaced:
        items += (
            f"<li><strong>{escape(labels.unplaced)}</strong>{_list(diagram.unplaced, labels)}</li>"
        )
    # Every text above is escaped.
    return mark_safe(f'<ul class="driver-diagram-list">{items}</ul>')  # noqa: S308
