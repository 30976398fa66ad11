"""The client list: search, filters, sort, pagination, export, the "without an owner" link, and
a query count that does not grow with the number of clients."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from milepost.clients.models import Client, HealthBand
from milepost.testing.factories import ClientFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("clients:list")


def names(response) -> list[str]:
    return [client.name for client in response.context["page_obj"]]


def test_the_list_shows_every_active_client_and_counts_those_without_an_owner(book, org, login):
    ClientFactory.create(name="Quayside Mutual", owner=None)
    ClientFactory.create(name="Gone Ltd", is_active=False)
    response = login(org.coordinator).get(URL)
    assert response.status_code == 200
    assert names(response) == [
        "Claims",
        "Harbour Brokers",
        "Northgate Insurance",
        "Quayside Mutual",
        "Underwriting",
    ]
    assert response.context["unowned_count"] == 1
    assert "1 client without an owner" in response.content.decode()
    unowned = login(org.coordinator).get(URL, {"owner": "none"})
    assert names(unowned) == ["Quayside Mutual"]
    archived = login(org.coordinator).get(URL, {"status": "archived"})
    assert names(archived) == ["Gone Ltd"]
    everything = login(org.coordinator).get(URL, {"status": "all"})
    assert "Gone Ltd" in names(everything) and "Claims" in names(everything)


def test_search_finds_clients_by_name_sector_and_contact(book, org, login):
    page = login(org.coordinator)
    assert names(page.get(URL, {"q": "harb"})) == ["Harbour Brokers"]
    assert names(page.get(URL, {"q": "broking"})) == ["Harbour Brokers"]  # its sector
    assert names(page.get(URL, {"q": "nick gate"})) == ["Northgate Insurance"]


def test_filters_by_kind_sector_owner_stage_and_health(book, org, login):
    page = login(org.coordinator)
    assert names(page.get(URL, {"kind": "internal"})) == ["Claims", "Underwriting"]
    assert names(page.get(URL, {"sector": "Insurance"})) == ["Northgate Insurance"]
    assert names(page.get(URL, {"owner": book.account_manager.pk})) == [
        "Harbour Brokers",
        "Underwriting",
    ]
    second = book.harbour.journey.stages.order_by("position")[1]
    Client.objects.filter(pk=book.harbour.pk).update(stage=second)
    assert names(page.get(URL, {"stage": second.pk})) == ["Harbour Brokers"]
    Client.objects.filter(pk=book.northgate.pk).update(
        health_score=20, health_band=HealthBand.AT_RISK
    )
    assert names(page.get(URL, {"health": "at_risk"})) == ["Northgate Insurance"]


def test_a_filter_value_that_is_not_offered_shows_nothing_and_says_so(book, org, login):
    response = login(org.coordinator).get(URL, {"owner": "99999"})
    assert names(response) == []
    assert "No client you can see matches these filters" in response.content.decode()


def test_sorts_by_health_and_last_contact_with_unscored_clients_last(book, org, login):
    Client.objects.filter(pk=book.harbour.pk).update(health_score=90, health_band="good")
    Client.objects.filter(pk=book.northgate.pk).update(health_score=30, health_band="at_risk")
    page = login(org.coordinator)
    assert names(page.get(URL, {"sort": "-health"}))[:2] == [
        "Harbour Brokers",
        "Northgate Insurance",
    ]
    assert names(page.get(URL, {"sort": "health"}))[:2] == [
        "Northgate Insurance",
        "Harbour Brokers",
    ]


def test_a_line_manager_sees_only_their_units_client(book, org, login):
    response = login(org.claims_manager).get(URL)
    assert names(response) == ["Claims"]
    assert response.context["can_create"] is False


def test_the_list_pages_through_many_clients(org, login, settings):
    settings.PAGE_SIZE = 3
    for n in range(7):
        ClientFactory.create(name=f"Client {n}")
    page = login(org.coordinator)
    assert names(page.get(URL, {"page": 3})) == ["Client 6"]
    assert 'rel="next"' in page.get(URL).content.decode()


def test_the_export_holds_the_filtered_list_as_csv_and_xlsx(book, org, login):
    ClientFactory.create(name="=HYPERLINK(1)", sector="Insurance")
    page = login(org.coordinator)
    response = page.get(URL, {"sector": "Insurance", "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["ID", "Name", "Kind"]
    assert {row[1] for row in rows[1:]} == {"Northgate Insurance", "'=HYPERLINK(1)"}
    assert any(row[6] == "Ola Ng" for row in rows[1:])
    xlsx = page.get(URL, {"owner": "none", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [cell.value for cell in sheet[1]][:2] == ["ID", "Name"]
    assert sheet.max_row == 1  # no client without an owner: the header alone


def test_html_in_a_client_name_is_escaped(org, login):
    ClientFactory.create(name="<script>alert(1)</script> Ltd", sector="<b>bold</b>")
    body = login(org.coordinator).get(URL).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Ltd" in body
    assert "<b>bold</b>" not in body


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize("params", [{}, {"q": "a", "sort": "-health"}, {"owner": "none"}])
def test_the_query_count_does_not_grow_with_the_clients(
    org, login, params, django_assert_num_queries
):
    owners = [UserFactory.create(role="account_manager") for _ in range(3)]
    for n in range(3):
        ClientFactory.create(name=f"Alpha {n}", owner=owners[n % 3] if n else None)
        ContactFactory.create(client=Client.objects.get(name=f"Alpha {n}"))
    page = login(org.coordinator)
    few = _queries(page, params)
    for n in range(3, 30):
        ClientFactory.create(name=f"Alpha {n}", owner=owners[n % 3] if n % 4 else None)
    with django_assert_num_queries(few):
        page.get(URL, params)


def test_the_column_headings_sort_the_list(book, org, login):
    Client.objects.filter(pk=book.harbour.pk).update(health_score=90, health_band="good")
    body = login(org.coordinator).get(URL, {"sort": "-health", "kind": "external"}).content
    assert b'aria-sort="descending"' in body
    assert b"?sort=health&amp;kind=external" in body or b"?kind=external&amp;sort=health" in body


def test_clients_are_in_the_menu_of_those_who_may_read_them(book, org, login):
    def menu(user) -> list[str]:
        return [item["label"] for item in login(user).get(URL).context["nav_items"]]

    assert "Clients" in menu(org.coordinator)
    assert "Clients" in menu(org.claims_manager)
    assert "Clients" in menu(book.quality_lead)
    home = login(org.employee_user).get(reverse("home")).context["nav_items"]
    assert "Clients" not in [item["label"] for item in home]
    contact_home = login(org.employer_contact).get(reverse("home")).context["nav_items"]
    assert "Clients" not in [item["label"] for item in contact_home]
    active = [i for i in login(org.coordinator).get(URL).context["nav_items"] if i["active"]]
    assert [item["label"] for item in active] == ["Clients"]
