"""Gaps meet needs on one board: the demand board's "Suggested from skill gaps" section."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from milepost.needs.models import Need, NeedCompetency, Status

pytestmark = pytest.mark.django_db

BOARD = reverse("needs:board")


def suggestions(client):
    return client.get(BOARD).context["gap_suggestions"]


def test_organisation_wide_roles_see_the_largest_weighted_gaps(gap_world, login):
    rows = suggestions(login(gap_world.org.coordinator))
    # Claims handling: Clara 1 short x 4; negotiation: Mo 1 x 1 (Clara's is not assessed: left
    # out, counted apart).
    assert [(s.competency_name, s.below, s.required, s.weighted_gap) for s in rows] == [
        ("Claims handling", 1, 3, 4.0),
        ("Negotiation", 1, 1, 1.0),
    ]
    assert [s.unassessed for s in rows] == [0, 1]
    assert all(s.unit_pk == gap_world.org.group.pk for s in rows)  # the single top unit


def test_a_line_manager_sees_the_gaps_of_their_units_only(gap_world, login):
    org = gap_world.org
    org.underwriter.job_profile = gap_world.handler  # a big gap outside the manager's units
    org.underwriter.save()
    rows = suggestions(login(org.claims_manager))
    assert [(s.competency_name, s.below, s.required) for s in rows] == [
        ("Claims handling", 1, 2),
        ("Negotiation", 1, 1),
    ]
    assert {s.unit_pk for s in rows} == {org.claims.pk}


def test_raise_as_a_need_opens_the_need_form_filled_in(gap_world, login):
    org = gap_world.org
    client = login(org.claims_manager)
    first = suggestions(client)[0]
    url = urlsplit(first.need_url)
    assert url.path == reverse("needs:need-create")
    query = {key: values[0] for key, values in parse_qs(url.query).items()}
    assert query["title"] == "Skill gap: Claims handling"
    assert query["unit"] == str(org.claims.pk)
    form = client.get(first.need_url).context["form"]
    assert form.initial["title"] == "Skill gap: Claims handling"
    assert form.initial["unit"] == org.claims.pk
    assert form.initial["people_affected"] == "1"
    assert "1 of 2 people in Claims" in form.initial["description"]


def test_prefill_ignores_a_unit_the_user_may_not_raise_needs_for(gap_world, login):
    org = gap_world.org
    url = reverse("needs:need-create") + f"?unit={org.underwriting.pk}&title=Pricing"
    form = login(org.claims_manager).get(url).context["form"]
    assert form.initial["title"] == "Pricing"
    assert form.initial["unit"] == org.claims.pk  # their own unit, as without a prefill


def test_competencies_an_open_need_already_maps_are_marked(gap_world, login):
    org = gap_world.org
    need = Need.objects.create(
        title="Negotiation for handlers",
        description="Handlers need to negotiate settlements with third parties better.",
        unit=org.motor_team,
        requester=org.claims_manager,
    )
    NeedCompetency.objects.create(need=need, competency=gap_world.negotiation, accepted=True)
    client = login(org.claims_manager)
    marked = {s.competency_name: s.has_open_need for s in suggestions(client)}
    assert marked == {"Claims handling": False, "Negotiation": True}
    assert "an open need maps it" in client.get(BOARD).content.decode()
    Need.objects.filter(pk=need.pk).update(status=Status.DECLINED)
    marked = {s.competency_name: s.has_open_need for s in suggestions(client)}
    assert marked["Negotiation"] is False


def test_empty_state_without_gaps(org, login):
    page = login(org.coordinator).get(BOARD).content.decode()
    assert "No skill gaps to suggest" in page


def test_board_query_count_stays_fixed_with_suggestions(
    gap_world, login, django_assert_num_queries
):
    client = login(gap_world.org.claims_manager)
    client.get(BOARD)
    # session, user, user's employee and unit, weights, needs (none, so no mappings), the
    # engine's freshness check (2), suggested competency names, open needs mapping them,
    # unread notifications, unit, competency and client choices
    with django_assert_num_queries(14):
        response = client.get(BOARD)
    assert len(response.context["gap_suggestions"]) == 2


def test_missing_ratings_are_not_suggested_as_skill_gaps(gap_world, login):
    org = gap_world.org
    from milepost.testing.factories import EmployeeFactory

    for n in range(3):  # three handlers nobody has assessed: no known gap, only missing data
        EmployeeFactory.create(unit=org.claims, job_profile=gap_world.handler, first_name=f"N{n}")
    rows = suggestions(login(org.coordinator))
    assert [(s.competency_name, s.below, s.required, s.unassessed) for s in rows] == [
        ("Claims handling", 1, 3, 3),  # Clara 2 of 3; Mo and Ursula hold it
        ("Negotiation", 1, 1, 4),  # Mo 1 of 2; Clara and the three never assessed
    ]
    page = login(org.coordinator).get(BOARD).content.decode()
    assert "1 of 3 assessed; 3 not assessed yet" in page
