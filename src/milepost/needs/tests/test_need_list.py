"""The needs list: scope, filters, export and a fixed number of queries."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from milepost.needs.models import Need, Source, Status
from milepost.testing.factories import DemandThemeFactory, NeedCompetencyFactory, NeedFactory

pytestmark = pytest.mark.django_db

URL = reverse("needs:need-list")


def make_need(requester, unit, title="A need", **fields) -> Need:
    return NeedFactory.create(
        title=title,
        description=f"{title}: people need help with this.",
        requester=requester,
        unit=unit,
        **fields,
    )


@pytest.fixture
def needs(org):
    return {
        "team": make_need(org.employee_user, org.motor_team, "Angry callers"),
        "claims": make_need(org.claims_manager, org.claims, "Reserving refresher"),
        "underwriting": make_need(
            org.underwriting_manager, org.underwriting, "Cyber pricing", status=Status.TRIAGED
        ),
        "employer": make_need(org.employer_contact, None, "Apprentice induction"),
    }


def listed(response) -> set[str]:
    return {need.title for need in response.context["page_obj"]}


def test_each_role_lists_only_the_needs_it_may_see(org, needs, login):
    assert len(listed(login(org.coordinator).get(URL))) == 4
    assert listed(login(org.claims_manager).get(URL)) == {"Angry callers", "Reserving refresher"}
    assert listed(login(org.employee_user).get(URL)) == {"Angry callers"}
    assert listed(login(org.employer_contact).get(URL)) == {"Apprentice induction"}
    assert len(listed(login(org.executive).get(URL))) == 4


def test_filters_by_words_status_unit_and_source(org, needs, login):
    client = login(org.coordinator)
    assert listed(client.get(URL, {"q": "cyber"})) == {"Cyber pricing"}
    assert listed(client.get(URL, {"status": "triaged"})) == {"Cyber pricing"}
    assert len(listed(client.get(URL, {"status": "open"}))) == 4
    assert listed(client.get(URL, {"unit": org.claims.pk})) == {
        "Angry callers",
        "Reserving refresher",
    }
    Need.objects.filter(pk=needs["claims"].pk).update(source=Source.SURVEY)
    assert listed(client.get(URL, {"source": "survey"})) == {"Reserving refresher"}


def test_csv_export_has_the_filtered_needs_and_their_competencies(
    org, needs, login, service_framework
):
    NeedCompetencyFactory.create(
        need=needs["team"], competency=service_framework.de_escalation, rank=1, accepted=True
    )
    response = login(org.claims_manager).get(URL, {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    assert header[1] == "Title"
    by_title = {row[1]: row for row in rows}
    assert set(by_title) == {"Angry callers", "Reserving refresher"}
    assert by_title["Angry callers"][13] == "Customer empathy and de-escalation"


def test_empty_list_invites_the_user_to_raise_a_need(org, login):
    response = login(org.employee_user).get(URL)
    assert b"raise a need" in response.content


def test_list_runs_a_fixed_number_of_queries(org, login, django_assert_num_queries):
    client = login(org.coordinator)
    make_need(org.employee_user, org.motor_team)
    # session, user, whether any unit is visible (no filter otherwise), unit options, client
    # options, count, page, unread notifications
    with django_assert_num_queries(8):
        client.get(URL)
    for index in range(30):
        make_need(org.employee_user, org.motor_team, f"Need {index}")
    with django_assert_num_queries(8):
        client.get(URL)


def test_detail_runs_a_fixed_number_of_queries(
    org, login, django_assert_num_queries, service_framework
):
    need = make_need(org.employee_user, org.motor_team, "Angry callers")
    make_need(org.claims_manager, org.claims, "Other", theme=DemandThemeFactory.create())
    client = login(org.coordinator)
    # session, user, need, its mapping, similar candidates, their mappings, which of them
    # are visible, the status history, unread notifications, theme choices, the themed open
    # needs this one might join and their mappings, and the business issues it is behind (the
    # proposals app's section of the page).
    with django_assert_num_queries(12):
        client.get(reverse("needs:need-detail", args=[need.pk]))
    for index in range(10):
        other = make_need(org.claims_manager, org.claims, f"Other {index}")
        NeedCompetencyFactory.create(need=other, competency=service_framework.excel, rank=1)
    with django_assert_num_queries(12):
        client.get(reverse("needs:need-detail", args=[need.pk]))
