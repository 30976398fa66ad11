"""Job profile services: permissions, validation messages and atomic writes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from milepost.frameworks import services
from milepost.frameworks.models import JobProfile, JobProfileRequirement
from milepost.frameworks.services import RequirementSpec
from milepost.testing.factories import (
    CompetencyFactory,
    FrameworkFactory,
    JobProfileFactory,
    ScaleFactory,
)

pytestmark = pytest.mark.django_db


def test_employee_cannot_create_a_profile(org):
    with pytest.raises(PermissionDenied, match="admin or an L&D coordinator"):
        services.create_job_profile(acting_user=org.employee_user, code="A", title="A")


def test_create_with_requirements_cleans_text(org, tree):
    job_profile = services.create_job_profile(
        acting_user=org.coordinator,
        code=" AN-1 ",
        title=" Analyst ",
        alt_titles="  Data analyst \n\nBI analyst",
        requirements=[RequirementSpec(tree.coding, 3), RequirementSpec(tree.spreadsheets, 2)],
    )
    assert (job_profile.code, job_profile.title) == ("AN-1", "Analyst")
    assert job_profile.alt_titles == "Data analyst\nBI analyst"
    assert job_profile.requirements.count() == 2


def test_level_is_checked_against_the_competencys_own_framework_scale(org):
    wide = ScaleFactory.create(name="Wide 0-7", min_level=0, max_level=7)
    competency = CompetencyFactory.create(
        name="Negotiate", framework=FrameworkFactory.create(name="Sales", scale=wide)
    )
    job_profile = JobProfileFactory.create()
    services.set_requirement(
        acting_user=org.coordinator,
        job_profile=job_profile,
        competency=competency,
        required_level=7,
    )
    with pytest.raises(ValidationError) as error:
        services.set_requirement(
            acting_user=org.coordinator,
            job_profile=job_profile,
            competency=competency,
            required_level=8,
        )
    assert error.value.messages == [
        "'Negotiate': required level 8 is not on scale 'Wide 0-7' (0-7) of framework 'Sales'. "
        "Pick a level from 0 to 7."
    ]


def test_invalid_importance_is_refused(org, tree):
    with pytest.raises(ValidationError, match="importance 9 is not valid"):
        services.set_requirement(
            acting_user=org.coordinator,
            job_profile=JobProfileFactory.create(),
            competency=tree.coding,
            required_level=2,
            importance=9,
        )


def test_a_bad_requirement_leaves_nothing_half_written(org, tree):
    with pytest.raises(ValidationError):
        services.create_job_profile(
            acting_user=org.coordinator,
            code="HALF",
            title="Half",
            requirements=[RequirementSpec(tree.coding, 3), RequirementSpec(tree.spreadsheets, 0)],
        )
    assert not JobProfile.objects.exists()
    assert not JobProfileRequirement.objects.exists()


def test_update_replaces_requirements_and_keeps_unchanged_rows(org, tree):
    job_profile = services.create_job_profile(
        acting_user=org.coordinator,
        code="R",
        title="R",
        requirements=[RequirementSpec(tree.coding, 3), RequirementSpec(tree.spreadsheets, 2)],
    )
    kept = job_profile.requirements.get(competency=tree.coding)
    services.update_job_profile(
        acting_user=org.coordinator,
        job_profile=job_profile,
        requirements=[RequirementSpec(tree.coding, 4, importance=5, essential=False)],
    )
    [requirement] = job_profile.requirements.all()
    assert requirement.pk == kept.pk
    assert (requirement.required_level, requirement.importance, requirement.essential) == (
        4,
        5,
        False,
    )


def test_update_refuses_another_profiles_code_but_allows_its_own(org):
    JobProfileFactory.create(code="TAKEN", title="Taken")
    job_profile = JobProfileFactory.create(code="MINE")
    services.update_job_profile(acting_user=org.coordinator, job_profile=job_profile, code="mine")
    with pytest.raises(ValidationError) as error:
        services.update_job_profile(
            acting_user=org.coordinator, job_profile=job_profile, code="taken"
        )
    assert error.value.message_dict == {
        "code": ["Code 'taken' is already used by job profile 'Taken'. Choose another code."]
    }


def test_add_requirement_refuses_a_duplicate(org, tree):
    job_profile = JobProfileFactory.create(title="Analyst")
    services.add_requirement(
        acting_user=org.coordinator,
        job_profile=job_profile,
        competency=tree.coding,
        required_level=2,
    )
    with pytest.raises(ValidationError, match="already requires 'Write code'"):
        services.add_requirement(
            acting_user=org.coordinator,
            job_profile=job_profile,
            competency=tree.coding,
            required_level=3,
        )


def test_remove_requirement_that_does_not_exist_is_404(org, tree):
    with pytest.raises(Http404):
        services.remove_requirement(
            acting_user=org.coordinator,
            job_profile=JobProfileFactory.create(),
            competency=tree.coding,
        )


def test_line_manager_cannot_change_requirements(org, tree):
    job_profile = JobProfileFactory.create()
    for change in (services.set_requirement, services.add_requirement):
        with pytest.raises(PermissionDenied):
            change(
                acting_user=org.claims_manager,
                job_profile=job_profile,
                competency=tree.coding,
                required_level=2,
            )
    with pytest.raises(PermissionDenied):
        services.remove_requirement(
            acting_user=org.claims_manager, job_profile=job_profile, competency=tree.coding
        )
