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
from milepost.testing.factories.clients import (
    ClientFactory,
    ContactFactory,
    InteractionFactory,
    InternalClientFactory,
    PortalContactFactory,
    StakeholderFactory,
    StakeholderMapFactory,
)
from milepost.testing.factories.delivery import (
    EnrolmentFactory,
    EventFactory,
    FacilitatorFactory,
    SessionFactory,
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
from milepost.testing.factories.proposals import (
    BusinessIssueFactory,
    EngagementFactory,
    MetricFactory,
    ProposalFactory,
    ProposalItemFactory,
)
from milepost.testing.factories.reviews import (
    DevelopmentPlanItemFactory,
    ObjectiveFactory,
    ReviewCycleFactory,
    ReviewParticipantFactory,
)

__all__ = [
    "AssessmentFactory",
    "BusinessIssueFactory",
    "ClientFactory",
    "CompetencyFactory",
    "CompetencyLevelFactory",
    "ContactFactory",
    "CourseFactory",
    "DemandThemeFactory",
    "DevelopmentPlanItemFactory",
    "EmployeeFactory",
    "EngagementFactory",
    "EnrolmentFactory",
    "EventFactory",
    "FacilitatorFactory",
    "FrameworkFactory",
    "InteractionFactory",
    "InternalClientFactory",
    "JobProfileFactory",
    "LearningOutcomeFactory",
    "MetricFactory",
    "NeedCompetencyFactory",
    "NeedFactory",
    "ObjectiveFactory",
    "OrgUnitFactory",
    "PlannedTrainingFactory",
    "PortalContactFactory",
    "ProposalFactory",
    "ProposalItemFactory",
    "QualificationFactory",
    "RequirementFactory",
    "ReviewCycleFactory",
    "ReviewParticipantFactory",
    "ScaleFactory",
    "SessionFactory",
    "StakeholderFactory",
    "StakeholderMapFactory",
    "TrackFactory",
    "TrackStepFactory",
    "UserFactory",
    "outcome",
]
