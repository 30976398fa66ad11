"""Chart geometry for the shared SVG chart templates (includes/bar_chart.html, line_chart.html).

Geometry is worked out here so templates only place numbers (no template maths).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

BAR_CHART_WIDTH = 560
BAR_LABEL_WIDTH = 200
BAR_AREA = 290
BAR_ROW = 26
BAR_HEIGHT = 18
LABEL_CHARS = 30


@dataclass(frozen=True)
class ChartBar:
    label: str
    value: int
    note: str
    percent: float  # of the longest bar
    y: int
    width: float

    @property
    def short_label(self) -> str:
        if len(self.label) <= LABEL_CHARS:
            return self.label
        return self.label[: LABEL_CHARS - 1].rstrip() + "\u2026"

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 5

    @property
    def value_x(self) -> float:
        return round(BAR_LABEL_WIDTH + self.width + 6, 1)


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart for includes/bar_chart.html."""

    title: str
    label_heading: str
    value_heading: str
    bars: list[ChartBar]
    note_heading: str = ""
    empty_text: str = "Nothing to show yet."
    unit_word: str = ""
    width: int = BAR_CHART_WIDTH
    label_width: int = BAR_LABEL_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * BAR_ROW + 4

    @property
    def label_x(self) -> int:
        return self.label_width - 8

    @property
    def summary(self) -> str:
        if not self.bars:
            return f"{self.title}: {self.empty_text}"
        parts = [f"{bar.label} {bar.value:,}" for bar in self.bars[:8]]
        more = len(self.bars) - 8
        if more > 0:
            parts.append(f"and {more} more")
        word = f" ({self.unit_word})" if self.unit_word else ""
        return f"{self.title}{word}: " + "; ".join(parts) + "."


def bar_chart(
    title: str,
    items: Sequence[tuple[str, int, str]],
    *,
    label_heading: str,
    value_heading: str,
    note_heading: str = "",
    empty_text: str = "Nothing to show yet.",
    unit_word: str = "",
) -> BarChart:
    """`items` are (label, value, note) in the order to draw them."""
    longest = max((value for _, value, _ in items), default=0)
    bars = []
    for index, (label, value, note) in enumerate(items):
        percent = round(100 * value / longest, 1) if longest else 0.0
        bars.append(
            ChartBar(
                label=label,
                value=value,
                note=note,
                percent=percent,
                y=2 + index * BAR_ROW,
                width=round(BAR_AREA * percent / 100, 1),
            )
        )
    return BarChart(
        title=title,
        label_heading=label_heading,
        value_heading=value_heading,
        bars=bars,
        note_heading=note_heading,
        empty_text=empty_text,
        unit_word=unit_word,
    )


LINE_WIDTH = 640
LINE_HEIGHT = 240
LINE_LEFT = 44
LINE_RIGHT = 12
LINE_TOP = 12
LINE_BOTTOM = 40


@dataclass(frozen=True)
class LineSeries:
    label: str
    values: list[int]
    coordinates: list[tuple[float, float]]
    index: int

    @property
    def total(self) -> int:
        return sum(self.values)

    @property
    def points(self) -> str:
        return " ".join(f"{x},{y}" for x, y in self.coordinates)


@dataclass(frozen=True)
class AxisMark:
    label: str
    position: float
    note: str = ""  # a second line under an x label, e.g. the year under "Jan"

    @property
    def label_y(self) -> float:
        """Where a y-axis label sits: level with its grid line."""
        return round(self.position + 4, 1)


@dataclass(frozen=True)
class LineChart:
    """A line chart for includes/line_chart.html: one line per series over the same x labels."""

    title: str
    x_labels: list[str]  # full labels, for the data table
    x_marks: list[AxisMark]
    y_marks: list[AxisMark]
    series: list[LineSeries]
    series_heading: str = "Series"
    empty_text: str = "Nothing to show yet."
    width: int = LINE_WIDTH
    height: int = LINE_HEIGHT
    left: int = LINE_LEFT
    right: int = LINE_WIDTH - LINE_RIGHT
    top: int = LINE_TOP
    bottom: int = LINE_HEIGHT - LINE_BOTTOM

    @property
    def x_label_y(self) -> int:
        return self.bottom + 18

    @property
    def x_note_y(self) -> int:
        return self.bottom + 33

    @property
    def y_label_x(self) -> int:
        return self.left - 6

    @property
    def is_empty(self) -> bool:
        return not any(series.total for series in self.series)

    @property
    def total(self) -> int:
        return sum(series.total for series in self.series)

    @property
    def column_totals(self) -> list[int]:
        return [sum(column) for column in zip(*(s.values for s in self.series), strict=True)]

    @property
    def summary(self) -> str:
        if self.is_empty:
            return f"{self.title}: {self.empty_text}"
        parts = [f"{series.label} {series.total:,}" for series in self.series]
        span = f"{self.x_labels[0]} to {self.x_labels[-1]}"
        return f"{self.title}, {span}. Totals: " + "; ".join(parts) + "."


def axis_top(value: int) -> int:
    """The top of a y axis in four equal steps of 1, 2 or 5 x 10^k that reaches `value`."""
    needed = max(value, 1) / 4
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            if step * magnitude >= needed:
                return 4 * step * magnitude
        magnitude *= 10


def line_chart(
    title: str,
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    *,
    x_short: Sequence[str] | None = None,
    x_notes: Sequence[str] | None = None,
    series_heading: str = "Series",
    empty_text: str = "Nothing to show yet.",
) -> LineChart:
    """Scale the series into the plot area; four equal steps on the y axis."""
    top_value = axis_top(max((max(values, default=0) for _, values in series), default=0))
    left, right = LINE_LEFT, LINE_WIDTH - LINE_RIGHT
    top, bottom = LINE_TOP, LINE_HEIGHT - LINE_BOTTOM
    count = len(x_labels)
    step = (right - left) / max(count - 1, 1)

    def x_at(index: int) -> float:
        return round(left + index * step, 1)

    def y_at(value: float) -> float:
        return round(bottom - (bottom - top) * value / top_value, 1)

    short = list(x_short) if x_short is not None else list(x_labels)
    notes = list(x_notes) if x_notes is not None else [""] * count
    return LineChart(
        title=title,
        x_labels=list(x_labels),
        x_marks=[AxisMark(label, x_at(index), notes[index]) for index, label in enumerate(short)],
        y_marks=[AxisMark(f"{top_value * k // 4:,}", y_at(top_value * k / 4)) for k in range(5)],
        series=[
            LineSeries(
                label=label,
                values=list(values),
                coordinates=[(x_at(i), y_at(v)) for i, v in enumerate(values)],
                index=index,
            )
            for index, (label, values) in enumerate(series)
        ],
        series_heading=series_heading,
        empty_text=empty_text,
    )
