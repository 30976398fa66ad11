"""The proposals API: business issues, engagements, proposals, and their refusals in the one error
shape (docs/api.md). Who may call what is in site/tests/test_access_matrix.py."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from milepost.accounts.models import Role
from milepost.accounts.services import issue_api_token
from milepost.catalogue.models import Course, Modality
from milepost.proposals.models import BusinessIssue, Metric, Proposal, ProposalStatus
from milepost.testing.factories import (
    BusinessIssueFactory,
    ClientFactory,
    ContactFactory,
    EngagementFactory,
    MetricFactory,
    ProposalFactory,
    ProposalItemFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
API = "/api/v1"


class Caller:
    def __init__(self, user: Any) -> None:
        self.headers = {"Authorization": f"Bearer {issue_api_token(acting_user=user, name='t')[1]}"}

    def get(self, path: str, **query: Any) -> Any:
        return Client().get(API + path, query, headers=self.headers)

    def send(self, method: str, path: str, body: Any = None) -> Any:
        payload = json.dumps(body) if body is not None else ""
        return Client().generic(
            method, API + path, payload, "application/json", headers=self.headers
        )


@pytest.fixture
def book(org):
    owner = UserFactory.create(username="am", role=Role.ACCOUNT_MANAGER)
    client = ClientFactory.create(name="Harbour Brokers", owner=owner)
    sponsor = ContactFactory.create(client=client, name="Hana", user=org.employer_contact)
    issue = BusinessIssueFactory.create(client=client, title="Broker complaints")
    metric = MetricFactory.create(issue=issue)
    return {
        "org": org,
        "owner": owner,
        "client": client,
        "sponsor": sponsor,
        "issue": issue,
        "metric": metric,
    }


def test_an_issue_is_recorded_with_a_metric_and_read_back(book):
    am = Caller(book["owner"])
    made = am.send(
        "POST",
        "/business-issues",
        {
            "client_id": book["client"].pk,
            "title": "Renewals slip",
            "priority": 1,
            "owner_id": book["sponsor"].pk,
        },
    )
    assert made.status_code == 201, made.content
    issue_id = made.json()["id"]
    assert made.json()["owner"]["name"] == "Hana"
    metric = am.send(
        "POST",
        f"/business-issues/{issue_id}/metrics",
        {
            "name": "Renewal rate",
            "unit": "%",
            "baseline_value": "80.5",
            "baseline_on": "2026-01-01",
            "target_value": 90,
            "target_on": "2026-12-31",
        },
    )
    assert metric.status_code == 201, metric.content
    assert metric.json()["missing"] == []
    read = am.get(f"/business-issues/{issue_id}").json()
    assert read["metrics"][0]["baseline_value"] in ("80.5000", "80.5", 80.5)
    listed = am.get("/business-issues", client=book["client"].pk).json()
    assert {row["title"] for row in listed["items"]} == {"Renewals slip", "Broker complaints"}


def test_a_target_date_before_the_baseline_and_a_word_for_a_number_are_refused(book):
    am = Caller(book["owner"])
    path = f"/business-issues/{book['issue'].pk}/metrics"
    early = am.send(
        "POST", path, {"name": "Rate", "baseline_on": "2026-06-01", "target_on": "2026-01-01"}
    )
    assert early.status_code == 422
    assert early.json()["code"] == "invalid"
    assert "must come after the baseline date" in early.json()["fields"]["target_on"][0]
    words = am.send("POST", path, {"name": "Rate", "baseline_value": "lots"})
    assert words.status_code == 422
    assert "baseline_value" in words.json()["fields"]
    assert Metric.objects.count() == 1


def test_length_limits_and_control_characters(book):
    am = Caller(book["owner"])
    long = am.send("POST", "/business-issues", {"client_id": book["client"].pk, "title": "x" * 301})
    assert long.status_code == 422
    assert "title" in long.json()["fields"]
    clean = am.send(
        "POST",
        "/business-issues",
        {"client_id": book["client"].pk, "title": "Late\x00 re\x07newals"},
    )
    assert clean.status_code == 201
    assert clean.json()["title"] == "Late renewals"
    assert all(
        "\x00" not in title for title in BusinessIssue.objects.values_list("title", flat=True)
    )


def test_an_issue_is_changed_and_dropping_it_needs_a_reason(book):
    am = Caller(book["owner"])
    path = f"/business-issues/{book['issue'].pk}"
    changed = am.send("PATCH", path, {"title": "Broker complaints up 30 %", "priority": 1})
    assert changed.status_code == 200
    assert (changed.json()["title"], changed.json()["priority"]) == ("Broker complaints up 30 %", 1)
    refused = am.send("PATCH", path, {"status": "dropped"})
    assert refused.status_code == 422
    assert refused.json()["fields"] == {"reason": ["Say why the issue is dropped."]}
    dropped = am.send("PATCH", path, {"status": "dropped", "reason": "Solved by the new portal"})
    assert dropped.json()["status"] == "dropped"
    other_contact = ContactFactory.create(client=ClientFactory.create())
    stranger = am.send("PATCH", path, {"owner_id": other_contact.pk})
    assert stranger.status_code == 422 and "owner_id" in stranger.json()["fields"]


def test_a_proposal_is_drafted_filled_refused_with_the_rule_then_sent_and_accepted(book):
    am = Caller(book["owner"])
    bare = BusinessIssueFactory.create(client=book["client"], title="Slow quotes")
    made = am.send(
        "POST",
        "/proposals",
        {
            "client_id": book["client"].pk,
            "title": "Broker care",
            "issue_ids": [bare.pk],
            "sponsor_contact_id": book["sponsor"].pk,
        },
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made.json()["rule_problems"] == [
        "Business issue \u201cSlow quotes\u201d has no metric.",
        "Add at least one solution item.",
    ]
    course = Course.objects.create(
        code="CARE", title="Broker care", modality=Modality.ONLINE, cost_per_person=Decimal("120")
    )
    item = am.send(
        "POST",
        f"/proposals/{pk}/items",
        {
            "kind": "course",
            "course_id": course.pk,
            "people": 5,
            "issue_ids": [bare.pk],
        },
    )
    assert item.status_code == 201, item.content
    assert (item.json()["title"], item.json()["cost"]) == ("Broker care", "600.00")
    refused = am.send("POST", f"/proposals/{pk}/send")
    assert refused.status_code == 422
    body = refused.json()
    assert body["code"] == "rule_not_met"
    assert body["fields"]["rule"] == ["Business issue \u201cSlow quotes\u201d has no metric."]
    assert Proposal.objects.get(pk=pk).status == ProposalStatus.DRAFT
    MetricFactory.create(issue=bare)
    sent = am.send("POST", f"/proposals/{pk}/send")
    assert sent.status_code == 200 and sent.json()["status"] == "sent"
    contact = Caller(book["org"].employer_contact)
    assert contact.get(f"/proposals/{pk}").json()["total_cost"] in ("600.00", "600")
    accepted = contact.send("POST", f"/proposals/{pk}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    twice = contact.send("POST", f"/proposals/{pk}/accept")
    assert twice.status_code == 422


def test_the_detail_lists_items_cost_lines_total_and_roi(book, django_assert_max_num_queries):
    proposal = ProposalFactory.create(client=book["client"], forecast_benefit=Decimal("3000"))
    proposal.issues.set([book["issue"]])
    for cost in ("400", "600"):
        ProposalItemFactory.create(proposal=proposal, cost=Decimal(cost)).issues.set(
            [book["issue"]]
        )
    proposal.cost_lines.create(label="Venue", amount=Decimal("1000"))
    am = Caller(book["owner"])
    with django_assert_max_num_queries(30):
        body = am.get(f"/proposals/{proposal.pk}").json()
    assert len(body["items"]) == 2 and body["items"][0]["issue_ids"] == [book["issue"].pk]
    assert body["cost_lines"][0]["label"] == "Venue"
    assert Decimal(body["total_cost"]) == Decimal("2000")
    assert Decimal(body["forecast_roi"]) == Decimal("50.0")
    assert Decimal(body["benefit_cost_ratio"]) == Decimal("1.50")
    assert body["rule_problems"] == []


def test_the_proposal_list_runs_a_fixed_number_of_queries(book):
    for _ in range(3):
        ProposalFactory.create(client=book["client"]).issues.set([book["issue"]])
    am = Caller(book["owner"])
    am.get("/proposals")  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as few:
        am.get("/proposals")
    for _ in range(10):
        ProposalFactory.create(client=book["client"]).issues.set([book["issue"]])
    with CaptureQueriesContext(connection) as many:
        assert am.get("/proposals").json()["count"] == 13
    assert len(many) == len(few), [q["sql"][:80] for q in many.captured_queries]


def test_decline_needs_a_reason_and_only_the_sponsor_answers(book):
    proposal = ProposalFactory.create(
        client=book["client"], sponsor_contact=book["sponsor"], status=ProposalStatus.SENT
    )
    contact = Caller(book["org"].employer_contact)
    empty = contact.send("POST", f"/proposals/{proposal.pk}/decline", {"reason": "  "})
    assert empty.status_code == 422 and "reason" in empty.json()["fields"]
    owner = Caller(book["owner"]).send(
        "POST", f"/proposals/{proposal.pk}/decline", {"reason": "No"}
    )
    assert owner.status_code == 403 and owner.json()["code"] == "forbidden"
    declined = contact.send(
        "POST", f"/proposals/{proposal.pk}/decline", {"reason": "No budget this year"}
    )
    assert declined.json()["decline_reason"] == "No budget this year"


def test_another_clients_issue_or_a_missing_course_is_a_field_error(book):
    am = Caller(book["owner"])
    other_issue = BusinessIssueFactory.create()
    made = am.send(
        "POST",
        "/proposals",
        {"client_id": book["client"].pk, "title": "T", "issue_ids": [other_issue.pk]},
    )
    assert made.status_code == 422 and "issue_ids" in made.json()["fields"]
    draft = ProposalFactory.create(client=book["client"])
    draft.issues.set([book["issue"]])
    missing = am.send(
        "POST",
        f"/proposals/{draft.pk}/items",
        {"kind": "course", "course_id": 999999, "issue_ids": [book["issue"].pk]},
    )
    assert missing.status_code == 422 and "course_id" in missing.json()["fields"]
    loose = am.send(
        "POST",
        f"/proposals/{draft.pk}/items",
        {"kind": "bespoke", "title": "W", "issue_ids": [other_issue.pk]},
    )
    assert loose.status_code == 422 and "issue_ids" in loose.json()["fields"]
    negative = am.send(
        "POST",
        f"/proposals/{draft.pk}/items",
        {"kind": "bespoke", "title": "W", "cost": -5, "issue_ids": [book["issue"].pk]},
    )
    assert negative.status_code == 422
    assert draft.items.count() == 0


def test_engagements_are_listed_and_read(book):
    engagement = EngagementFactory.create(client=book["client"], sponsor=book["sponsor"])
    engagement.issues.set([book["issue"]])
    am = Caller(book["owner"])
    listed = am.get("/engagements").json()
    assert [row["id"] for row in listed["items"]] == [engagement.pk]
    read = am.get(f"/engagements/{engagement.pk}").json()
    assert read["issues"] == [{"id": book["issue"].pk, "title": "Broker complaints"}]
    assert read["business_goal"].startswith("Complaints down")


def test_an_employer_contact_sees_only_sent_proposals_of_their_own_client(book):
    sent = ProposalFactory.create(client=book["client"], status=ProposalStatus.SENT)
    ProposalFactory.create(client=book["client"])  # a draft
    ProposalFactory.create(status=ProposalStatus.SENT)  # another client's
    listed = Caller(book["org"].employer_contact).get("/proposals").json()
    assert [row["id"] for row in listed["items"]] == [sent.pk]
