"""factory_boy factories for every app's tests, one module an app (`testing.factories.<app>`)."""

from milepost.testing.factories.accounts import OrgUnitFactory, UserFactory
from milepost.testing.factories.catalogue import (
    CourseFactory,
    LearningOutcomeFactory,
    QualificationFactory,
    TrackFactory,
    TrackStepFactory,
    outcome,
)
from milepost.testing.factories.frameworks import (
    CompetencyFactory,
    CompetencyLevelFactory,
    FrameworkFactory,
    JobProfileFactory,
    RequirementFactory,
    ScaleFactory,
)
from milepost.testing.factories.needs import (
    DemandThemeFactory,
    NeedCompetencyFactory,
    NeedFactory,
    PlannedTrainingFactory,
)
from milepost.testing.factories.people import AssessmentFactory, EmployeeFactory
from milepost.testing.factories.reviews import (
    DevelopmentPlanItemFactory,
    ObjectiveFactory,
    ReviewCycleFactory,
    ReviewParticipantFactory,
)

__all__ = [
    "AssessmentFactory",
    "CompetencyFactory",
    "CompetencyLevelFactory",
    "CourseFactory",
    "DemandThemeFactory",
    "DevelopmentPlanItemFactory",
    "EmployeeFactory",
    "FrameworkFactory",
    "JobProfileFactory",
    "LearningOutcomeFactory",
    "NeedCompetencyFactory",
    "NeedFactory",
    "ObjectiveFactory",
    "OrgUnitFactory",
    "PlannedTrainingFactory",
    "QualificationFactory",
    "RequirementFactory",
    "ReviewCycleFactory",
    "ReviewParticipantFactory",
    "ScaleFactory",
    "TrackFactory",
    "TrackStepFactory",
    "UserFactory",
    "outcome",
]
