"""What an employer contact is told on the needs pages: no empty unit filter, no "other unit"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from milepost.needs import services

pytestmark = pytest.mark.django_db

TEXT = "Our drivers struggle with angry callers since the new policy wording; calls escalate."


def test_the_need_list_has_no_unit_filter_for_an_employer_contact(org, login):
    page = login(org.employer_contact).get(reverse("needs:need-list"))
    assert "unit" not in page.context["form"].fields
    assert "All units" not in page.content.decode()
    inside = login(org.coordinator).get(reverse("needs:need-list"))
    assert "unit" in inside.context["form"].fields


def test_similar_needs_inside_the_organisation_are_not_other_units(org, service_framework, login):
    services.submit_need(
        acting_user=org.employee_user, title="Angry callers", description=TEXT, unit=org.motor_team
    )
    own = services.submit_need(
        acting_user=org.employer_contact, title="Angry callers", description=TEXT, unit=None
    )
    content = login(org.employer_contact).get(reverse("needs:need-detail", args=[own.pk]))
    text = content.content.decode()
    assert "1 similar need was raised in 1 unit of the organisation" in text
    assert "other unit" not in text
