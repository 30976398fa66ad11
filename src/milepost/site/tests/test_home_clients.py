"""The clients' to-dos on the home page: clients without an owner (coordinators and admins) and
each person's client next steps, overdue or due within a week."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from milepost.accounts.models import Role
from milepost.site.tests.test_home import MAX_QUERIES
from milepost.testing.factories import ClientFactory, InteractionFactory, UserFactory

pytestmark = pytest.mark.django_db
HOME = reverse("home")


def todos(response) -> dict:
    return {todo.key: todo for todo in response.context["page"].todos}


def test_coordinators_see_the_clients_without_an_owner_with_a_link(
    org, login, django_assert_max_num_queries
):
    ClientFactory.create(name="Quayside Mutual", owner=None)
    ClientFactory.create(name="<b>Anchor</b> Ltd", owner=None)
    ClientFactory.create(name="Owned Ltd")
    ClientFactory.create(name="Archived Ltd", owner=None, is_active=False)
    page = login(org.coordinator)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = page.get(HOME)
    section = todos(response)["clients-without-owner"]
    assert section.summary.startswith("2 clients have nobody accountable")
    assert [line.text for line in section.lines] == ["<b>Anchor</b> Ltd", "Quayside Mutual"]
    assert section.link == reverse("clients:list") + "?owner=none"
    body = response.content.decode()
    assert "&lt;b&gt;Anchor&lt;/b&gt; Ltd" in body and "<b>Anchor</b>" not in body
    assert login(org.coordinator).get(section.link).context["page_obj"].paginator.count == 2


def test_with_every_client_owned_the_section_says_so(org, login):
    ClientFactory.create(name="Owned Ltd")
    section = todos(login(org.coordinator).get(HOME))["clients-without-owner"]
    assert section.empty and section.summary == "Every active client has an owner."


def test_others_do_not_get_the_unowned_clients_section(org, login):
    ClientFactory.create(owner=None)
    manager = UserFactory.create(role=Role.ACCOUNT_MANAGER)
    assert "clients-without-owner" not in todos(login(manager).get(HOME))


@pytest.mark.parametrize("role", [Role.ACCOUNT_MANAGER, Role.LINE_MANAGER, Role.COORDINATOR])
def test_anyone_with_open_next_steps_sees_the_overdue_and_those_due_soon_first(
    org, login, role, django_assert_max_num_queries
):
    owner = UserFactory.create(role=role)
    client = ClientFactory.create(name="Harbour Brokers")
    today = timezone.localdate()

    def step(text: str, days: int, **extra) -> None:
        InteractionFactory.create(
            client=client,
            next_step=text,
            next_step_owner=owner,
            next_step_due=today + datetime.timedelta(days=days),
            **extra,
        )

    step("Send the outline", -3)
    step("Book the room", 5)
    step("Renewal talk", 30)
    step("Already done", -1, next_step_done_at=timezone.now())
    InteractionFactory.create(
        client=client,
        next_step="Someone else's",
        next_step_owner=UserFactory.create(role=Role.ACCOUNT_MANAGER),
        next_step_due=today,
    )
    page = login(owner)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = page.get(HOME)
    sections = todos(response)
    assert next(iter(sections)) == "client-next-steps"
    steps = sections["client-next-steps"]
    assert steps.summary == "2 next steps overdue or due within 7 days, soonest first."
    assert [(line.text, line.late) for line in steps.lines] == [
        ("Send the outline", True),
        ("Book the room", False),
    ]
    assert steps.lines[0].note.startswith("Harbour Brokers, overdue since")
    assert steps.lines[0].url == client.get_absolute_url()


def test_no_next_steps_no_section(org, login):
    assert "client-next-steps" not in todos(login(org.coordinator).get(HOME))
