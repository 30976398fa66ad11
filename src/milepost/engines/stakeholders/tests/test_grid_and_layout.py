"""The stakeholder engine: quadrant, the eight salience types, and the map's layout."""

from __future__ import annotations

import itertools
import math

import pytest

from milepost.engines.stakeholders import quadrant, salience
from milepost.engines.stakeholders.layout import (
    CENTRE_RADIUS,
    DIRECTIONS,
    Item,
    layout,
    radius,
    shell_order,
)


@pytest.mark.parametrize(
    ("power", "interest", "expected"),
    [
        (5, 5, "manage_closely"),
        (3, 3, "manage_closely"),
        (5, 1, "keep_satisfied"),
        (3, 2, "keep_satisfied"),
        (2, 3, "keep_informed"),
        (1, 5, "keep_informed"),
        (2, 2, "monitor"),
        (1, 1, "monitor"),
    ],
)
def test_quadrant_follows_the_power_interest_grid(power, interest, expected):
    assert quadrant(power, interest).key == expected


@pytest.mark.parametrize(
    ("power", "legitimate", "urgent", "expected", "attributes"),
    [
        (1, False, False, "none", 0),
        (4, False, False, "dormant", 1),
        (2, True, False, "discretionary", 1),
        (2, False, True, "demanding", 1),
        (3, True, False, "dominant", 2),
        (5, False, True, "dangerous", 2),
        (1, True, True, "dependent", 2),
        (3, True, True, "definitive", 3),
    ],
)
def test_all_eight_salience_types(power, legitimate, urgent, expected, attributes):
    found = salience(power, legitimate, urgent)
    assert (found.key, found.attributes) == (expected, attributes)


@pytest.mark.parametrize("bad", [0, 6, -1])
def test_ratings_outside_one_to_five_are_refused(bad):
    with pytest.raises(ValueError, match="1-5"):
        quadrant(bad, 3)
    with pytest.raises(ValueError, match="1-5"):
        salience(bad, True, True)


def _discs_overlap(a, b) -> bool:
    return math.hypot(a.x - b.x, a.y - b.y) < a.r + b.r


def _check_no_overlap(result) -> None:
    for a, b in itertools.combinations(result.placed, 2):
        assert not a.cell.overlaps(b.cell), (a, b)
        assert not _discs_overlap(a, b), (a, b)
    for p in result.placed:
        # Clear of the organisation in the centre, inside its own sector, inside the picture.
        assert math.hypot(p.x - result.cx, p.y - result.cy) > CENTRE_RADIUS + p.r
        sector = result.sectors[p.quadrant]
        assert sector.x <= p.cell.x and p.cell.x + p.cell.width <= sector.x + sector.width
        assert sector.y <= p.cell.y and p.cell.y + p.cell.height <= sector.y + sector.height
        assert p.x - p.r > 0 and p.x + p.r < result.width
        assert p.y - p.r > 0 and p.label_y < result.height


def test_thirty_stakeholders_in_one_quadrant_never_overlap():
    items = [Item(key=n, quadrant="manage_closely", attributes=n % 4) for n in range(30)]
    result = layout(items)
    assert len(result.placed) == 30
    _check_no_overlap(result)
    # All of them upper right of the centre.
    assert all(p.x > result.cx and p.y < result.cy for p in result.placed)


def test_every_quadrant_lands_in_its_own_sector_without_overlap():
    items = [
        Item(key=n, quadrant=key, attributes=(n * 7) % 4)
        for n, key in enumerate(itertools.islice(itertools.cycle(DIRECTIONS), 41))
    ]
    result = layout(items)
    _check_no_overlap(result)
    for p in result.placed:
        dx, dy = DIRECTIONS[p.quadrant]
        assert (p.x - result.cx) * dx > 0 and (p.y - result.cy) * dy > 0


def test_the_layout_is_deterministic_and_keeps_the_table_numbers():
    items = [Item(key=f"s{n}", quadrant="monitor", attributes=n % 3) for n in range(12)]
    first, second = layout(items), layout(list(items))
    assert first == second
    assert [p.number for p in first.placed] == list(range(1, 13))
    assert [p.key for p in first.placed] == [item.key for item in items]


def test_the_most_salient_sit_nearest_the_centre():
    items = [Item(key=n, quadrant="keep_informed", attributes=0) for n in range(8)]
    items.append(Item(key="definitive", quadrant="keep_informed", attributes=3))
    result = layout(items)
    distance = {p.key: math.hypot(p.x - result.cx, p.y - result.cy) for p in result.placed}
    assert distance["definitive"] == min(distance.values())
    assert next(p for p in result.placed if p.key == "definitive").r == radius(3)


def test_an_empty_map_still_has_four_sectors_and_circle_sizes_grow_with_salience():
    result = layout([])
    assert set(result.sectors) == set(DIRECTIONS) and result.placed == []
    assert radius(0) < radius(1) < radius(2) < radius(3)
    with pytest.raises(ValueError, match="unknown quadrant"):
        layout([Item(key=1, quadrant="nowhere", attributes=1)])


def test_shells_fill_from_the_corner_outward():
    assert shell_order(4, 2) == [(0, 0), (1, 0), (0, 1), (1, 1)]
    assert shell_order(5, 3)[:4] == [(0, 0), (1, 0), (0, 1), (1, 1)]
