"""Where each stakeholder is drawn on a map: pure geometry, no Django, no drawing.

The map is Mendelow's grid with the organisation at the crossing of the axes: interest grows to
the right, power upwards, so "manage closely" is the upper right sector, "keep satisfied" the
upper left, "keep informed" the lower right and "monitor" the lower left. Each stakeholder takes
one cell of its sector (a circle sized by salience and its name under it); cells fill in square
shells outward from the centre, the most salient first, so the stakeholders that matter most sit
next to the organisation. Cells never overlap and the same input always gives the same picture.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# Circle radius by salience attributes (0-3: how many of power, legitimacy and urgency).
RADII = (11.0, 17.0, 23.0, 29.0)
R_MAX = RADII[-1]
LABEL_HEIGHT = 16.0  # one line of name under the circle
CELL_WIDTH = 118.0
CELL_HEIGHT = 2 * R_MAX + LABEL_HEIGHT + 12.0
CENTRE_RADIUS = 58.0  # the organisation's own circle
# Sectors start this far from the axes, so no cell touches the centre circle or the axes.
AXIS_GAP_X = CENTRE_RADIUS + 16.0
AXIS_GAP_Y = CENTRE_RADIUS + 16.0
MARGIN = 34.0  # room for the axis titles and quadrant names at the edges
MIN_CELLS = 2  # an empty sector still shows as a 2 x 2 area, with its name

# Sector key -> (x direction, y direction) from the centre (SVG y grows downwards).
DIRECTIONS: dict[str, tuple[int, int]] = {
    "manage_closely": (1, -1),
    "keep_satisfied": (-1, -1),
    "keep_informed": (1, 1),
    "monitor": (-1, 1),
}


@dataclass(frozen=True)
class Item:
    """A stakeholder as the layout sees it."""

    key: int | str
    quadrant: str  # a key of DIRECTIONS
    attributes: int  # salience attributes, 0-3


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.x < other.x + other.width
            and other.x < self.x + self.width
            and self.y < other.y + other.height
            and other.y < self.y + self.height
        )


@dataclass(frozen=True)
class Placed:
    key: int | str
    quadrant: str
    number: int  # 1-based, the row of the data table beside the map
    x: float  # circle centre
    y: float
    r: float
    label_y: float  # baseline of the name under the circle
    cell: Box


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    cx: float
    cy: float
    centre_radius: float
    sectors: dict[str, Box]  # each sector's area, for its tint and name
    placed: list[Placed]


def radius(attributes: int) -> float:
    """Circle radius for a salience with 0-3 attributes."""
    return RADII[max(0, min(3, attributes))]


def shell_order(count: int, columns: int) -> list[tuple[int, int]]:
    """The first `count` (column, row) cells of a grid `columns` wide, nearest the corner first:
    square shells outward, then along each shell from the axes inwards."""
    rows = max(1, math.ceil(count / columns))
    cells = [(c, r) for r in range(rows) for c in range(columns)]
    cells.sort(key=lambda cell: (max(cell), cell[0] + cell[1], cell[1], cell[0]))
    return cells[:count]


def grid_size(count: int) -> tuple[int, int]:
    """Columns and rows of a sector holding `count` cells (at least MIN_CELLS each way)."""
    columns = max(MIN_CELLS, math.ceil(math.sqrt(count)))
    rows = max(MIN_CELLS, math.ceil(count / columns))
    return columns, rows


def layout(items: Sequence[Item]) -> Layout:
    """Place `items` (in the order given: the data table's order) around the centre."""
    unknown = {item.quadrant for item in items} - set(DIRECTIONS)
    if unknown:
        raise ValueError(f"unknown quadrant(s): {', '.join(sorted(unknown))}")
    numbered = list(enumerate(items, start=1))
    by_sector: dict[str, list[tuple[int, Item]]] = {key: [] for key in DIRECTIONS}
    for number, item in numbered:
        by_sector[item.quadrant].append((number, item))
    sizes = {key: grid_size(len(members)) for key, members in by_sector.items()}
    left = max(sizes["keep_satisfied"][0], sizes["monitor"][0]) * CELL_WIDTH
    right = max(sizes["manage_closely"][0], sizes["keep_informed"][0]) * CELL_WIDTH
    top = max(sizes["manage_closely"][1], sizes["keep_satisfied"][1]) * CELL_HEIGHT
    bottom = max(sizes["keep_informed"][1], sizes["monitor"][1]) * CELL_HEIGHT
    cx = MARGIN + left + AXIS_GAP_X
    cy = MARGIN + top + AXIS_GAP_Y
    width = cx + AXIS_GAP_X + right + MARGIN
    height = cy + AXIS_GAP_Y + bottom + MARGIN

    sectors: dict[str, Box] = {}
    placed: list[Placed] = []
    for key, (dx, dy) in DIRECTIONS.items():
        columns, rows = sizes[key]
        span_x, span_y = columns * CELL_WIDTH, rows * CELL_HEIGHT
        origin_x = cx + AXIS_GAP_X if dx > 0 else cx - AXIS_GAP_X - span_x
        origin_y = cy + AXIS_GAP_Y if dy > 0 else cy - AXIS_GAP_Y - span_y
        sectors[key] = Box(origin_x, origin_y, span_x, span_y)
        members = sorted(by_sector[key], key=lambda pair: (-pair[1].attributes, pair[0]))
        for (number, item), (column, row) in zip(
            members, shell_order(len(members), columns), strict=True
        ):
            # Column and row count outward from the centre in this sector's direction.
            cell_x = (
                cx + AXIS_GAP_X + column * CELL_WIDTH
                if dx > 0
                else cx - AXIS_GAP_X - (column + 1) * CELL_WIDTH
            )
            cell_y = (
                cy + AXIS_GAP_Y + row * CELL_HEIGHT
                if dy > 0
                else cy - AXIS_GAP_Y - (row + 1) * CELL_HEIGHT
            )
            cell = Box(cell_x, cell_y, CELL_WIDTH, CELL_HEIGHT)
            circle_y = cell_y + 6.0 + R_MAX
            placed.append(
                Placed(
                    key=item.key,
                    quadrant=key,
                    number=number,
                    x=cell_x + CELL_WIDTH / 2,
                    y=circle_y,
                    r=radius(item.attributes),
                    label_y=circle_y + R_MAX + LABEL_HEIGHT - 3.0,
                    cell=cell,
                )
            )
    placed.sort(key=lambda p: p.number)
    return Layout(
        width=width,
        height=height,
        cx=cx,
        cy=cy,
        centre_radius=CENTRE_RADIUS,
        sectors=sectors,
        placed=placed,
    )
