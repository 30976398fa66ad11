from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from milepost.catalogue import services
from milepost.catalogue.models import Course, LearningOutcome, Track
from milepost.catalogue.services import OutcomeSpec
from milepost.frameworks.models import Competency
from milepost.testing.factories import (
    CompetencyFactory,
    CourseFactory,
    FrameworkFactory,
    QualificationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def competency() -> Competency:
    framework = FrameworkFactory.create(code="core")
    return CompetencyFactory.create(framework=framework, name="Negotiation", code="NEG")


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def test_coordinator_creates_a_course_with_outcomes_and_prerequisites(
    org: Any, competency: Competency
) -> None:
    basics = CourseFactory.create(code="NEG-100")
    course = services.create_course(
        acting_user=org.coordinator,
        code=" NEG-200 ",
        title="Negotiation in practice",
        modality="blended",
        cost_per_person=Decimal("450"),
        prerequisites=[basics],
        outcomes=[OutcomeSpec(competency, 3, "Plans and runs a negotiation")],
    )
    assert course.code == "NEG-200"
    assert list(course.prerequisites.all()) == [basics]
    assert course.outcomes.get().raises_to_level == 3


@pytest.mark.parametrize(
    "user", ["employee_user", "claims_manager", "executive", "employer_contact"]
)
def test_only_admin_and_coordinator_change_the_catalogue(org: Any, user: str) -> None:
    with pytest.raises(PermissionDenied):
        services.create_course(
            acting_user=getattr(org, user), code="X", title="X", modality="online"
        )
    assert not Course.objects.exists()


def test_course_errors_name_each_field(org: Any) -> None:
    CourseFactory.create(code="DUP")
    with pytest.raises(ValidationError) as exc:
        services.create_course(
            acting_user=org.coordinator,
            code="dup",
            title="",
            modality="webinar",
            cost_per_person=Decimal("-1"),
        )
    errors = _messages(exc)
    assert "already used by course" in errors["code"][0]
    assert errors["title"] == ["Give the course a title."]
    assert "'webinar' is not a modality" in errors["modality"][0]
    assert "cannot be negative" in errors["cost_per_person"][0]


def test_outcome_must_not_be_a_group_and_its_level_must_be_on_the_scale(
    org: Any, competency: Competency
) -> None:
    group = CompetencyFactory.create(
        framework=competency.framework, name="Working with others", kind=Competency.Kind.GROUP
    )
    with pytest.raises(ValidationError) as exc:
        services.create_course(
            acting_user=org.coordinator,
            code="C1",
            title="Course",
            modality="online",
            outcomes=[OutcomeSpec(group, 2), OutcomeSpec(competency, 9)],
        )
    first, second = _messages(exc)["outcomes"]
    assert "'Working with others' is a group" in first
    assert "level 9 is not on scale" in second
    assert not Course.objects.exists()


def test_a_course_cannot_require_itself_or_close_a_circle(org: Any) -> None:
    first, second = CourseFactory.create(code="A"), CourseFactory.create(code="B")
    second.prerequisites.add(first)
    with pytest.raises(ValidationError) as exc:
        services.update_course(acting_user=org.coordinator, course=first, prerequisites=[first])
    assert "its own prerequisite" in _messages(exc)["prerequisites"][0]
    with pytest.raises(ValidationError) as exc:
        services.update_course(acting_user=org.coordinator, course=first, prerequisites=[second])
    assert _messages(exc)["prerequisites"] == [
        "Circular prerequisites: 'A' requires 'B' requires 'A'."
    ]


def test_updating_outcomes_replaces_the_set(org: Any, competency: Competency) -> None:
    other = CompetencyFactory.create(framework=competency.framework)
    course = CourseFactory.create(code="C")
    services.update_course(
        acting_user=org.coordinator, course=course, outcomes=[OutcomeSpec(competency, 2)]
    )
    services.update_course(
        acting_user=org.coordinator,
        course=course,
        outcomes=[OutcomeSpec(competency, 4), OutcomeSpec(other, 1)],
    )
    assert dict(course.outcomes.values_list("competency_id", "raises_to_level")) == {
        competency.pk: 4,
        other.pk: 1,
    }
    services.update_course(acting_user=org.coordinator, course=course, outcomes=[])
    assert not course.outcomes.exists()


def test_qualification_level_must_be_1_to_8_and_validity_positive(org: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.save_qualification(
            acting_user=org.coordinator,
            code="CII-CERT",
            title="Certificate in Insurance",
            awarding_body="",
            level_framework="NVQ",
            level=9,
            validity_months=0,
        )
    errors = _messages(exc)
    assert set(errors) == {"awarding_body", "level_framework", "level", "validity_months"}


def test_qualification_is_saved_with_outcomes(org: Any, competency: Competency) -> None:
    qualification = services.save_qualification(
        acting_user=org.admin,
        code="CII-CERT",
        title="Certificate in Insurance",
        awarding_body="Chartered Insurance Institute",
        level_framework="RQF",
        level=3,
        credits=40,
        outcomes=[OutcomeSpec(competency, 3)],
    )
    assert qualification.outcomes.get().competency == competency


def test_an_outcome_belongs_to_exactly_one_course_or_qualification(competency: Competency) -> None:
    course, qualification = CourseFactory.create(code="C"), QualificationFactory.create(code="Q")
    for owner in ({}, {"course": course, "qualification": qualification}):
        with pytest.raises(IntegrityError), transaction.atomic():
            LearningOutcome.objects.create(competency=competency, raises_to_level=2, **owner)


def _track(org: Any, *, enforce_order: bool = False) -> Track:
    return services.save_track(
        acting_user=org.coordinator, code="T1", title="Claims route", enforce_order=enforce_order
    )


def test_enforced_order_needs_prerequisites_at_earlier_steps(org: Any) -> None:
    basics, advanced = (
        CourseFactory.create(code="B1", title="Basics"),
        CourseFactory.create(code="A1", title="Advanced"),
    )
    advanced.prerequisites.add(basics)
    track = _track(org, enforce_order=True)
    with pytest.raises(ValidationError) as exc:
        services.add_track_step(acting_user=org.coordinator, track=track, course=advanced)
    assert "'Advanced' requires 'Basics'" in _messages(exc)["steps"][0]
    services.add_track_step(acting_user=org.coordinator, track=track, course=basics)
    step = services.add_track_step(acting_user=org.coordinator, track=track, course=advanced)
    with pytest.raises(ValidationError):
        services.move_track_step(acting_user=org.coordinator, step=step, direction="up")
    assert [s.course for s in track.steps.all()] == [basics, advanced]


def test_steps_move_and_are_renumbered_when_one_is_removed(org: Any) -> None:
    track = _track(org)
    first = services.add_track_step(
        acting_user=org.coordinator, track=track, course=CourseFactory.create(code="1")
    )
    second = services.add_track_step(
        acting_user=org.coordinator,
        track=track,
        qualification=QualificationFactory.create(code="Q"),
    )
    services.move_track_step(acting_user=org.coordinator, step=second, direction="up")
    assert [step.pk for step in track.steps.all()] == [second.pk, first.pk]
    services.remove_track_step(acting_user=org.coordinator, step=second)
    assert list(track.steps.values_list("pk", "position")) == [(first.pk, 1)]


def test_a_step_is_one_course_or_one_qualification_not_repeated(org: Any) -> None:
    track, course = _track(org), CourseFactory.create(code="1")
    with pytest.raises(ValidationError):
        services.add_track_step(acting_user=org.coordinator, track=track)
    services.add_track_step(acting_user=org.coordinator, track=track, course=course)
    with pytest.raises(ValidationError) as exc:
        services.add_track_step(acting_user=org.coordinator, track=track, course=course)
    assert "already a step" in _messages(exc)["offer"][0]


def test_enforcing_the_order_is_refused_while_a_prerequisite_comes_later(org: Any) -> None:
    basics, advanced = (
        CourseFactory.create(code="B1", title="Basics"),
        CourseFactory.create(code="A1", title="Advanced"),
    )
    advanced.prerequisites.add(basics)
    track = _track(org)
    services.add_track_step(acting_user=org.coordinator, track=track, course=advanced)
    services.add_track_step(acting_user=org.coordinator, track=track, course=basics)
    with pytest.raises(ValidationError):
        services.set_track_enforce_order(
            acting_user=org.coordinator, track=track, enforce_order=True
        )
    track.refresh_from_db()
    assert not track.enforce_order


def test_new_prerequisite_may_not_break_an_enforced_track(org: Any) -> None:
    basics, advanced = (
        CourseFactory.create(code="B1", title="Basics"),
        CourseFactory.create(code="A1", title="Advanced"),
    )
    track = _track(org, enforce_order=True)
    services.add_track_step(acting_user=org.coordinator, track=track, course=advanced)
    services.add_track_step(acting_user=org.coordinator, track=track, course=basics)
    with pytest.raises(ValidationError) as exc:
        services.update_course(acting_user=org.coordinator, course=advanced, prerequisites=[basics])
    assert "'Advanced' requires 'Basics'" in _messages(exc)["prerequisites"][0]
    assert not advanced.prerequisites.exists()


def test_places_per_run_are_kept_unless_given_and_none_means_no_limit(org: Any) -> None:
    course = services.create_course(
        acting_user=org.coordinator, code="CLS-1", title="Classroom", modality="classroom"
    )
    assert course.places_per_run is None
    services.update_course(acting_user=org.coordinator, course=course, places_per_run=12)
    services.update_course(acting_user=org.coordinator, course=course, title="Classroom day")
    course.refresh_from_db()
    assert (course.title, course.places_per_run) == ("Classroom day", 12)
    services.update_course(acting_user=org.coordinator, course=course, places_per_run=None)
    course.refresh_from_db()
    assert course.places_per_run is None


def test_places_per_run_below_1_are_refused_by_the_service_and_the_database(org: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.create_course(
            acting_user=org.coordinator, code="X", title="X", modality="online", places_per_run=0
        )
    assert "Places per run must be from 1" in _messages(exc)["places_per_run"][0]
    course = CourseFactory.create(code="DB-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Course.objects.filter(pk=course.pk).update(places_per_run=0)
