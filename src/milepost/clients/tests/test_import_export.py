"""`milepost import|export clients|contacts|interactions`: real files in fixtures/, all or
nothing, errors naming file, row and column, and an export that imports back the same."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from milepost.clients.models import Client, Contact, Interaction, OwnerChange
from milepost.clients.tests.conftest import ClientBook

FIXTURES = Path(__file__).parent / "fixtures"


def run_import(kind: str, name: str, *extra: str) -> str:
    out = io.StringIO()
    call_command("import_data", kind, str(FIXTURES / name), "--quiet", *extra, stdout=out)
    return out.getvalue()


def refused(kind: str, name: str) -> str:
    with pytest.raises(CommandError) as caught:
        run_import(kind, name)
    return str(caught.value)


def export(kind: str, target: Path | None = None) -> str:
    out = io.StringIO()
    args = [kind] if target is None else [kind, str(target)]
    call_command("export_data", *args, stdout=out)
    return out.getvalue()


def test_clients_import_adds_each_row_with_its_unit_owner_stage_and_the_owner_history(
    book: ClientBook,
) -> None:
    output = run_import("clients", "clients_good.csv", "--as", "coordinator")

    assert "clients  3 created" in output
    assert "1 client has no owner" in output
    motor = Client.objects.get(name="Motor claims")
    assert motor.kind == "internal" and motor.unit is not None and motor.unit.code == "CLM-MOT"
    assert motor.owner is not None and motor.owner.username == "coordinator"
    assert motor.stage is not None and motor.stage.name == "Understanding the business"
    quayside = Client.objects.get(name="Quayside Logistics")
    assert quayside.address == "4 Quay Street\nLeith"
    assert quayside.size_band == "medium"
    assert quayside.stage is not None and quayside.stage.name == "Proposal"
    assert quayside.notes == "- pays late; <b>chase</b> early"  # the export's guard taken off
    fenwick = Client.objects.get(name="Fenwick Care")
    assert fenwick.kind == "external" and fenwick.size_band == "small" and fenwick.owner is None
    assert fenwick.stage is not None and fenwick.stage.position == 1
    history = OwnerChange.objects.get(client=quayside)
    assert history.new_owner == book.account_manager
    assert history.changed_by is not None and history.changed_by.username == "coordinator"
    assert "clients_good.csv" in history.reason


def test_bad_clients_file_is_refused_naming_file_row_and_column_and_writes_nothing(
    book: ClientBook,
) -> None:
    before = Client.objects.count()

    message = refused("clients", "clients_bad.csv")

    expected = [
        "clients_bad.csv, row 2, field name: A client called 'HARBOUR BROKERS' already exists.",
        "clients_bad.csv, row 3, field owner: no user with the username or email 'nobody.here'",
        "clients_bad.csv, row 4, field name: 'quayside logistics' is already row 3",
        "clients_bad.csv, row 5, field unit_code: no organisation unit with code 'NOPE'",
        "clients_bad.csv, row 6, field unit_code: Claims is already a client.",
        "clients_bad.csv, row 7, field owner: ",
        "clients_bad.csv, row 8, field stage: 'Signing' is not a stage of the journey",
        "clients_bad.csv, row 9, field website: 'not a web address' is not a web address",
        "clients_bad.csv, row 10, field kind: 'partner' is not a kind",
        "clients_bad.csv, row 11, field size_band: 'huge' is not a size band",
    ]
    for text in expected:
        assert text in message
    assert "account manager or an L&D coordinator" in message  # the wrong role, row 7
    assert "Nothing was imported." in message
    assert Client.objects.count() == before
    failure = LogEntry.objects.filter(additional_data__event="failed import").get()
    assert failure.additional_data["kind"] == "clients"


def test_bad_xlsx_is_refused_with_the_same_messages_and_a_broken_workbook_is_named(
    book: ClientBook,
) -> None:
    before = Client.objects.count()

    message = refused("clients", "clients_bad.xlsx")

    assert "clients_bad.xlsx, row 2, field name: A client called 'Harbour Brokers'" in message
    assert "clients_bad.xlsx, row 3, field owner: no user with the username or email" in message
    assert "clients_bad.xlsx, row 4, field unit_code: Claims is already a client." in message
    assert "clients_bad.xlsx, row 5, field website: '42' is not a web address" in message
    assert "clients_truncated.xlsx: cannot be read as an XLSX workbook" in refused(
        "clients", "clients_truncated.xlsx"
    )
    assert Client.objects.count() == before


def test_contacts_import_links_them_to_clients_by_name_in_any_case(book: ClientBook) -> None:
    run_import("clients", "clients_good.csv")

    output = run_import("contacts", "contacts_good.csv")

    assert "contacts  3 created" in output
    quinn = Contact.objects.get(name="Quinn Shore")
    assert quinn.client.name == "Quayside Logistics"
    assert quinn.marketing_consent and quinn.consent_changed_at is not None
    assert quinn.phone == "+44 131 000 0000"
    assert Contact.objects.get(name="Rhea Dock").client == quinn.client
    faye = Contact.objects.get(name="Faye Wick")
    assert faye.email == "" and not faye.marketing_consent


def test_bad_contacts_file_names_each_problem_and_writes_nothing(book: ClientBook) -> None:
    before = Contact.objects.count()

    message = refused("contacts", "contacts_bad.csv")

    expected = [
        "contacts_bad.csv, row 2, field client: no client called 'Nowhere Ltd'",
        "contacts_bad.csv, row 3, field email: 'bob@@harbour' is not an email address.",
        "contacts_bad.csv, row 4, field marketing_consent: 'perhaps' is not yes or no",
        "contacts_bad.csv, row 5, field login: no user with the username 'ghost'",
        "contacts_bad.csv, row 6, field login: The login coordinator is not an employer contact",
        "contacts_bad.csv, row 8, field email: Harbour Brokers already has the email "
        "fay@harbour.example on row 7",
        "contacts_bad.csv, row 9, field name: Give the contact's name.",
    ]
    for text in expected:
        assert text in message
    assert Contact.objects.count() == before


def test_interactions_import_from_csv_and_xlsx_links_contacts_and_moves_last_contact(
    book: ClientBook,
) -> None:
    run_import("clients", "clients_good.csv")
    run_import("contacts", "contacts_good.csv")

    csv_output = run_import("interactions", "interactions_good.csv", "--as", "am")
    xlsx_output = run_import("interactions", "interactions_good.xlsx")

    assert "interactions  3 created" in csv_output
    assert "interactions  2 created" in xlsx_output
    first = Interaction.objects.get(summary__startswith="First meeting")
    assert {c.name for c in first.contacts.all()} == {"Quinn Shore", "Rhea Dock"}
    assert first.next_step_owner == book.account_manager
    assert first.next_step_due == datetime.date(2026, 3, 20)
    assert first.recorded_by == book.account_manager
    assert timezone.localtime(first.occurred_at).strftime("%Y-%m-%d %H:%M") == "2026-03-04 10:30"
    call = Interaction.objects.get(summary="Rhea asked for dates")
    assert call.kind == "call" and call.internal_only
    assert call.occurred_at == datetime.datetime(2026, 3, 10, 15, 0, tzinfo=datetime.UTC)
    assert Interaction.objects.get(summary="Looked at their induction").kind == "consultancy"
    visit = Interaction.objects.get(summary="Visited the Leith depot")
    assert visit.next_step_due == datetime.date(2026, 4, 30)
    assert [c.name for c in visit.contacts.all()] == ["Quinn Shore"]
    assert Interaction.objects.get(summary="Sent the induction plan").internal_only
    quayside = Client.objects.get(name="Quayside Logistics")
    assert quayside.last_contact_at == visit.occurred_at
    assert quayside.health_score is not None


def test_bad_interactions_file_names_each_problem_and_writes_nothing(book: ClientBook) -> None:
    message = refused("interactions", "interactions_bad.csv")

    expected = [
        "row 2, field occurred_at: '04/03/2026' is not a date and time",
        "row 3, field client: no client called 'Nowhere Ltd'",
        "row 4, field contacts: Harbour Brokers has no contact with the email "
        "'zed@harbour.example'",
        "row 5, field next_step_due: '31/03/2026' is not a date in the form YYYY-MM-DD",
        "row 6, field next_step_owner: no user with the username or email 'nobody'",
        "row 7, field kind: 'lunch' is not a kind of interaction",
        "row 8, field occurred_at: An interaction is logged once it has happened",
        "row 9, field internal_only: 'sometimes' is not yes or no",
    ]
    for text in expected:
        assert f"interactions_bad.csv, {text}" in message
    assert not Interaction.objects.exists()


def test_export_then_import_into_an_empty_book_gives_the_same_export(
    book: ClientBook, tmp_path: Path
) -> None:
    run_import("clients", "clients_good.csv")
    run_import("contacts", "contacts_good.csv")
    run_import("interactions", "interactions_good.csv")
    kinds = ("clients", "contacts", "interactions")
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    for kind in kinds:
        export(kind, first / f"{kind}.csv")
    exported = {kind: (first / f"{kind}.csv").read_text(encoding="utf-8-sig") for kind in kinds}
    assert "Quayside Logistics,external,,Logistics,medium" in exported["clients"]
    assert "'- pays late" in exported["clients"]  # the spreadsheet formula guard
    assert "Harbour Brokers,Hana Harbour" in exported["contacts"]
    assert "quinn@quayside.example | rhea@quayside.example" in exported["interactions"]

    Client.objects.all().delete()
    for kind in kinds:
        call_command(
            "import_data", kind, str(first / f"{kind}.csv"), "--quiet", stdout=io.StringIO()
        )
        export(kind, second / f"{kind}.csv")

    assert {kind: (second / f"{kind}.csv").read_text(encoding="utf-8-sig") for kind in kinds} == (
        exported
    )
    assert Contact.objects.get(name="Hana Harbour").user == book.harbour_contact.user


def test_export_without_a_file_writes_csv_to_standard_output(
    book: ClientBook, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("export_data", "contacts")

    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "client,name,job_title,email,phone,marketing_consent,login"
    assert lines[1].startswith("Harbour Brokers,Hana Harbour,")
    assert lines[1].endswith(",no,employer")


def test_export_to_xlsx_reads_back_through_the_importer(book: ClientBook, tmp_path: Path) -> None:
    target = tmp_path / "clients.xlsx"

    output = export("clients", target)

    assert "4 rows written" in output
    sheet = load_workbook(target).active
    assert sheet is not None
    assert [cell.value for cell in sheet[1]][:3] == ["name", "kind", "unit_code"]
    Client.objects.all().delete()
    run_import_path = io.StringIO()
    call_command("import_data", "clients", str(target), "--quiet", stdout=run_import_path)
    assert "clients  4 created" in run_import_path.getvalue()
    assert Client.objects.get(name="Underwriting").owner == book.account_manager


def test_import_is_recorded_once_in_the_audit_trail(book: ClientBook) -> None:
    run_import("clients", "clients_good.csv", "--as", "coordinator")

    entry = LogEntry.objects.filter(additional_data__event="import").get()
    assert entry.additional_data["kind"] == "clients"
    assert entry.additional_data["counts"]["clients"]["created"] == 3
    assert entry.actor is not None and entry.actor.username == "coordinator"
