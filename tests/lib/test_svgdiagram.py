"""The driver diagram's picture and its text alternative, from plain data."""

import xml.etree.ElementTree as ET

from lib import svgdiagram
from lib.svgdiagram import AIM, IDEA, PRIMARY, SECONDARY, Diagram, Labels, Node

SVG = "{http://www.w3.org/2000/svg}"
LABELS = Labels(
    columns=("Mål", "Primære drivere", "Sekundære drivere", "Endringsideer"),
    prefixes={
        AIM: "Mål",
        PRIMARY: "Primær driver",
        SECONDARY: "Sekundær driver",
        IDEA: "Endringsidé",
    },
    unplaced="Ikke plassert under en driver",
    no_aim="Målet er ikke skrevet ennå.",
)


def diagram(**changes):
    fields = {
        "aim": "Færre fall innen mai",
        "drivers": [
            Node(
                PRIMARY,
                "Kunnskap om fallrisiko",
                [
                    Node(
                        SECONDARY,
                        "Risikovurdering ved innkomst",
                        [
                            Node(
                                IDEA,
                                "Vurder fallrisiko ved innkomst",
                                note="PDSA: 1",
                                details=["Testet i: Vurdering første døgn."],
                            )
                        ],
                    ),
                ],
            ),
            Node(PRIMARY, "Trygge omgivelser", [Node(IDEA, "Sklisikre sokker & <lys>")]),
        ],
        "unplaced": [Node(IDEA, "Styrke- og balansetrening")],
        "labels": LABELS,
        "title": "Driverdiagram for Leknes: 2 primære drivere",
        "description": "Det samme diagrammet står som liste under.",
    }
    return Diagram(**{**fields, **changes})


def tree(markup):
    return ET.fromstring(str(markup))


def items(ul):
    """A <ul> as [(text of the item, [its sub-items])], as a screen reader walks it."""
    found = []
    for li in ul.findall("li"):
        own = "".join(li.itertext()) if li.find("ul") is None else None
        if own is None:
            head = (li.find("strong").text or "") + (li.find("strong").tail or "")
            own = head
        sub = li.find("ul")
        found.append((own.strip(), items(sub) if sub is not None else []))
    return found


def test_the_text_alternative_is_a_nested_list_aim_drivers_ideas():
    outline = items(tree(svgdiagram.text_alternative(diagram())))
    assert outline == [
        (
            "Mål: Færre fall innen mai",
            [
                (
                    "Primær driver: Kunnskap om fallrisiko",
                    [
                        (
                            "Sekundær driver: Risikovurdering ved innkomst",
                            [
                                (
                                    "Endringsidé: Vurder fallrisiko ved innkomst "
                                    "Testet i: Vurdering første døgn.",
                                    [],
                                )
                            ],
                        )
                    ],
                ),
                # A change idea straight under a primary driver: one level down, no
                # secondary driver in between.
                (
                    "Primær driver: Trygge omgivelser",
                    [("Endringsidé: Sklisikre sokker & <lys>", [])],
                ),
            ],
        ),
        ("Ikke plassert under en driver", [("Endringsidé: Styrke- og balansetrening", [])]),
    ]


def test_the_text_alternative_escapes_what_the_team_typed():
    markup = str(svgdiagram.text_alternative(diagram()))
    assert "Sklisikre sokker &amp; &lt;lys&gt;" in markup
    assert "<lys>" not in markup


def test_an_empty_diagram_says_the_aim_is_not_written():
    outline = items(tree(svgdiagram.text_alternative(diagram(aim="", drivers=[], unplaced=[]))))
    assert outline == [("Mål: Målet er ikke skrevet ennå.", [])]


def test_the_svg_names_itself_and_draws_every_box_in_its_column():
    svg = tree(svgdiagram.render(diagram()))
    assert svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == "Driverdiagram for Leknes: 2 primære drivere"  # the PDF's /Alt
    texts = list(svg.iter(f"{SVG}text"))
    words = " ".join(t.text for t in texts)
    for heading in LABELS.columns:
        assert heading in words
    rects = svg.findall(f"{SVG}rect")
    assert len(rects) == 1 + 2 + 1 + 3  # aim, primaries, secondary, ideas

    def column_of(text):
        first = next(t for t in texts if t.text and t.text.startswith(text))
        return float(first.get("x"))

    xs = [column_of(t) for t in ("Færre fall", "Kunnskap", "Risikovurdering", "Vurder")]
    assert xs == sorted(xs) and len(set(xs)) == 4
    # The idea under a primary driver is in the change ideas' column all the same.
    assert column_of("Sklisikre") == column_of("Vurder")
    # aim→2 primaries, primary→secondary, secondary→idea, primary→idea; none to the
    # unplaced idea.
    assert len(svg.findall(f"{SVG}path")) == 5


def test_long_text_wraps_inside_its_box_and_the_box_grows():
    long = "Gjennomgå alle legemidler som øker fallrisikoen sammen med fastlegen hver måned"
    svg = tree(svgdiagram.render(diagram(unplaced=[Node(IDEA, long)])))
    lines = [t.text for t in svg.iter(f"{SVG}text") if t.text and t.text in long]
    assert " ".join(lines) == long
    assert all(len(line) <= svgdiagram.CHARS for line in lines)
    heights = sorted(float(r.get("height")) for r in svg.findall(f"{SVG}rect"))
    assert heights[-1] >= 2 * svgdiagram.PAD + len(lines) * svgdiagram.LINE


def test_the_svg_escapes_markup_and_has_no_style_attribute():
    markup = svgdiagram.render(diagram())
    assert "&amp; &lt;lys&gt;" in markup
    assert " style=" not in markup  # the strict Content-Security-Policy
