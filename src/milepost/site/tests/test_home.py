"""The home page: each role's to-dos, their empty states, counts in words, and a query cap."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from milepost.accounts.models import Role
from milepost.needs.models import Need, Status
from milepost.reviews.models import ReviewCycle, ReviewParticipant
from milepost.testing.factories import (
    DevelopmentPlanItemFactory,
    EmployeeFactory,
    FrameworkFactory,
    NeedFactory,
    PlannedTrainingFactory,
    ReviewCycleFactory,
    ReviewParticipantFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HOME = reverse("home")
# Session, user, the unread badge and the employee record, one or two queries a section and
# five for the "at a glance" counts: 11 to 14 queries by role today, at any size of organisation.
MAX_QUERIES = 15


@pytest.fixture
def busy(org):
    """An open cycle with overdue steps, needs at each stage, a plan entry this week."""
    today = timezone.localdate()
    cycle = ReviewCycleFactory.create(
        name="Annual review 2026",
        opens_on=today - datetime.timedelta(days=30),
        self_assessment_due=today - datetime.timedelta(days=10),
        manager_assessment_due=today + datetime.timedelta(days=5),
        closes_on=today + datetime.timedelta(days=20),
    )
    now = timezone.now()
    sent_to_manager = ReviewParticipantFactory.create(
        cycle=cycle, employee=org.motor_handler, self_submitted_at=now
    )
    # The underwriter's self-assessment is overdue.
    ReviewParticipantFactory.create(cycle=cycle, employee=org.underwriter)
    waiting = NeedFactory.create(
        title="Angry callers", unit=org.motor_team, requester=org.employee_user
    )
    Need.objects.filter(pk=waiting.pk).update(created_at=now - datetime.timedelta(days=15))
    NeedFactory.create(
        title="Excel for reserving",
        unit=org.claims,
        requester=org.claims_manager,
        status=Status.PLANNED,
        first_response_at=now,
    )
    NeedFactory.create(
        title="Underwriting basics", unit=org.underwriting, requester=org.coordinator
    )
    PlannedTrainingFactory.create(title="Calm calls workshop", starts_on=today, unit=org.motor_team)
    DevelopmentPlanItemFactory.create(
        employee=org.motor_handler,
        action="Shadow a senior colleague on five calls",
        due_on=today + datetime.timedelta(days=14),
    )
    return cycle, sent_to_manager


def todos(response) -> dict:
    return {todo.key: todo for todo in response.context["page"].todos}


def test_coordinator_sees_needs_waiting_overdue_reviews_and_this_weeks_training(
    org, busy, login, django_assert_max_num_queries
):
    client = login(org.coordinator)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(HOME)
    sections = todos(response)
    assert list(sections) == [
        "needs-awaiting-response",
        "reviews-overdue",
        "training-this-week",
        "without-profile",
        "clients-without-owner",
    ]
    waiting = sections["needs-awaiting-response"]
    assert waiting.summary.startswith("2 needs wait")
    assert [line.text for line in waiting.lines] == ["Angry callers", "Underwriting basics"]
    assert waiting.lines[0].late and not waiting.lines[1].late
    overdue = sections["reviews-overdue"]
    assert overdue.summary.startswith("1 review step past")
    assert "1 self-assessment and 0 manager assessments overdue" in overdue.lines[0].note
    assert [line.text for line in sections["training-this-week"].lines] == ["Calm calls workshop"]
    content = response.content.decode()
    assert reverse("needs:need-list") + "?status=submitted" in content


def test_line_manager_sees_people_awaiting_a_rating_and_the_teams_needs(
    org, busy, login, django_assert_max_num_queries
):
    _, sent_to_manager = busy
    client = login(org.claims_manager)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(HOME)
    sections = todos(response)
    assert list(sections) == ["awaiting-rating", "team-needs", "own-review"]
    rating = sections["awaiting-rating"]
    assert rating.summary == "1 person in open review cycles waits for you."
    assert rating.lines[0].url == reverse("reviews:review", args=[sent_to_manager.pk])
    team = sections["team-needs"]
    assert team.summary == "2 open needs: 1 submitted, 1 planned."
    # Underwriting's need is outside the manager's units.
    assert "Underwriting basics" not in response.content.decode()


def test_employee_sees_their_review_due_date_their_needs_and_their_next_steps(
    org, busy, login, django_assert_max_num_queries
):
    client = login(org.employee_user)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(HOME)
    sections = todos(response)
    assert list(sections) == ["own-review", "own-needs", "development-plan"]
    review = sections["own-review"].lines[0]
    cycle = busy[0]
    assert review.text == "Annual review 2026"
    assert "manager's assessment is due" in review.note
    assert f"{cycle.manager_assessment_due.day} " in review.note
    assert sections["own-needs"].summary == "1 open need: 1 submitted."
    assert sections["development-plan"].lines[0].text == "Shadow a senior colleague on five calls"


@pytest.mark.parametrize(
    ("role", "keys"),
    [
        (Role.ACCOUNT_MANAGER, ["needs-awaiting-response", "own-needs", "demand"]),
        (Role.QUALITY_LEAD, ["slow-responses", "cycle-progress", "training-plan"]),
        (Role.EXECUTIVE, ["demand", "cycle-progress", "training-plan"]),
        (Role.EMPLOYER_CONTACT, ["portal", "own-needs", "catalogue"]),
        (
            Role.ADMIN,
            [
                "needs-awaiting-response",
                "reviews-overdue",
                "training-this-week",
                "without-profile",
                "clients-without-owner",
            ],
        ),
    ],
)
def test_every_other_role_gets_its_own_to_dos_within_the_query_cap(
    org, busy, login, role, keys, django_assert_max_num_queries
):
    user = UserFactory.create(username=f"someone-{role}", role=role)
    client = login(user)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(HOME)
    assert response.status_code == 200
    assert list(todos(response)) == keys


def test_quality_lead_sees_needs_past_the_response_time(org, busy, login):
    user = UserFactory.create(username="quality", role=Role.QUALITY_LEAD)
    slow = todos(login(user).get(HOME))["slow-responses"]
    assert [line.text for line in slow.lines] == ["Angry callers"]


def test_every_section_has_a_helpful_empty_state_and_a_link(org, login):
    for user in (org.coordinator, org.claims_manager, org.employee_user, org.employer_contact):
        response = login(user).get(HOME)
        for todo in todos(response).values():
            assert todo.summary, todo.key
            assert todo.link, todo.key
            if todo.empty:
                assert f'id="todo-{todo.key}"' in response.content.decode()
    empty = todos(login(org.employee_user).get(HOME))
    assert empty["own-needs"].empty
    assert empty["own-needs"].link == reverse("needs:need-create")
    assert "no open review cycle" in empty["own-review"].summary


def test_every_link_on_the_home_page_opens_for_its_role(org, busy, login):
    import re

    for role in Role:
        user = UserFactory.create(username=f"linker-{role}", role=role)
        if role in (Role.LINE_MANAGER, Role.EMPLOYEE):
            user = org.claims_manager if role == Role.LINE_MANAGER else org.employee_user
        client = login(user)
        page = client.get(HOME).content.decode()
        main = page.split("<main", 1)[1].split("</main>", 1)[0]
        for href in set(re.findall(r'href="(/[^"]*)"', main)):
            status = client.get(href.replace("&amp;", "&")).status_code
            assert status == 200, (role, href, status)


def test_counts_agree_with_their_number_and_carry_a_thousands_separator(org, login):
    from milepost.people.models import Employee

    FrameworkFactory.create(name="Claims skills")
    Employee.objects.bulk_create(
        Employee(employee_id=f"E{n:05d}", first_name="Pat", last_name=str(n), unit=org.claims)
        for n in range(2000)
    )
    page = login(org.coordinator).get(HOME).content.decode()
    assert "1 competency framework<" in page
    assert "1 competency frameworks" not in page
    assert "2,004 people you can see" in page


def test_one_person_reads_as_one_person(login):
    lonely = UserFactory.create(username="lonely", role=Role.EMPLOYEE)
    EmployeeFactory.create(user=lonely)
    page = login(lonely).get(HOME).content.decode()
    assert "1 person you can see" in page
    assert "1 people" not in page


def test_large_counts_have_a_thousands_separator():
    from milepost.lib.wording import counted

    assert counted(2000, "person", "people") == "2,000 people"
    assert counted(1, "person", "people") == "1 person"
    assert counted(0, "need") == "0 needs"


def test_closed_cycles_are_not_overdue(org, busy, login):
    cycle, _ = busy
    ReviewCycle.objects.filter(pk=cycle.pk).update(status=ReviewCycle.Status.CLOSED)
    overdue = todos(login(org.coordinator).get(HOME))["reviews-overdue"]
    assert overdue.empty
    assert overdue.summary.startswith("No review cycle is open")


def test_one_need_waits_and_one_person_has(org, claims_profile, login):
    # claims_profile gives two of the four people a profile; one more leaves one without.
    org.claims_manager_employee.job_profile = claims_profile.job_profile
    org.claims_manager_employee.save()
    NeedFactory.create(title="Angry callers", unit=org.motor_team, requester=org.employee_user)
    sections = todos(login(org.coordinator).get(HOME))
    assert sections["needs-awaiting-response"].summary.startswith("1 need waits for")
    assert sections["without-profile"].summary.startswith("1 active person has no job profile")


def test_a_step_past_its_date_reads_was_due(org, busy, login):
    cycle, _ = busy
    ReviewParticipant.objects.filter(cycle=cycle, employee=org.motor_handler).update(
        self_submitted_at=None
    )
    line = todos(login(org.employee_user).get(HOME))["own-review"].lines[0]
    assert line.note.startswith("Your self-assessment was due") and line.late
