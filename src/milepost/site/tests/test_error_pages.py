"""403 and 404 answers use the site's layout and tell the user what happened."""

from __future__ import annotations

from html import escape

import pytest
from django.urls import reverse

from milepost.frameworks.services import EDIT_DENIED
from milepost.testing.factories import JobProfileFactory

pytestmark = pytest.mark.django_db


def test_forbidden_page_shows_the_reason_inside_the_site_layout(org, login):
    job_profile = JobProfileFactory.create()
    response = login(org.executive).get(reverse("frameworks:profile-edit", args=[job_profile.pk]))
    assert response.status_code == 403
    content = response.content.decode()
    assert escape(EDIT_DENIED) in content
    assert 'aria-label="Main"' in content  # the navigation of base.html
    assert "Back to the start page" in content


def test_not_found_page_does_not_say_whether_the_record_exists(org, login):
    response = login(org.underwriting_manager).get(
        reverse("people:employee-detail", args=[org.motor_handler.pk])
    )
    assert response.status_code == 404
    content = response.content.decode()
    assert "nothing you are allowed to see" in content
    assert org.motor_handler.last_name not in content
