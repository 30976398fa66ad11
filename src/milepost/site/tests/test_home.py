from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_start_page_counts_only_what_a_line_manager_sees(org, login):
    response = login(org.claims_manager).get(reverse("home"))
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary["units"] == 2
    assert summary["employees"] == 2


def test_employer_contact_start_page_has_no_people_or_organisation_links(org, login):
    response = login(org.employer_contact).get(reverse("home"))
    assert response.status_code == 200
    assert reverse("people:employee-list").encode() not in response.content
    assert reverse("people:unit-list").encode() not in response.content
