"""A tiny hand-computed organisation shared by the gap engine's tests.

Units: 0 Group > 1 Claims > 2 Motor team; 0 Group > 3 Underwriting.
Competencies: 0 negotiation, 1 claims law, 2 spreadsheets, 3 pricing, 4 (required by nobody).
Profiles (competency, level, importance, essential):
  0 claims handler: (0, 3, 4, yes), (1, 2, 5, yes), (2, 3, 2, no)
  1 underwriter:    (3, 4, 5, yes), (2, 2, 3, yes)
  2 analyst:        (2, 2, 1, no)   -- no essential requirement, nobody in the role
Employees (unit, profile, agreed levels):
  0 Ann  motor team,   claims handler: c0=3, c1=1, c2=1
  1 Bob  motor team,   claims handler: c0=4, c1=2            (c2 not assessed)
  2 Cat  claims,       claims handler: nothing assessed
  3 Dan  underwriting, underwriter:    c3=4, c2=2, c0=3
  4 Eve  underwriting, no profile:     c3=5, c4=2
  5 Fay  group,        underwriter:    c3=3, c2=5
"""

from __future__ import annotations

import numpy as np

from milepost.engines.gaps import GapInputs

ANN, BOB, CAT, DAN, EVE, FAY = range(6)
GROUP, CLAIMS, MOTOR, UNDERWRITING = range(4)
NEGOTIATION, CLAIMS_LAW, SPREADSHEETS, PRICING, UNREQUIRED = range(5)
HANDLER, UNDERWRITER, ANALYST = range(3)

AGREED = {
    (ANN, NEGOTIATION): 3,
    (ANN, CLAIMS_LAW): 1,
    (ANN, SPREADSHEETS): 1,
    (BOB, NEGOTIATION): 4,
    (BOB, CLAIMS_LAW): 2,
    (DAN, PRICING): 4,
    (DAN, SPREADSHEETS): 2,
    (DAN, NEGOTIATION): 3,
    (EVE, PRICING): 5,
    (EVE, UNREQUIRED): 2,
    (FAY, PRICING): 3,
    (FAY, SPREADSHEETS): 5,
}


def tiny_organisation(agreed: dict[tuple[int, int], int] | None = None) -> GapInputs:
    agreed = AGREED if agreed is None else agreed
    requirements = [
        (HANDLER, NEGOTIATION, 3, 4, True),
        (HANDLER, CLAIMS_LAW, 2, 5, True),
        (HANDLER, SPREADSHEETS, 3, 2, False),
        (UNDERWRITER, PRICING, 4, 5, True),
        (UNDERWRITER, SPREADSHEETS, 2, 3, True),
        (ANALYST, SPREADSHEETS, 2, 1, False),
    ]
    profile, competency, level, importance, essential = zip(*requirements, strict=True)
    pairs = sorted(agreed)
    return GapInputs(
        employee_profile=np.array([HANDLER, HANDLER, HANDLER, UNDERWRITER, -1, UNDERWRITER]),
        employee_unit=np.array([MOTOR, MOTOR, CLAIMS, UNDERWRITING, UNDERWRITING, GROUP]),
        unit_parent=np.array([-1, GROUP, CLAIMS, GROUP]),
        n_profiles=3,
        n_competencies=5,
        requirement_profile=np.array(profile),
        requirement_competency=np.array(competency),
        requirement_level=np.array(level),
        requirement_importance=np.array(importance),
        requirement_essential=np.array(essential),
        assessment_employee=np.array([e for e, _ in pairs], dtype=np.int64),
        assessment_competency=np.array([c for _, c in pairs], dtype=np.int64),
        assessment_level=np.array([agreed[pair] for pair in pairs], dtype=np.int64),
    )


def with_levels(inputs: GapInputs, agreed: dict[tuple[int, int], int]) -> GapInputs:
    """The same organisation with another set of current agreed levels."""
    pairs = sorted(agreed)
    return GapInputs(
        **{
            **vars(inputs),
            "assessment_employee": np.array([e for e, _ in pairs], dtype=np.int64),
            "assessment_competency": np.array([c for _, c in pairs], dtype=np.int64),
            "assessment_level": np.array([agreed[p] for p in pairs], dtype=np.int64),
        }
    )
