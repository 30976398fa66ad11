from __future__ import annotations

import pytest
from django.test import Client

from milepost.accounts.access import unit_filter
from milepost.accounts.models import OrgUnit
from milepost.accounts.services import rebuild_unit_paths

pytestmark = pytest.mark.django_db


def test_unit_paths_follow_the_tree_and_moves(org):
    assert org.motor_team.path == f"/{org.group.pk}/{org.claims.pk}/{org.motor_team.pk}/"
    assert org.motor_team.depth == 2
    org.claims.parent = org.underwriting
    org.claims.save()
    org.motor_team.refresh_from_db()
    assert org.motor_team.path.startswith(org.underwriting.path)
    assert org.motor_team.depth == 3


def test_rebuild_unit_paths_names_a_unit_in_a_cycle(org):
    OrgUnit.objects.filter(pk=org.group.pk).update(parent=org.motor_team)
    with pytest.raises(ValueError, match="cycle"):
        rebuild_unit_paths()


def test_line_manager_sees_own_unit_and_below_only(org):
    scope = unit_filter(org.claims_manager)
    assert scope is not None
    visible = set(OrgUnit.objects.filter(scope).values_list("code", flat=True))
    assert visible == {"CLM", "CLM-MOT"}


def test_pages_need_a_login(db):
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_api_schema_is_public_but_data_needs_credentials(db):
    assert Client().get("/api/v1/openapi.json").status_code == 200
