"""The journey map and one client's journey: who is responsible at each juncture."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from milepost.clients.models import StageChange, StageResponsibility
from milepost.clients.services.journey import move_to_stage, set_responsible
from milepost.testing.factories import ClientFactory, UserFactory

pytestmark = pytest.mark.django_db


def _stage(client, position):
    return client.journey.stages.get(position=position)


def _csv(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_map_flags_every_juncture_nobody_owns_and_counts_them_per_stage(book, org, login):
    first = _stage(book.harbour, 1)
    set_responsible(
        acting_user=book.account_manager,
        client=book.harbour,
        stage=first,
        responsible=book.account_manager,
    )
    response = login(org.coordinator).get(reverse("clients:journey-map"))
    assert response.status_code == 200
    rows = {row.client.name: row for row in response.context["rows"]}
    assert set(rows) == {"Claims", "Underwriting", "Harbour Brokers", "Northgate Insurance"}
    harbour = rows["Harbour Brokers"]
    assert harbour.cells[0].responsible == book.account_manager and harbour.cells[0].is_current
    assert all(cell.nobody for cell in harbour.cells[1:])
    summaries = {s.stage.position: s for s in response.context["summaries"]}
    assert (summaries[1].owned, summaries[1].unowned, summaries[1].owned_percent) == (1, 3, 25)
    assert (summaries[2].owned, summaries[2].unowned, summaries[2].owned_percent) == (0, 4, 0)
    assert response.content.count(b'badge badge-essential">Nobody') == 4 * 6 - 1 + 1  # +legend


def test_the_map_filters_by_owner_stage_and_kind(book, org, login):
    move_to_stage(
        acting_user=org.coordinator, client=book.northgate, stage=_stage(book.northgate, 3)
    )
    page = login(org.coordinator)
    by_owner = page.get(reverse("clients:journey-map"), {"owner": book.other_account_manager.pk})
    assert [row.client for row in by_owner.context["rows"]] == [book.northgate]
    by_stage = page.get(reverse("clients:journey-map"), {"stage": _stage(book.northgate, 3).pk})
    assert [row.client for row in by_stage.context["rows"]] == [book.northgate]
    internal = page.get(reverse("clients:journey-map"), {"kind": "internal"})
    assert {row.client.name for row in internal.context["rows"]} == {"Claims", "Underwriting"}
    # The counts follow the filter.
    assert all(s.clients == 2 for s in internal.context["summaries"])


def test_the_map_downloads_as_csv_with_nobody_spelt_out(book, org, login):
    set_responsible(
        acting_user=org.coordinator,
        client=book.claims,
        stage=_stage(book.claims, 4),
        responsible=org.coordinator,
    )
    response = login(org.coordinator).get(reverse("clients:journey-map"), {"export": "csv"})
    rows = _csv(response)
    assert rows[0][:5] == [
        "Client",
        "Kind",
        "Owner",
        "Current stage",
        "First contact and onboarding",
    ]
    claims = next(row for row in rows if row[0] == "Claims")
    assert claims[3] == "First contact and onboarding"
    assert claims[4:] == [
        "nobody",
        "nobody",
        "nobody",
        org.coordinator.get_full_name() or "coord",
        "nobody",
        "nobody",
    ]
    xlsx = login(org.coordinator).get(reverse("clients:journey-map"), {"export": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_client_without_an_owner_and_a_change_by_nobody_still_show(book, org, login):
    orphan = ClientFactory.create(name="Orphan Ltd", owner=None)
    move_to_stage(acting_user=org.coordinator, client=orphan, stage=_stage(orphan, 2))
    StageChange.objects.update(changed_by=None)
    page = login(org.coordinator)
    response = page.get(reverse("clients:journey-map"), {"owner": "none"})
    assert [row.client for row in response.context["rows"]] == [orphan]
    assert "nobody" in response.content.decode()
    journey = page.get(reverse("clients:journey", args=[orphan.pk]))
    assert journey.status_code == 200 and "owner: nobody" in journey.content.decode()


def test_a_line_manager_sees_only_their_units_client_on_the_map(book, org, login):
    response = login(org.claims_manager).get(reverse("clients:journey-map"))
    assert [row.client for row in response.context["rows"]] == [book.claims]


def test_the_owner_names_someone_responsible_and_moves_the_client_on(book, login):
    page = login(book.account_manager)
    second = _stage(book.harbour, 2)
    response = page.post(
        reverse("clients:journey-responsible", args=[book.harbour.pk]),
        {"stage_id": second.pk, f"stage-{second.pk}-responsible": book.account_manager.pk},
    )
    assert response.status_code == 302
    assert StageResponsibility.objects.get(client=book.harbour, stage=second).responsible == (
        book.account_manager
    )
    response = page.post(
        reverse("clients:journey-move", args=[book.harbour.pk]),
        {"stage": second.pk, "note": "Met their operations director"},
    )
    assert response.status_code == 302
    book.harbour.refresh_from_db()
    assert book.harbour.stage == second
    journey = page.get(reverse("clients:journey", args=[book.harbour.pk]))
    path = {item.stage.position: item for item, _ in journey.context["path"]}
    assert path[2].is_current and path[1].is_done and path[2].entered_at is not None
    assert path[2].responsible == book.account_manager
    assert [c.note for c in journey.context["history"]] == ["Met their operations director"]
    assert journey.context["nobody_count"] == 5
    assert b"Exit criteria" in journey.content and b"Usually responsible" in journey.content


def test_going_back_without_a_note_is_refused_on_the_form(book, org, login):
    move_to_stage(acting_user=org.coordinator, client=book.harbour, stage=_stage(book.harbour, 3))
    response = login(book.account_manager).post(
        reverse("clients:journey-move", args=[book.harbour.pk]),
        {"stage": _stage(book.harbour, 1).pk, "note": ""},
    )
    assert response.status_code == 400
    assert "Say why the client goes back" in response.content.decode()
    assert StageChange.objects.filter(client=book.harbour).count() == 1


def test_an_employer_contact_cannot_be_made_responsible(book, org, login):
    stage = _stage(book.harbour, 1)
    response = login(book.account_manager).post(
        reverse("clients:journey-responsible", args=[book.harbour.pk]),
        {"stage_id": stage.pk, f"stage-{stage.pk}-responsible": org.employer_contact.pk},
    )
    assert response.status_code == 400  # not among the choices
    assert not StageResponsibility.objects.filter(client=book.harbour).exists()


def test_a_reader_sees_the_journey_without_forms(book, login):
    response = login(book.quality_lead).get(reverse("clients:journey", args=[book.harbour.pk]))
    assert response.status_code == 200
    assert not response.context["can_edit"]
    assert b'action="/clients/' not in response.content


def test_names_are_escaped_on_the_map_and_the_journey(book, org, login):
    ClientFactory.create(
        name="<script>alert(1)</script> Ltd", owner=UserFactory.create(first_name="<b>Bo</b>")
    )
    html = login(org.coordinator).get(reverse("clients:journey-map")).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<b>Bo</b>" not in html


def test_the_map_makes_a_fixed_number_of_queries(book, org, login, django_assert_max_num_queries):
    for n in range(20):
        ClientFactory.create(name=f"Extra {n}", owner=book.account_manager)
    page = login(org.coordinator)
    with django_assert_max_num_queries(14):
        assert page.get(reverse("clients:journey-map")).status_code == 200
