import xml.etree.ElementTree as ET

from lib.svgchart import Chart, format_number, nice_ticks, render

SVG = "{http://www.w3.org/2000/svg}"


def test_nice_ticks_are_round_numbers_within_the_range():
    assert nice_ticks(0, 100) == [0, 20, 40, 60, 80, 100]
    assert nice_ticks(1.3, 11.7) == [2.5, 5, 7.5, 10]
    assert nice_ticks(37, 96) == [40, 60, 80]
    assert nice_ticks(5, 5) == [5]


def test_numbers_use_the_norwegian_decimal_comma():
    assert (format_number(2.5), format_number(70.83), format_number(3.0)) == ("2,5", "70,83", "3")


def test_the_chart_is_valid_svg_with_a_text_alternative():
    chart = Chart(
        labels=["sep", "okt", "nov"],
        values=[1.5, None, 3],
        centre=2,
        goal=4,
        signal=True,
        annotations=[(1, "PDSA 1")],
        title="Antall <fall>",
        description="3 punkter & et signal",
        unit="%",
        chart_id="c1",
    )
    root = ET.fromstring(render(chart))
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find(f"{SVG}title").text == "Antall <fall>"
    assert root.find(f"{SVG}desc").text == "3 punkter & et signal"
    assert len(root.findall(f"{SVG}circle")) == 2  # the missing period is not drawn
    texts = [t.text for t in root.findall(f"{SVG}text")]
    assert "PDSA 1" in texts and "2%" in texts and "4%" in texts
    assert root.find(".//*[@style]") is None  # no inline style: the CSP forbids it


def test_control_limits_are_steps_and_signals_have_shapes():
    chart = Chart(
        labels=["a", "b", "c", "d"],
        values=[1, 5, 2, 2],
        centre_line=[2, 2, 2, 2],
        upper=[4, 3, None, 3],
        outside=[False, True, False, False],
        in_run=[False, False, True, True],
        legend=[("centre", "Senterlinje"), ("limit", "Grenser"), ("outside", "Utenfor")],
    )
    root = ET.fromstring(render(chart))
    lines = [p.get("points").split() for p in root.findall(f"{SVG}polyline")]
    # The values' line, then the upper limit in two stretches (none for "c"), the centre.
    upper = [line for line in lines[1:] if len(line) in (2, 4) and line != lines[-1]]
    assert [len(line) for line in upper] == [4, 2]
    first = upper[0]
    assert first[0].split(",")[1] == first[1].split(",")[1]  # level across point a
    assert first[1].split(",")[0] == first[2].split(",")[0]  # a vertical step to b
    assert len(root.findall(f"{SVG}polygon")) == 2  # the point beyond, the legend's sample
    assert len(root.findall(f"{SVG}rect")) == 2  # the two points in a long run
    assert len(root.findall(f"{SVG}circle")) == 1
    assert [t.text for t in root.findall(f"{SVG}text")][-3:] == [
        "Senterlinje",
        "Grenser",
        "Utenfor",
    ]


def test_the_spread_chart_draws_a_bubble_per_level_and_the_median():
    from lib.svgchart import Spread, render_spread

    svg = render_spread(
        Spread(
            labels=["Rapport 1", "Rapport 2"],
            levels=[0.5 * n for n in range(1, 11)],
            counts=[{2.0: 1, 2.5: 2}, {3.0: 3}],
            medians=[2.5, 3.0],
            title="Fordeling",
            description="2 team på 2,5 <og> 1 på 2,0",
            median_label="Median",
        )
    )
    assert svg.count("<circle") == 3
    assert ">2</text>" in svg and ">3</text>" in svg  # the counts written in the bubbles
    assert "&lt;og&gt;" in svg  # the text alternative is escaped
    assert svg.count('stroke-dasharray="6 4"') == 2 + 1 + 1  # dashes, the line, the legend
    assert ">2,5</text>" in svg and ">5,0</text>" in svg
