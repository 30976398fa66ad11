"""The admin pages for frameworks models open for a superuser and are closed to others."""

from __future__ import annotations

import pytest
from django.urls import reverse

from milepost.testing.factories import CompetencyLevelFactory, RequirementFactory

pytestmark = pytest.mark.django_db

MODELS = [
    "proficiencyscale",
    "framework",
    "competency",
    "competencylevel",
    "jobprofile",
    "jobprofilerequirement",
]


@pytest.mark.parametrize("model", MODELS)
def test_superuser_can_list_search_and_open(org, tree, login, model):
    requirement = RequirementFactory.create(competency=tree.coding)
    CompetencyLevelFactory.create(competency=tree.coding)
    client = login(org.admin)
    changelist = client.get(reverse(f"admin:frameworks_{model}_changelist"), {"q": "code"})
    assert changelist.status_code == 200
    objects = {
        "proficiencyscale": tree.framework.scale,
        "framework": tree.framework,
        "competency": tree.coding,
        "competencylevel": tree.coding.levels.get(),
        "jobprofile": requirement.job_profile,
        "jobprofilerequirement": requirement,
    }
    change = client.get(reverse(f"admin:frameworks_{model}_change", args=[objects[model].pk]))
    assert change.status_code == 200


def test_coordinator_without_staff_flag_is_kept_out(org, login):
    response = login(org.coordinator).get(reverse("admin:frameworks_competency_changelist"))
    assert response.status_code == 302
