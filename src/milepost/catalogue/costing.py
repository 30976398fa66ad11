"""What a course or qualification costs for a number of people: the one costing rule.

The recommendation pages (person, team, unit) price every item with `cost_for`; the need and
theme pages, the demand board and the catalogue list price one person's place with `seat_cost`
(`cost_for` one person), so the rule lives here once (docs/catalogue.md and docs/recommend.md
explain it).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

CENT = Decimal("0.01")


class Costed(Protocol):
    """What the rule reads: `catalogue.selectors.Offer` has these, and so does a `Course`."""

    @property
    def cost_per_person(self) -> Decimal: ...

    @property
    def cost_per_run(self) -> Decimal: ...

    @property
    def places_per_run(self) -> int | None: ...


def runs_for(places_per_run: int | None, people: int) -> int:
    """Runs needed to seat `people`: one when places are unlimited, else enough runs to seat all."""
    if people <= 0:
        return 0
    if places_per_run is None:
        return 1
    return -(-people // places_per_run)  # ceiling division, exact for any size


def cost_for(offer: Costed, people: int) -> Decimal:
    """Cost of sending `people` on `offer`: `cost_per_run x runs + cost_per_person x people`.

    One person on a course with a known number of places joins a run others fill, so they are
    charged their seat's share of one run: `cost_per_person + cost_per_run / places`. Rounded to
    the penny. A qualification has no run cost, so it is its cost per person times people.
    """
    if people < 0:
        raise ValueError(f"people must be 0 or more, got {people}")
    places = offer.places_per_run
    if people == 1 and places is not None:
        cost = offer.cost_per_person + offer.cost_per_run / places
    else:
        cost = offer.cost_per_run * runs_for(places, people) + offer.cost_per_person * people
    return cost.quantize(CENT, rounding=ROUND_HALF_UP)


def seat_cost(offer: Costed) -> Decimal:
    """What one person's place costs: `cost_for(offer, 1)`. A course priced by the run alone
    (GBP 2,100 a run for 16 places) is not free: a seat is GBP 131.25."""
    return cost_for(offer, 1)


def _amount(value: Decimal) -> str:
    """2100 -> "2,100"; 1000.5 -> "1,000.50"."""
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def seat_cost_basis(offer: Costed, currency: str) -> str:
    """Where the seat cost comes from, in words: "GBP 2,100 a run for 16"."""
    parts = []
    if offer.cost_per_person:
        parts.append(f"{currency} {_amount(offer.cost_per_person)} a person")
    if offer.cost_per_run:
        places = offer.places_per_run
        run = f"{currency} {_amount(offer.cost_per_run)} a run"
        parts.append(f"{run} for {places}" if places is not None else f"{run}, places unlimited")
    return " + ".join(parts) or "free"
