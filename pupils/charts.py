"""Server-side SVG growth charts of a pupil's Cito LVS ability scores ("vaardigheidsscores").

Why server-side SVG: the site's Content-Security-Policy allows no inline scripts or styles, and
a chart that is plain markup prints, scales and works without JavaScript. Everything that
matters for reading the chart is set with SVG presentation attributes (which the CSP does not
block), so it is legible even without a stylesheet; the CSS classes on the elements are hooks
for static/css/charts.css (sizing, print tweaks).

Black-and-white printable: there is a single series, drawn in a dark colour with hollow circle
markers, and the level ("III", "B") is written as text at every point, so nothing depends on
colour. Gridlines are dashed so they are not mistaken for the data line when printed in grey.

Labels, levels and titles may come from imported files, so every text value is escaped and
stripped of characters that XML does not allow.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

__all__ = ["ChartPoint", "growth_chart_svg", "nice_y_ticks"]

# Tick steps the y axis may use (times a power of ten for very wide ranges): round numbers
# that a teacher can read off at a glance.
_STEP_BASES = (5, 10, 20, 25, 50)
MIN_TICKS = 4
MAX_TICKS = 7

# Beyond this many points, only every n-th x-axis label is a candidate (the rest still get a
# small tick mark and a tooltip), before the overlap check.
MAX_X_LABELS = 8

# Layout, in viewBox units. At the default width of 640 a 12-unit font is ~12px on a desktop
# page and still readable on paper.
_FONT_SIZE = 12
_LEVEL_FONT_SIZE = 12
_CHAR_WIDTH = 0.62  # average glyph width as a fraction of the font size (sans-serif, digits)
_MARGIN_TOP = 28  # room for a level label above the highest point
_MARGIN_RIGHT = 12
_MARGIN_BOTTOM = 30  # room for the x-axis labels
_X_INSET = 26  # keep the first/last point off the axes so their labels fit
_MARKER_RADIUS = 4.5
_LABEL_GAP = 6  # minimum free space between two x-axis labels
_MAX_LABEL_CHARS = 14  # longer (imported) labels are shortened; the tooltip has them in full
_MAX_LEVEL_CHARS = 8

# Dark enough for 4.5:1 contrast on white and for black-and-white printing.
_INK = "#212529"
_LINE = "#1d4f7a"  # --hgw-brand
_GRID = "#8a9198"
_HALO = "#ffffff"

# Characters XML 1.0 forbids even when escaped (C0 controls except tab/newline/CR, lone
# surrogates, U+FFFE/U+FFFF). They would make the SVG invalid, so imported text loses them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# Ids must be unique on a page. A process-wide counter guarantees that within one response;
# the data hash in front keeps fragments rendered by different worker processes (htmx swaps
# into a page that already holds a chart) from colliding on the same counter value.
_counter = itertools.count(1)


@dataclass(frozen=True)
class ChartPoint:
    """One measured score. `level` is shown at the point, `label` under it on the x axis."""

    day: datetime.date
    score: Decimal | float | int
    level: str  # e.g. "III" or "B" or ""
    label: str  # e.g. the moment label "M5" or ""; the date (d-m-yyyy) is shown if empty


def _clean(text: str, max_chars: int | None = None) -> str:
    """Escaped, XML-safe text, optionally shortened with an ellipsis."""
    text = _XML_INVALID.sub("", str(text)).strip()
    if max_chars is not None and len(text) > max_chars:
        text = text[: max_chars - 1].rstrip() + "…"
    return escape(text)


def _num(value: float) -> str:
    """At most one decimal and never an exponent, for coordinates and shown values alike."""
    text = f"{round(float(value), 1):.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def _date_text(day: datetime.date) -> str:
    """Dutch short date, d-m-yyyy, as teachers write it."""
    return f"{day.day}-{day.month}-{day.year}"


def _text_width(text: str, font_size: float) -> float:
    """Estimated rendered width; the server cannot measure text, so err on the wide side."""
    return len(text) * font_size * _CHAR_WIDTH


def nice_y_ticks(low: float, high: float) -> list[int]:
    """Round y-axis tick values covering [low, high] with some padding.

    The step is the smallest of 5, 10, 20, 25 or 50 (times a power of ten for very wide ranges)
    that gives at most MAX_TICKS ticks; the range is then widened step by step to at least
    MIN_TICKS, so that a single score or equal scores still get a readable axis. The axis does
    not go below zero when no score does.
    """
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError("tick range must be finite")
    low, high = min(low, high), max(low, high)
    pad = max((high - low) * 0.08, 1.0)
    padded_low, padded_high = low - pad, high + pad
    magnitude = 1
    while True:
        for base in _STEP_BASES:
            step = base * magnitude
            bottom = math.floor(padded_low / step) * step
            top = math.ceil(padded_high / step) * step
            if low >= 0 > bottom:
                bottom = 0
            count = (top - bottom) // step + 1
            if count > MAX_TICKS:
                continue
            while count < MIN_TICKS:
                # Grow on the side with less room, so the data stays near the middle.
                if (top - high) <= (low - bottom) or (low >= 0 and bottom - step < 0):
                    top += step
                else:
                    bottom -= step
                count += 1
            return list(range(bottom, top + step, step))
        magnitude *= 10


def _chart_id(points: Sequence[ChartPoint], title: str) -> str:
    digest = hashlib.blake2s(
        repr((title, [(p.day, str(p.score), p.level, p.label) for p in points])).encode(
            "utf-8", "surrogatepass"
        ),
        digest_size=4,
    ).hexdigest()
    return f"hgw-chart-{digest}-{next(_counter)}"


def _pick_x_labels(xs: list[float], texts: list[str], left: float, right: float) -> set[int]:
    """Indexes of the points whose x-axis label is drawn, so that no two labels overlap.

    With many points only every n-th is a candidate. Candidates are taken from the newest
    backwards, because the latest measurement matters most and should always be labelled.
    """
    count = len(xs)
    stride = max(1, math.ceil(count / MAX_X_LABELS))
    candidates = [i for i in range(count - 1, -1, -1) if (count - 1 - i) % stride == 0]
    shown: set[int] = set()
    last_left_edge = math.inf
    for index in candidates:
        half = _text_width(texts[index], _FONT_SIZE) / 2
        centre = min(max(xs[index], left + half), right - half)
        if centre + half + _LABEL_GAP <= last_left_edge:
            shown.add(index)
            last_left_edge = centre - half
    return shown


@dataclass
class _LevelLabel:
    """A level text at a point, above it unless that would collide with a neighbour's."""

    escaped: str
    x: float
    half_width: float
    point_y: float
    above: bool = True

    @property
    def baseline(self) -> float:
        if self.above:
            return self.point_y - _MARKER_RADIUS - 5
        return self.point_y + _MARKER_RADIUS + 4 + _LEVEL_FONT_SIZE

    def overlaps(self, other: _LevelLabel) -> bool:
        return (
            self.x - self.half_width < other.x + other.half_width
            and self.x + self.half_width > other.x - other.half_width
            and self.baseline - _LEVEL_FONT_SIZE < other.baseline
            and self.baseline > other.baseline - _LEVEL_FONT_SIZE
        )


def _place_levels(
    data: list[ChartPoint], xs: list[float], ys: list[float], width: int
) -> list[_LevelLabel]:
    """Level labels, all above their points except where two points lie close together.

    Then the lower point of the pair gets its label below, so each label stays on the outer
    side of its own marker and it is clear which level belongs to which point.
    """
    labels: list[_LevelLabel] = []
    for point, x, y in zip(data, xs, ys, strict=True):
        plain = _XML_INVALID.sub("", point.level).strip()[:_MAX_LEVEL_CHARS]
        if not plain:
            continue
        half = _text_width(plain, _LEVEL_FONT_SIZE) / 2 + 2
        label = _LevelLabel(
            escaped=_clean(point.level, _MAX_LEVEL_CHARS),
            x=min(max(x, half), width - half),
            half_width=half,
            point_y=y,
        )
        previous = labels[-1] if labels else None
        if previous is not None and previous.above and label.overlaps(previous):
            if label.point_y < previous.point_y:  # this point is higher on the chart
                previous.above = False
            else:
                label.above = False
        labels.append(label)
    return labels


def growth_chart_svg(
    points: Sequence[ChartPoint],
    *,
    title: str,
    description: str,
    width: int = 640,
    height: int = 280,
) -> SafeString:
    """An accessible inline SVG line chart of ability scores over time, or "" without points.

    `title` and `description` become the chart's accessible name and description (via
    aria-labelledby), so the description should state the data in words. Points are sorted by
    date; x positions are proportional to time. Points with a non-finite score (NaN from a bad
    import) cannot be placed and are left out.
    """
    usable = [p for p in points if math.isfinite(float(p.score))]
    if not usable:
        return mark_safe("")
    data = sorted(usable, key=lambda p: p.day)
    scores = [float(p.score) for p in data]
    ticks = nice_y_ticks(min(scores), max(scores))
    y_bottom, y_top = ticks[0], ticks[-1]

    tick_texts = [_num(t) for t in ticks]
    margin_left = max(_text_width(t, _FONT_SIZE) for t in tick_texts) + 14
    plot_left, plot_right = margin_left, width - _MARGIN_RIGHT
    plot_top, plot_bottom = _MARGIN_TOP, height - _MARGIN_BOTTOM

    def y_of(value: float) -> float:
        return plot_bottom - (value - y_bottom) / (y_top - y_bottom) * (plot_bottom - plot_top)

    first, last = data[0].day.toordinal(), data[-1].day.toordinal()
    x_left, x_right = plot_left + _X_INSET, plot_right - _X_INSET

    def x_of(day: datetime.date) -> float:
        if first == last:
            return (x_left + x_right) / 2
        return x_left + (day.toordinal() - first) / (last - first) * (x_right - x_left)

    xs = [x_of(p.day) for p in data]
    ys = [y_of(s) for s in scores]
    chart_id = _chart_id(data, title)

    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="hgw-chart" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" width="100%" '
        f'viewBox="0 0 {int(width)} {int(height)}" preserveAspectRatio="xMidYMid meet" '
        f'font-size="{_FONT_SIZE}" fill="{_INK}">',
        f'<title id="{chart_id}-title">{_clean(title)}</title>',
        f'<desc id="{chart_id}-desc">{_clean(description)}</desc>',
    ]

    # Horizontal gridlines and y tick labels.
    parts.append(
        f'<g class="hgw-chart__grid" stroke="{_GRID}" stroke-width="1" stroke-dasharray="3 3">'
    )
    for tick in ticks[1:]:  # the bottom one is the x axis itself
        y = _num(y_of(tick))
        parts.append(f'<line x1="{_num(plot_left)}" y1="{y}" x2="{_num(plot_right)}" y2="{y}"/>')
    parts.append("</g>")
    parts.append('<g class="hgw-chart__y-labels" text-anchor="end">')
    for tick, text in zip(ticks, tick_texts, strict=True):
        parts.append(
            f'<text x="{_num(plot_left - 7)}" y="{_num(y_of(tick) + _FONT_SIZE * 0.35)}">'
            f"{text}</text>"
        )
    parts.append("</g>")

    # Axes.
    parts.append(
        f'<path class="hgw-chart__axis" fill="none" stroke="{_INK}" stroke-width="1" '
        f'd="M{_num(plot_left)} {_num(plot_top)}V{_num(plot_bottom)}H{_num(plot_right)}"/>'
    )

    # X-axis tick marks at every point, labels where they fit.
    x_texts = [_clean(p.label, _MAX_LABEL_CHARS) or _date_text(p.day) for p in data]
    # Estimate widths on the unescaped length: "&amp;" is one glyph, not five.
    plain = [
        (_XML_INVALID.sub("", p.label).strip()[:_MAX_LABEL_CHARS] or _date_text(p.day))
        for p in data
    ]
    shown = _pick_x_labels(xs, plain, 2, width - 2)
    parts.append(f'<g class="hgw-chart__x-ticks" stroke="{_INK}" stroke-width="1">')
    for x in sorted(set(xs)):
        parts.append(
            f'<line x1="{_num(x)}" y1="{_num(plot_bottom)}" x2="{_num(x)}" '
            f'y2="{_num(plot_bottom + 5)}"/>'
        )
    parts.append("</g>")
    parts.append('<g class="hgw-chart__x-labels" text-anchor="middle">')
    for index in sorted(shown):
        half = _text_width(plain[index], _FONT_SIZE) / 2
        centre = min(max(xs[index], 2 + half), width - 2 - half)
        parts.append(
            f'<text x="{_num(centre)}" y="{_num(plot_bottom + 7 + _FONT_SIZE)}">'
            f"{x_texts[index]}</text>"
        )
    parts.append("</g>")

    # The data line, then markers on top of it.
    if len(data) > 1:
        coords = " ".join(f"{_num(x)},{_num(y)}" for x, y in zip(xs, ys, strict=True))
        parts.append(
            f'<polyline class="hgw-chart__line" fill="none" stroke="{_LINE}" stroke-width="2.5" '
            f'stroke-linejoin="round" stroke-linecap="round" points="{coords}"/>'
        )
    parts.append(f'<g class="hgw-chart__markers" fill="{_HALO}" stroke="{_LINE}" stroke-width="2">')
    for point, x, y, score in zip(data, xs, ys, scores, strict=True):
        # A tooltip for mouse users; assistive technology reads the title/desc instead.
        tip = " · ".join(
            part
            for part in (
                _clean(point.label),
                _date_text(point.day),
                _num(score),
                _clean(point.level),
            )
            if part
        )
        parts.append(
            f'<circle class="hgw-chart__marker" cx="{_num(x)}" cy="{_num(y)}" '
            f'r="{_num(_MARKER_RADIUS)}"><title>{tip}</title></circle>'
        )
    parts.append("</g>")

    # Level labels (white halo: legible over the line and gridlines).
    parts.append(
        f'<g class="hgw-chart__levels" text-anchor="middle" font-size="{_LEVEL_FONT_SIZE}" '
        f'font-weight="bold" stroke="{_HALO}" stroke-width="3" stroke-linejoin="round" '
        f'paint-order="stroke">'
    )
    for label in _place_levels(data, xs, ys, width):
        parts.append(f'<text x="{_num(label.x)}" y="{_num(label.baseline)}">{label.escaped}</text>')
    parts.append("</g>")

    parts.append("</svg>")
    # Safe: every interpolated text went through _clean() (escape) or is a formatted number.
    return mark_safe("".join(parts))
