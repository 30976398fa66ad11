"""Unit drop-downs stay small at any size of organisation (issue 11, defect 7: 6.5 MB of options
at 70,000 units); the rest are found by typing (accounts.views.unit_search)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from milepost.accounts.models import OrgUnit
from milepost.accounts.services import rebuild_unit_paths
from milepost.accounts.unit_fields import UNIT_OPTIONS_LIMIT
from milepost.needs.models import Need

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_units(org) -> list[OrgUnit]:
    """350 teams under Claims (so a line manager of Claims sees them too)."""
    OrgUnit.objects.bulk_create(
        OrgUnit(code=f"T{n:03d}", name=f"Team {n:03d}", parent=org.claims) for n in range(350)
    )
    rebuild_unit_paths()
    return list(OrgUnit.objects.filter(code__startswith="T").order_by("code"))


def unit_options(html: str) -> list[str]:
    select = re.search(r'<select name="unit".*?</select>', html, re.S)
    assert select is not None
    return re.findall(r'<option value="(\d*)"', select.group(0))


def test_a_large_drop_down_draws_the_top_of_the_chart_and_offers_a_search(many_units, org, login):
    html = login(org.coordinator).get(reverse("needs:need-create")).content.decode()
    options = unit_options(html)
    assert len([value for value in options if value]) == UNIT_OPTIONS_LIMIT
    assert f'data-unit-search="{reverse("unit-search")}"' in html
    assert "unit-search.js" in html


def test_a_small_drop_down_is_drawn_whole_without_a_search(org, login):
    html = login(org.coordinator).get(reverse("needs:need-create")).content.decode()
    assert len([value for value in unit_options(html) if value]) == OrgUnit.objects.count()
    assert "data-unit-search" not in html


def test_a_unit_not_drawn_is_accepted_and_shown_when_chosen(many_units, org, login):
    last = many_units[-1]
    client = login(org.coordinator)
    payload = {
        "title": "Calls",
        "description": "Handlers struggle with calls from bereaved customers.",
        "unit": last.pk,
        "people_affected": 3,
        "urgency": 2,
        "impact": 2,
    }
    response = client.post(reverse("needs:need-create"), payload)
    assert response.status_code in (200, 302)
    assert Need.objects.filter(unit=last).exists()
    # A form shown again with that unit chosen still carries it.
    response = client.post(reverse("needs:need-create"), {**payload, "title": ""})
    assert str(last.pk) in unit_options(response.content.decode())


def test_the_search_finds_visible_units_only(many_units, org, login):
    url = reverse("unit-search")
    results = login(org.coordinator).get(url, {"q": "Team 34"}).json()["results"]
    assert [row["code"] for row in results] == [f"T{n}" for n in range(340, 350)]
    assert login(org.coordinator).get(url, {"q": "T"}).json() == {"results": []}
    underwriting = login(org.claims_manager).get(url, {"q": "Underwriting"}).json()
    assert underwriting == {"results": []}
    assert len(login(org.claims_manager).get(url, {"q": "Team"}).json()["results"]) == 20


def test_the_drawn_options_mark_the_chosen_unit_and_escape_names(many_units, org, login):
    chosen = many_units[3]
    chosen.name = "<b>Team & co</b>"
    chosen.save()
    html = login(org.coordinator).get(reverse("needs:board"), {"unit": chosen.pk}).content.decode()
    select = re.search(r'<select name="unit".*?</select>', html, re.S)
    assert select is not None
    assert f'<option value="{chosen.pk}" selected>' in select.group(0)
    assert select.group(0).count(" selected>") == 1
    assert "&lt;b&gt;Team &amp; co&lt;/b&gt;" in select.group(0)
    assert "<b>Team" not in select.group(0)
