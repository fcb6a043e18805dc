"""Bar charts drawn on the server: the geometry of an SVG that the template
``admin/dashboard/_bar_chart.html`` writes out. No script, no inline style: the page keeps the
strict Content-Security-Policy, and every number is also printed on the chart and in the
table beside it."""

from __future__ import annotations

from dataclasses import dataclass

# Drawing units of the SVG viewBox; the browser scales the chart to its column.
WIDTH = 640
PLOT_TOP = 28
PLOT_HEIGHT = 180
LABEL_SPACE = 44
LEFT = 8
GAP = 0.25


@dataclass(frozen=True)
class Bar:
    label_lines: list[str]
    value_text: str
    x: float
    width: float
    y: float
    height: float
    centre: float
    value_y: float


@dataclass(frozen=True)
class BarChart:
    """An SVG bar chart: ``title`` and ``description`` name it for assistive technology."""

    slug: str
    title: str
    description: str
    bars: list[Bar]
    width: int
    height: int
    baseline_y: float


def _format(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    number = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{number}{unit}"


def bar_chart(
    *,
    slug: str,
    title: str,
    description: str,
    points: list[tuple[str, float | None]],
    unit: str = "",
) -> BarChart:
    """One bar per ``(label, value)``; a value of None draws no bar and prints "—". A label
    may have two lines, split by a newline."""
    values = [value for _, value in points if value is not None]
    top = max(values, default=0) or 1
    slot = (WIDTH - 2 * LEFT) / max(len(points), 1)
    bar_width = slot * (1 - GAP)
    baseline = PLOT_TOP + PLOT_HEIGHT
    bars = []
    for index, (label, value) in enumerate(points):
        height = PLOT_HEIGHT * (value or 0) / top
        x = LEFT + index * slot + (slot - bar_width) / 2
        bars.append(
            Bar(
                label_lines=label.split("\n"),
                value_text=_format(value, unit),
                x=round(x, 1),
                width=round(bar_width, 1),
                y=round(baseline - height, 1),
                height=round(height, 1),
                centre=round(x + bar_width / 2, 1),
                value_y=round(baseline - height - 6, 1),
            )
        )
    return BarChart(
        slug=slug,
        title=title,
        description=description,
        bars=bars,
        width=WIDTH,
        height=int(baseline + LABEL_SPACE),
        baseline_y=baseline,
    )
