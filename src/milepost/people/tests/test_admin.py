from __future__ import annotations

import pytest
from django.urls import reverse

from milepost.testing.factories import AssessmentFactory

pytestmark = pytest.mark.django_db


def test_employee_admin_lists_and_searches(org, login):
    client = login(org.admin)
    response = client.get(reverse("admin:people_employee_changelist"), {"q": "Ursula"})
    assert response.status_code == 200
    assert b"Writer" in response.content
    assert b"Handler" not in response.content


def test_employee_admin_change_page_uses_raw_id_widgets(org, login):
    response = login(org.admin).get(
        reverse("admin:people_employee_change", args=[org.motor_handler.pk])
    )
    assert response.status_code == 200
    assert b'class="vForeignKeyRawIdAdminField"' in response.content


def test_assessment_admin_lists_rows_but_they_cannot_be_edited(org, login):
    assessment = AssessmentFactory.create(employee=org.motor_handler)
    client = login(org.admin)
    assert client.get(reverse("admin:people_assessment_changelist")).status_code == 200
    change = client.post(
        reverse("admin:people_assessment_change", args=[assessment.pk]), {"level": 1}
    )
    assert change.status_code == 403
    assessment.refresh_from_db()
    assert assessment.level == 3


def test_non_staff_cannot_open_the_admin(org, login):
    response = login(org.coordinator).get(reverse("admin:people_employee_changelist"))
    assert response.status_code == 302
