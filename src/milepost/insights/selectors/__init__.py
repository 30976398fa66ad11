"""Reads of the gap analysis, narrowed with accounts.access to what the user may see.

The figures come from the cached engine (`gaps.current_gaps()`); the database is asked only for
the object named in the URL and for the names of the few units, competencies and people shown,
so every page runs a fixed number of queries whatever the organisation's size.

One module a topic: `results` (the small result classes), `scope` (who may see which unit and
the names of what is shown), `summaries`, `heatmaps`, `key_people` (key-person risk), `people`
(team and person gaps), `bench` (bench strength), `board` (gaps suggested on the demand board).
"""

from milepost.insights.selectors.bench import (
    BENCH_EXPORT_HEADER,
    BENCH_LIST_EXPORT_HEADER,
    Bench,
    bench_export_rows,
    bench_list_export_rows,
    bench_people,
    bench_profiles,
    bench_rows,
    profile_bench,
)
from milepost.insights.selectors.board import BOARD_SUGGESTIONS, gap_suggestions
from milepost.insights.selectors.heatmaps import (
    HEATMAP_EXPORT_HEADER,
    heatmap_export_rows,
    team_heatmap,
    unit_heatmap,
)
from milepost.insights.selectors.key_people import (
    RISK_EXPORT_HEADER,
    key_person_risks,
    risk_export_rows,
)
from milepost.insights.selectors.people import (
    COVERAGE_HEADER,
    PERSON_EXPORT_HEADER,
    SUMMARY_EXPORT_HEADER,
    TEAM_EXPORT_HEADER,
    PersonGapsResult,
    TeamGaps,
    direct_reports,
    person_export_rows,
    person_gaps,
    summary_export_rows,
    team_export_rows,
    team_gaps,
)
from milepost.insights.selectors.results import (
    HEATMAP_COLUMNS,
    HEATMAP_MAX_COLUMNS,
    NAME_CHUNK,
    BenchPerson,
    BenchRow,
    HeatCell,
    HeatmapTable,
    HeatRow,
    PersonRow,
    RequirementGap,
    RiskRow,
    SummaryRow,
    Unassessed,
    with_unassessed,
)
from milepost.insights.selectors.scope import (
    competency_names_by_pk,
    gap_employee,
    gap_unit,
    in_scope,
    own_gaps_instead,
    require_gap_analysis,
    subtree,
    team_manager,
)
from milepost.insights.selectors.summaries import (
    Overview,
    UnitGaps,
    UnitPage,
    gap_overview,
    unit_gaps,
    unit_page,
)

__all__ = [
    "BENCH_EXPORT_HEADER",
    "BENCH_LIST_EXPORT_HEADER",
    "BOARD_SUGGESTIONS",
    "COVERAGE_HEADER",
    "HEATMAP_COLUMNS",
    "HEATMAP_EXPORT_HEADER",
    "HEATMAP_MAX_COLUMNS",
    "NAME_CHUNK",
    "PERSON_EXPORT_HEADER",
    "RISK_EXPORT_HEADER",
    "SUMMARY_EXPORT_HEADER",
    "TEAM_EXPORT_HEADER",
    "Bench",
    "BenchPerson",
    "BenchRow",
    "HeatCell",
    "HeatRow",
    "HeatmapTable",
    "Overview",
    "PersonGapsResult",
    "PersonRow",
    "RequirementGap",
    "RiskRow",
    "SummaryRow",
    "TeamGaps",
    "Unassessed",
    "UnitGaps",
    "UnitPage",
    "bench_export_rows",
    "bench_list_export_rows",
    "bench_people",
    "bench_profiles",
    "bench_rows",
    "competency_names_by_pk",
    "direct_reports",
    "gap_employee",
    "gap_overview",
    "gap_suggestions",
    "gap_unit",
    "heatmap_export_rows",
    "in_scope",
    "key_person_risks",
    "own_gaps_instead",
    "person_export_rows",
    "person_gaps",
    "profile_bench",
    "require_gap_analysis",
    "risk_export_rows",
    "subtree",
    "summary_export_rows",
    "team_export_rows",
    "team_gaps",
    "team_heatmap",
    "team_manager",
    "unit_gaps",
    "unit_heatmap",
    "unit_page",
    "with_unassessed",
]
