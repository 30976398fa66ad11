"""What the proposals app asks of higher apps, declared here and connected in their `apps.py`.

The proposal page asks for sections from higher apps (`proposal_page_sections`): insights
offers "Suggest a solution" there, since the recommendation engine sits above proposals.

An engagement's page shows the gap engine's figures for an internal client's people on the
competencies named as capability causes; gap analysis (insights) sits on a higher floor, so it
connects to `capability_figures_wanted` and answers with `CapabilityFigure`s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.dispatch import Signal

# Sent inside the transaction that accepts a proposal, with `proposal`, after its training plan
# entries are written (delivery: an event to schedule for each training item).
proposal_accepted = Signal()

# Sent by the proposal page with `request` and `proposal`; receivers return a
# `lib.sections.Section` or None (insights: "Suggest a solution" on a draft its reader may edit).
proposal_page_sections = Signal()

# Sent with `user`, `unit` (the internal client's OrgUnit) and `competency_ids`; receivers
# return a list of CapabilityFigure (one per competency some profile in the unit requires).
capability_figures_wanted = Signal()


@dataclass(frozen=True)
class CapabilityFigure:
    """The people of a unit (and the units below it) required to hold a competency."""

    competency_pk: int
    assessed: int  # people required to hold it with an agreed level
    short: int  # of those, people below the required level
    mean_gap: float  # levels short, on average over the people assessed
    unassessed: int = 0  # people required to hold it with no agreed level yet


def capability_figures(
    user: Any, unit: Any, competency_ids: Sequence[int]
) -> dict[int, CapabilityFigure]:
    """Every connected app's figures, by competency (none when gap analysis is not installed)."""
    found: dict[int, CapabilityFigure] = {}
    answers = cast(
        list[tuple[Any, Any]],
        capability_figures_wanted.send(
            sender=CapabilityFigure, user=user, unit=unit, competency_ids=list(competency_ids)
        ),
    )
    for _receiver, figures in answers:
        for figure in figures or []:
            found[figure.competency_pk] = figure
    return found
