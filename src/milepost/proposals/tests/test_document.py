"""The proposal document: issue and metrics first, then analysis, solution and golden thread; the
page, the PDF read back with pdftotext, user text escaped, constant queries, and the command."""

from __future__ import annotations

import datetime
import io
import subprocess
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from milepost.accounts.models import Role, User
from milepost.clients.models import Client as ClientRecord
from milepost.frameworks.models import Competency
from milepost.proposals.document import (
    build_document,
    document_proposals,
    figure,
    render_document_html,
    thread_evaluation,
)
from milepost.proposals.models import BusinessIssue, CostLine, Metric, Proposal, ProposalStatus
from milepost.testing.factories import (
    BusinessIssueFactory,
    ClientFactory,
    CompetencyFactory,
    EngagementFactory,
    MetricFactory,
    PortalContactFactory,
    ProposalFactory,
    ProposalItemFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
SCRIPT = "<script>alert(1)</script>"


@dataclass
class Deal:
    owner: User
    client: ClientRecord
    issue: BusinessIssue
    metric: Metric
    proposal: Proposal
    empathy: Competency


def _browser(user: User) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


@pytest.fixture
def deal(org: Any) -> Deal:
    """Harbour Brokers' complaints: a metric, an engagement's analysis, a proposal with two
    items answering the issue, a cost line and a forecast benefit (cost 10,000; benefit 30,000)."""
    owner = UserFactory.create(username="am", role=Role.ACCOUNT_MANAGER)
    client = ClientFactory.create(name="Harbour Brokers", owner=owner)
    sponsor = PortalContactFactory.create(
        client=client, name="Hana Harbour", job_title="Claims manager", user=org.employer_contact
    )
    issue = BusinessIssueFactory.create(
        client=client, title="Motor claims complaints up 30 % since the new wording", owner=sponsor
    )
    metric = MetricFactory.create(issue=issue, data_source="Complaints log")
    empathy = CompetencyFactory.create(name="Empathy on the phone")
    listening = CompetencyFactory.create(name="Active listening")
    engagement = EngagementFactory.create(
        client=client,
        sponsor=sponsor,
        title="Why complaints rose",
        should_do="Explain the new wording before quoting the settlement",
        actually_do="Read the settlement figure first",
        cause_tools="The script puts the figure first",
        non_training_options="Rewrite the call script",
    )
    engagement.capability.set([empathy])
    engagement.issues.set([issue])
    proposal = ProposalFactory.create(
        client=client,
        title="Calmer calls",
        engagement=engagement,
        sponsor_contact=sponsor,
        status=ProposalStatus.SENT,
        learning_objectives="Handlers explain the wording in their own words",
        evaluation_plan="Level 4: complaints a month from the complaints log, monthly",
        forecast_benefit=Decimal("30000"),
        benefit_assumptions="Each complaint avoided saves 75 in handling",
        timeline="October to December",
        responsibilities="Harbour releases handlers for a day",
        risks="Peak season in November",
    )
    proposal.issues.set([issue])
    workshop = ProposalItemFactory.create(
        proposal=proposal, title="Calm calls workshop", cost=Decimal("6000"), people=20
    )
    workshop.issues.set([issue])
    workshop.metrics.set([metric])
    workshop.competencies.set([empathy, listening])
    script = ProposalItemFactory.create(
        proposal=proposal, kind="non_training", title="New call script", cost=Decimal("1500")
    )
    script.issues.set([issue])
    CostLine.objects.create(proposal=proposal, label="Handlers' time", amount=Decimal("2500"))
    return Deal(owner, client, issue, metric, proposal, empathy)


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's text in reading order (pdftotext), runs of white space made one space, so a
    title wrapped inside a table cell reads whole."""
    path = tmp_path / "proposal.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", path, "-"], check=True, capture_output=True, text=True)
    return " ".join(text.stdout.split())


def test_figures_read_as_people_write_them() -> None:
    assert figure(Decimal("130.0000")) == "130"
    assert figure(Decimal("1250.5000")) == "1,250.5"
    assert figure(Decimal("0.0000")) == "0"
    assert figure(None) == ""


def test_a_long_evaluation_plan_is_cut_to_its_first_sentence_in_the_golden_thread() -> None:
    plan = "Level 4: complaints a month from the log, monthly.\n" + "Level 3: call audits. " * 20
    assert thread_evaluation(plan) == ("Level 4: complaints a month from the log, monthly.", True)
    assert thread_evaluation("Level 1:  a survey\non the day") == (
        "Level 1: a survey on the day",
        False,
    )
    endless = thread_evaluation("word " * 100)[0]
    assert endless.endswith("word\u2026") and len(endless) <= 201


def test_the_page_leads_with_the_issue_then_analysis_then_solution_then_golden_thread(
    deal: Deal,
) -> None:
    response = _browser(deal.owner).get(
        reverse("proposals:proposal-document", args=[deal.proposal.pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    order = [html.index(f'id="{part}"') for part in ("issues", "analysis", "solution")]
    order.append(html.index('id="golden-thread"'))
    assert order == sorted(order)
    # The issue and its metric: baseline -> target with dates, and the source.
    assert "Motor claims complaints up 30 % since the new wording" in html
    assert "130 complaints on 30 Sep 2026" in html
    assert "90 complaints by 30 Jun 2027" in html and "Complaints log" in html
    # The analysis from the engagement.
    assert "Read the settlement figure first" in html
    assert "The script puts the figure first" in html and "Rewrite the call script" in html
    # The solution: items, costs (6,000 + 1,500 + 2,500), ROI and benefit-cost ratio.
    assert "Calm calls workshop" in html and "New call script" in html
    assert "Handlers&#x27; time" in html
    assert "10,000.00" in html
    assert "200.0 %" in html and "3.00 : 1" in html
    assert "Version</dt><dd>1" in html and "Sent" in html
    assert "DRAFT" not in html
    assert reverse("proposals:proposal-pdf", args=[deal.proposal.pk]) in html


def test_the_golden_thread_has_a_row_per_issue_and_item_and_shows_the_gaps(deal: Deal) -> None:
    loose_issue = BusinessIssueFactory.create(client=deal.client, title="Slow renewals")
    deal.proposal.issues.add(loose_issue)
    ProposalItemFactory.create(proposal=deal.proposal, title="Orphan coaching")
    document = build_document(document_proposals(deal.owner).get(pk=deal.proposal.pk))
    rows = [
        (
            row.issue.title if row.issue else None,
            [line.metric.name for line in row.metrics],
            row.item.item.title if row.item else None,
            [c.name for c in row.item.competencies] if row.item else [],
        )
        for row in document.thread
    ]
    issue = deal.issue.title
    assert rows == [
        (
            issue,
            ["Complaints a month"],
            "Calm calls workshop",
            ["Active listening", "Empathy on the phone"],
        ),
        # The script names no metric: the issue's metrics stand for it.
        (issue, ["Complaints a month"], "New call script", []),
        ("Slow renewals", [], None, []),
        (None, [], "Orphan coaching", []),
    ]


def test_the_pdf_reads_back_with_the_issue_metric_items_and_golden_thread(
    deal: Deal, tmp_path: Path
) -> None:
    response = _browser(deal.owner).get(reverse("proposals:proposal-pdf", args=[deal.proposal.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="proposal-{deal.proposal.pk}-v1.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    flat = _pdf_text(response.content, tmp_path)
    for expected in (
        "Calmer calls",
        "Motor claims complaints up 30 %",
        "130 complaints on 30 Sep 2026",
        "Calm calls workshop",
        "New call script",
        "The golden thread",
        "Complaints a month: 130 complaints → 90 complaints",
        "10,000.00",
    ):
        assert expected in flat, expected
    thread = flat[flat.index("4. The golden thread") :]
    assert "Calm calls workshop" in thread and "New call script" in thread
    assert "Level 4: complaints a month" in thread
    assert "DRAFT" not in flat


def test_a_draft_is_labelled_draft_on_the_page_and_in_the_pdf(deal: Deal, tmp_path: Path) -> None:
    Proposal.objects.filter(pk=deal.proposal.pk).update(status=ProposalStatus.DRAFT)
    browser = _browser(deal.owner)
    html = browser.get(reverse("proposals:proposal-document", args=[deal.proposal.pk]))
    assert "<strong>DRAFT</strong>" in html.content.decode()
    pdf = browser.get(reverse("proposals:proposal-pdf", args=[deal.proposal.pk])).content
    assert "DRAFT · not yet sent to the sponsor" in _pdf_text(pdf, tmp_path)
    # The watermark is on every page (its rotated letters do not read back as one word).
    document = build_document(document_proposals(None).get(pk=deal.proposal.pk))
    assert '<div class="document-watermark" aria-hidden="true">DRAFT</div>' in (
        render_document_html(document)
    )


def test_user_text_is_escaped_in_the_page_and_printed_as_text_in_the_pdf(
    deal: Deal, tmp_path: Path
) -> None:
    Proposal.objects.filter(pk=deal.proposal.pk).update(title=SCRIPT, risks="=1+1")
    BusinessIssue.objects.filter(pk=deal.issue.pk).update(title=f"{SCRIPT} & =1+1")
    deal.proposal.items.filter(title="New call script").update(title="=1+1")
    browser = _browser(deal.owner)
    html = browser.get(
        reverse("proposals:proposal-document", args=[deal.proposal.pk])
    ).content.decode()
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; =1+1" in html
    assert "<td><strong>=1+1</strong>" in html
    pdf = browser.get(reverse("proposals:proposal-pdf", args=[deal.proposal.pk])).content
    flat = _pdf_text(pdf, tmp_path)
    # Markup in a title is printed as the characters typed, never run as markup.
    assert f"{SCRIPT} & =1+1" in flat
    assert "=1+1" in flat[flat.index("4. The golden thread") :]


def test_no_engagement_and_no_benefit_say_so(deal: Deal) -> None:
    Proposal.objects.filter(pk=deal.proposal.pk).update(engagement=None, forecast_benefit=None)
    html = (
        _browser(deal.owner)
        .get(reverse("proposals:proposal-document", args=[deal.proposal.pk]))
        .content.decode()
    )
    assert "No consultancy engagement is linked to this proposal" in html
    assert "No benefit forecast yet." in html


def _add_items(proposal: Proposal, issue: BusinessIssue, count: int) -> None:
    competencies = CompetencyFactory.create_batch(3)
    for _ in range(count):
        item = ProposalItemFactory.create(proposal=proposal, cost=Decimal("100"))
        item.issues.set([issue])
        item.metrics.set(issue.metrics.all())
        item.competencies.set(competencies)


def _document_queries(user: User, pk: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        document = build_document(document_proposals(user).get(pk=pk))
    assert document.items
    return len(queries)


def test_the_document_reads_a_fixed_number_of_queries_whatever_the_item_count(
    deal: Deal, django_assert_max_num_queries: Any
) -> None:
    few = _document_queries(deal.owner, deal.proposal.pk)
    _add_items(deal.proposal, deal.issue, 40)
    many = _document_queries(deal.owner, deal.proposal.pk)
    assert few == many == 9
    browser = _browser(deal.owner)
    url = reverse("proposals:proposal-document", args=[deal.proposal.pk])
    browser.get(url)  # the session and user read once
    with django_assert_max_num_queries(12):
        response = browser.get(url)
    assert response.content.decode().count('<td class="number">100.00</td>') == 40


def test_readers_outside_the_proposal_get_not_found_and_an_employee_is_refused(
    deal: Deal, org: Any
) -> None:
    other = UserFactory.create(username="stranger", role=Role.EMPLOYER_CONTACT)
    PortalContactFactory.create(client=ClientFactory.create(name="Northgate"), user=other)
    for url in (
        reverse("proposals:proposal-document", args=[deal.proposal.pk]),
        reverse("proposals:proposal-pdf", args=[deal.proposal.pk]),
    ):
        assert _browser(other).get(url).status_code == 404
        assert _browser(org.employer_contact).get(url).status_code == 200
        # An employee reads no proposal at all: the role is refused, not the object.
        assert _browser(org.employee_user).get(url).status_code == 403


# --- milepost proposal ID FILE.pdf ---------------------------------------------------------------


def test_the_command_writes_the_pdf(deal: Deal, tmp_path: Path) -> None:
    target = tmp_path / "calmer-calls.pdf"
    out = _run(str(deal.proposal.pk), str(target))
    assert f"{target}: \u201cCalmer calls\u201d version 1 (sent), 2 items" in out
    assert "Calm calls workshop" in _pdf_text(target.read_bytes(), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["calmer-calls.pdf", "proposal.pdf"]


def test_the_command_writes_html_when_asked(deal: Deal, tmp_path: Path) -> None:
    target = tmp_path / "calmer-calls.html"
    _run(str(deal.proposal.pk), str(target))
    assert "4. The golden thread" in target.read_text(encoding="utf-8")


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("proposal", *args, stdout=out)
    return out.getvalue()


def test_an_unknown_id_exits_non_zero_and_leaves_the_file_alone(
    deal: Deal, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "kept.pdf"
    target.write_bytes(b"earlier")
    with pytest.raises(SystemExit) as exit_:
        # As `milepost proposal 999999 FILE` runs it (milepost.cli hands the words to Django).
        execute_from_command_line(["milepost", "proposal", "999999", str(target)])
    assert exit_.value.code == 1
    assert "no proposal with id 999999; nothing written" in capsys.readouterr().err
    assert target.read_bytes() == b"earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["kept.pdf"]


def test_an_unwritable_place_is_refused_with_the_reason(deal: Deal, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"cannot write .*no-such-folder/x\.pdf: No such file"):
        _run(str(deal.proposal.pk), str(tmp_path / "no-such-folder" / "x.pdf"))
    with pytest.raises(CommandError, match="cannot write"):
        _run(str(deal.proposal.pk), str(tmp_path))  # a folder, not a file
    assert list(tmp_path.iterdir()) == []


def test_the_metric_dates_show_even_without_values(deal: Deal) -> None:
    Metric.objects.filter(pk=deal.metric.pk).update(baseline_value=None)
    document = build_document(document_proposals(None).get(pk=deal.proposal.pk))
    line = document.issues[0].metrics[0]
    assert line.baseline == "" and line.target == "90 complaints"
    assert line.metric.baseline_on == datetime.date(2026, 9, 30)
