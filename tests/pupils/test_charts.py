"""The server-rendered growth chart: valid, accessible, CSP-safe SVG with sensible axes."""

import datetime
import itertools
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils.safestring import SafeString

from pupils.charts import MAX_TICKS, MIN_TICKS, ChartPoint, growth_chart_svg, nice_y_ticks

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script>\"onload=alert(1) x='y' &amp;"


def _points() -> list[ChartPoint]:
    """Six realistic scores over three school years, deliberately not in date order."""
    return [
        ChartPoint(datetime.date(2023, 6, 12), Decimal("188"), "II", "E4"),
        ChartPoint(datetime.date(2022, 1, 24), 150, "IV", "M3"),
        ChartPoint(datetime.date(2024, 6, 10), 210.0, "II", "E5"),
        ChartPoint(datetime.date(2022, 6, 13), 163, "III", "E3"),
        ChartPoint(datetime.date(2024, 1, 29), Decimal("197.25"), "III", "M5"),
        ChartPoint(datetime.date(2023, 1, 30), 176, "III", "M4"),
    ]


def _render(points=None, **kwargs) -> str:
    kwargs.setdefault("title", "Rekenen-Wiskunde")
    kwargs.setdefault("description", "Vaardigheidsscores van M3 tot E5.")
    return growth_chart_svg(_points() if points is None else points, **kwargs)


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _polyline_coords(root: ET.Element) -> list[tuple[float, float]]:
    polyline = root.find(f".//{SVG}polyline")
    assert polyline is not None
    return [tuple(map(float, pair.split(","))) for pair in polyline.get("points").split()]


def _y_tick_values(root: ET.Element) -> list[float]:
    group = next(g for g in root.iter(f"{SVG}g") if "hgw-chart__y-labels" in g.get("class", ""))
    return [float(t.text) for t in group.iter(f"{SVG}text")]


def test_output_is_safe_string_and_valid_svg():
    svg = _render()
    assert isinstance(svg, SafeString)
    root = _parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("width") == "100%"
    assert root.get("viewBox") == "0 0 640 280"
    assert root.get("preserveAspectRatio")


def test_custom_size_sets_the_viewbox():
    root = _parse(_render(width=400, height=200))
    assert root.get("viewBox") == "0 0 400 200"


def test_empty_points_give_empty_string():
    svg = growth_chart_svg([], title="t", description="d")
    assert svg == ""
    assert isinstance(svg, SafeString)


def test_accessible_name_and_description():
    root = _parse(_render())
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title.get("id") == title_id and title.text == "Rekenen-Wiskunde"
    assert desc.get("id") == desc_id and desc.text == "Vaardigheidsscores van M3 tot E5."
    for element_id in (title_id, desc_id):
        assert re.fullmatch(r"[A-Za-z][\w-]*", element_id)


def test_ids_are_unique_per_call_even_for_identical_data():
    first = _parse(_render()).get("aria-labelledby")
    second = _parse(_render()).get("aria-labelledby")
    assert first != second


def test_hostile_text_is_escaped_everywhere():
    points = [
        ChartPoint(datetime.date(2024, 1, 1), 150, HOSTILE, HOSTILE),
        ChartPoint(datetime.date(2024, 6, 1), 160, "III\x00\x0b", "E5\x07"),
    ]
    svg = _render(points, title=HOSTILE, description=HOSTILE)
    assert "<script" not in svg
    assert '"onload' not in svg
    assert "'y'" not in svg
    root = _parse(svg)  # also proves the control characters were dropped
    assert root.find(f"{SVG}title").text == HOSTILE
    assert root.find(f"{SVG}desc").text == HOSTILE
    assert all(not name.startswith("on") for el in root.iter() for name in el.attrib)
    texts = "".join(root.itertext())
    assert "III" in texts and "E5" in texts


def test_no_inline_styles_or_scripts():
    svg = _render()
    root = _parse(svg)
    for element in root.iter():
        assert "style" not in element.attrib
        assert element.tag not in (f"{SVG}style", f"{SVG}script")
    assert "<style" not in svg and "<script" not in svg and "javascript:" not in svg


def test_one_marker_per_point():
    root = _parse(_render())
    assert len(root.findall(f".//{SVG}circle")) == len(_points())


def test_polyline_is_ordered_by_date_and_rises_with_the_scores():
    root = _parse(_render())
    coords = _polyline_coords(root)
    assert len(coords) == len(_points())
    xs = [x for x, _ in coords]
    ys = [y for _, y in coords]
    assert xs == sorted(xs)
    assert ys == sorted(ys, reverse=True)  # higher score, higher up (smaller y)


def test_x_positions_are_proportional_to_time():
    days = [datetime.date(2024, 1, 1), datetime.date(2024, 1, 11), datetime.date(2024, 2, 10)]
    points = [ChartPoint(day, 150 + i, "", "") for i, day in enumerate(days)]
    xs = [x for x, _ in _polyline_coords(_parse(_render(points)))]
    assert (xs[1] - xs[0]) * 3 == pytest.approx(xs[2] - xs[1], abs=0.3)


def test_levels_and_labels_are_shown():
    texts = list(_parse(_render()).itertext())
    for level in ("IV", "III", "II"):
        assert level in texts
    for label in ("M3", "E3", "M4", "E4", "M5", "E5"):
        assert label in texts


def test_date_shown_when_label_is_empty():
    points = [ChartPoint(datetime.date(2024, 3, 5), 150, "", "")]
    assert "5-3-2024" in list(_parse(_render(points)).itertext())


def test_single_point_is_centred_without_a_line():
    root = _parse(_render([ChartPoint(datetime.date(2024, 1, 20), 172.5, "III", "M5")]))
    assert root.find(f".//{SVG}polyline") is None
    (circle,) = root.findall(f".//{SVG}circle")
    axis = next(p for p in root.iter(f"{SVG}path") if "hgw-chart__axis" in p.get("class", ""))
    # The axis path is "M{left} {top}V{bottom}H{right}".
    plot_left, _, _, plot_right = map(float, re.findall(r"[\d.]+", axis.get("d")))
    assert float(circle.get("cx")) == pytest.approx((plot_left + plot_right) / 2, abs=0.1)
    ticks = _y_tick_values(root)
    assert MIN_TICKS <= len(ticks) <= MAX_TICKS
    assert ticks[0] < 172.5 < ticks[-1]


def test_equal_scores_work():
    points = [ChartPoint(datetime.date(2024, m, 1), 180, "II", f"M{m}") for m in (1, 3, 6)]
    root = _parse(_render(points))
    ys = {y for _, y in _polyline_coords(root)}
    assert len(ys) == 1
    ticks = _y_tick_values(root)
    assert MIN_TICKS <= len(ticks) <= MAX_TICKS
    assert ticks[0] < 180 < ticks[-1]


def test_y_ticks_in_svg_cover_the_data():
    ticks = _y_tick_values(_parse(_render()))
    assert ticks[0] <= 150 and ticks[-1] >= 210
    assert MIN_TICKS <= len(ticks) <= MAX_TICKS


@pytest.mark.parametrize(
    ("low", "high"),
    [
        (150, 210),
        (172.5, 172.5),
        (0, 0),
        (3, 4),
        (-12, 30),
        (100, 229),
        (0.4, 0.6),
        (120, 121),
        (0, 400),
        (1000, 9000),
        (250, 150),  # swapped
    ],
)
def test_nice_y_ticks_are_round_and_cover_the_range(low, high):
    ticks = nice_y_ticks(low, high)
    assert MIN_TICKS <= len(ticks) <= MAX_TICKS
    assert ticks[0] <= min(low, high) and ticks[-1] >= max(low, high)
    step = ticks[1] - ticks[0]
    assert all(b - a == step for a, b in itertools.pairwise(ticks))
    base = step
    while base >= 100 and base % 10 == 0:
        base //= 10
    assert base in (5, 10, 20, 25, 50)
    assert all(tick % step == 0 for tick in ticks)
    if min(low, high) >= 0:
        assert ticks[0] >= 0


def test_numbers_have_at_most_one_decimal_and_no_exponent():
    points = [
        ChartPoint(datetime.date(2024, 1, 1), Decimal("150.123456"), "", ""),
        ChartPoint(datetime.date(2024, 6, 1), 1e-7 + 160, "", ""),
    ]
    root = _parse(_render(points))
    values = [
        value
        for element in root.iter()
        for name, value in element.attrib.items()
        if name not in ("id", "class", "aria-labelledby")
    ] + [text for text in root.itertext()]
    for value in values:
        for number in re.findall(r"\d+(?:\.\d+)?(?:[eE][-+]?\d+)?", value):
            assert "e" not in number.lower(), value
            if "." in number:
                assert len(number.split(".")[1]) == 1, value


def test_level_labels_of_close_points_do_not_overlap():
    points = [
        ChartPoint(datetime.date(2024, 1, 20), 160, "III", "M5"),
        ChartPoint(datetime.date(2024, 1, 22), 161, "IV", "M5b"),
        ChartPoint(datetime.date(2024, 6, 5), 170, "V", "E5"),
    ]
    root = _parse(_render(points))
    group = next(g for g in root.iter(f"{SVG}g") if "hgw-chart__levels" in g.get("class", ""))
    first, second, _ = ((float(t.get("x")), float(t.get("y"))) for t in group.iter(f"{SVG}text"))
    font_size = float(group.get("font-size"))
    assert abs(first[1] - second[1]) >= font_size or abs(first[0] - second[0]) >= 3 * font_size


def test_many_points_do_not_get_overlapping_x_labels():
    start = datetime.date(2020, 1, 1)
    points = [
        ChartPoint(start + datetime.timedelta(days=60 * i), 100 + 5 * i, "", "") for i in range(30)
    ]
    root = _parse(_render(points))
    group = next(g for g in root.iter(f"{SVG}g") if "hgw-chart__x-labels" in g.get("class", ""))
    labels = list(group.iter(f"{SVG}text"))
    assert 2 <= len(labels) <= 8
    xs = [float(t.get("x")) for t in labels]
    widths = [len(t.text) * 12 * 0.6 for t in labels]
    for i in range(len(labels) - 1):
        assert xs[i] + widths[i] / 2 < xs[i + 1] - widths[i + 1] / 2
    last_day = start + datetime.timedelta(days=60 * 29)
    assert labels[-1].text == f"{last_day.day}-{last_day.month}-{last_day.year}"  # newest shown


def test_non_finite_scores_are_left_out():
    points = [
        ChartPoint(datetime.date(2024, 1, 1), Decimal("NaN"), "", ""),
        ChartPoint(datetime.date(2024, 6, 1), 160, "", ""),
    ]
    assert len(_parse(_render(points)).findall(f".//{SVG}circle")) == 1
    assert growth_chart_svg(points[:1], title="t", description="d") == ""
