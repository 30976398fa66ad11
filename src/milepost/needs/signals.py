"""What the needs app asks of higher apps, declared here and connected in their own `apps.py`.

The demand board shows skill gaps beside requests, but gap analysis (insights) sits on a higher
floor: it connects to `gap_suggestions_wanted` and answers with `GapSuggestion`s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from django.dispatch import Signal

# Sent with `user` when the demand board is drawn; receivers return a list of GapSuggestion.
gap_suggestions_wanted = Signal()


@dataclass
class GapSuggestion:
    """A competency with a large weighted gap in the viewer's scope, for the demand board."""

    competency_pk: int
    competency_name: str
    below: int  # of the people assessed
    required: int  # people assessed on it (those not assessed are left out: missing data)
    weighted_gap: float
    unit_pk: int | None
    unit_name: str
    has_open_need: bool = False
    need_url: str = field(default="")
    unassessed: int = 0  # people required to hold it with no agreed level yet


def gap_suggestions_for(user: Any) -> list[GapSuggestion]:
    """Every connected app's suggestions for this user (none when gap analysis is not installed)."""
    found: list[GapSuggestion] = []
    answers = cast(
        list[tuple[Any, Any]], gap_suggestions_wanted.send(sender=GapSuggestion, user=user)
    )
    for _receiver, suggestions in answers:
        found.extend(suggestions)
    return found


# Sent with `request` and `need` when a need's page is drawn, and with `request` and `theme` when
# a demand theme's page is drawn; each receiver returns a `milepost.lib.sections.Section` (the
# business issues the need or theme is behind, a "promote to business issue" form), or None.
need_page_sections = Signal()
theme_page_sections = Signal()
