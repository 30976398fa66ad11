"""Reads for the demand board and the pull dashboard, narrowed to what the user may see.

Rows are aggregated in Python over one fetch of the visible needs (with their competency
mapping prefetched), so each page costs a fixed number of queries however many needs there
are. Dates are bucketed in Python too: SQL date functions differ between SQLite and
PostgreSQL. `board` (the ranked board), `breakdowns` (by business unit and by competency),
`dashboard` (pull figures).
"""

from milepost.needs.demand.board import (
    BoardRow,
    DemandBoard,
    answer_rows,
    board_competencies,
    board_needs,
    board_rows,
    current_weights,
    demand_board,
    empty_board,
    rows_from_needs,
)
from milepost.needs.demand.breakdowns import (
    NO_UNIT,
    OTHER_UNITS,
    TOP_BUSINESS_UNITS,
    TOP_COMPETENCIES,
    business_unit_id,
    demand_by_business_unit,
    demand_by_competency,
)
from milepost.needs.demand.dashboard import (
    AGE_BUCKETS,
    MONTHS,
    TOP_UNITS_OVER_TIME,
    PullDashboard,
    PullRatio,
    ResponseTime,
    demand_over_time,
    month_starts,
    open_needs_by_age,
    pull_dashboard,
    pull_ratio,
    response_time,
    visible_plan,
)

__all__ = [
    "AGE_BUCKETS",
    "MONTHS",
    "NO_UNIT",
    "OTHER_UNITS",
    "TOP_BUSINESS_UNITS",
    "TOP_COMPETENCIES",
    "TOP_UNITS_OVER_TIME",
    "BoardRow",
    "DemandBoard",
    "PullDashboard",
    "PullRatio",
    "ResponseTime",
    "answer_rows",
    "board_competencies",
    "board_needs",
    "board_rows",
    "business_unit_id",
    "current_weights",
    "demand_board",
    "demand_by_business_unit",
    "demand_by_competency",
    "demand_over_time",
    "empty_board",
    "month_starts",
    "open_needs_by_age",
    "pull_dashboard",
    "pull_ratio",
    "response_time",
    "rows_from_needs",
    "visible_plan",
]
