"""Bar charts as SVG geometry, drawn on the server: no script, no CDN, no inline style.

``svg_bars`` turns a ``Chart`` into the rectangles and labels that
``templates/reports/_chart.html`` draws; colours come from static/css/reports.css.
"""

from __future__ import annotations

from dataclasses import dataclass

from reports.document import Chart

WIDTH = 480
ROW = 26
LABEL_WIDTH = 110
VALUE_ROOM = 60
TOP = 8


@dataclass(frozen=True)
class Bar:
    label: str
    value: str
    y: int
    width: int
    text_y: int
    value_x: int


@dataclass(frozen=True)
class SvgChart:
    title: str
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: list[Bar]
    description: str


def svg_bars(chart: Chart) -> SvgChart:
    room = WIDTH - LABEL_WIDTH - VALUE_ROOM
    top = max([*chart.values, 0]) or 1
    bars = []
    for index, (label, value) in enumerate(zip(chart.labels, chart.values, strict=True)):
        y = TOP + index * ROW
        width = round(room * value / top)
        shown = f"{value:.1f} {chart.unit}".strip() if chart.unit else f"{int(value):,}"
        bars.append(Bar(label, shown, y, width, y + ROW // 2 + 4, LABEL_WIDTH + width + 6))
    description = "; ".join(f"{b.label}: {b.value}" for b in bars)
    return SvgChart(
        title=chart.title,
        width=WIDTH,
        height=TOP * 2 + ROW * len(bars),
        label_width=LABEL_WIDTH,
        bar_height=ROW - 8,
        bars=bars,
        description=description,
    )
