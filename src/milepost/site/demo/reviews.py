"""The demo's review cycles: the two past annual rounds (closed) and an open mid-year check-in.

The past rounds are rebuilt from the assessment history the demo already wrote, so the
cycles, their participants' timestamps and the ratings' cycle links all agree with it.
"""

from __future__ import annotations

import datetime

from django.db.models import Max, Min, Q
from django.utils import timezone

from milepost.accounts.models import OrgUnit, User
from milepost.people.models import Assessment, Employee
from milepost.reviews.models import ReviewCycle, ReviewParticipant
from milepost.reviews.services import open_review_cycle
from milepost.site.demo.assessments import ROUND_2025, ROUND_2026, ReviewRound
from milepost.site.demo.organisation import DEMO_EMPLOYEE_TEAM, ROOT_CODE

CHECK_IN = "2026 year-end check-in: motor handling"
DEMO_CYCLE_NAMES = (ROUND_2025.name, ROUND_2026.name, CHECK_IN)


def _as_datetime(day: datetime.date | None) -> datetime.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(17, 0)))


def _past_round(review: ReviewRound, root: OrgUnit, coordinator: User | None) -> ReviewCycle:
    cycle = ReviewCycle.objects.create(
        name=review.name,
        description="Annual review of every employee against their job profile.",
        opens_on=review.opens,
        self_assessment_due=review.opens + datetime.timedelta(days=21),
        manager_assessment_due=review.closes - datetime.timedelta(days=7),
        closes_on=review.closes,
        status=ReviewCycle.Status.CLOSED,
        created_by=coordinator,
        closed_at=_as_datetime(review.closes),
    )
    cycle.units.set([root])
    in_round = Assessment.objects.filter(
        employee__unit__path__startswith=root.path,
        assessed_on__range=(review.opens, review.closes),
    )
    in_round.update(cycle=cycle, source=Assessment.Source.REVIEW)
    steps = in_round.values("employee_id").annotate(
        self_on=Min("assessed_on", filter=Q(kind=Assessment.Kind.SELF)),
        manager_on=Min("assessed_on", filter=Q(kind=Assessment.Kind.MANAGER)),
        agreed_on=Max("assessed_on", filter=Q(kind=Assessment.Kind.AGREED)),
    )
    profiles = dict(
        Employee.objects.filter(pk__in=in_round.values("employee_id")).values_list(
            "pk", "job_profile_id"
        )
    )
    ReviewParticipant.objects.bulk_create(
        ReviewParticipant(
            cycle=cycle,
            employee_id=step["employee_id"],
            job_profile_id=profiles[step["employee_id"]],
            self_submitted_at=_as_datetime(step["self_on"]),
            manager_submitted_at=_as_datetime(step["manager_on"]),
            agreed_at=_as_datetime(step["agreed_on"]),
        )
        for step in steps
        if profiles.get(step["employee_id"]) is not None
    )
    return cycle


def load_demo_reviews() -> int:
    """Create the demo's review cycles; returns how many there are."""
    root = OrgUnit.objects.get(code=ROOT_CODE)
    coordinator = User.objects.filter(username="coordinator").first()
    for review in (ROUND_2025, ROUND_2026):
        _past_round(review, root, coordinator)
    if coordinator is not None:
        today = timezone.localdate()
        open_review_cycle(
            acting_user=coordinator,
            name=CHECK_IN,
            description="A short check-in for the motor handling team before the new year.",
            opens_on=today - datetime.timedelta(days=7),
            self_assessment_due=today + datetime.timedelta(days=7),
            manager_assessment_due=today + datetime.timedelta(days=21),
            closes_on=today + datetime.timedelta(days=35),
            units=[OrgUnit.objects.get(code=DEMO_EMPLOYEE_TEAM)],
        )
    return ReviewCycle.objects.filter(name__in=DEMO_CYCLE_NAMES).count()
