"""Clients, contacts and interactions from CSV or XLSX, and back out again (docs/clients.md,
"Import and export").

Each import reads the whole file, checks every row against the same rules as the pages and the
API (`clean_client_fields`, `clean_contact_fields`, `clean_interaction_fields`), then writes in
one transaction with bulk inserts: one bad row and nothing is written. Imports add; a client
already recorded (same name in any case) is refused, not updated. An export writes the columns
its import reads, so exporting a database and importing the file into an empty one gives the
same export again.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from milepost.accounts.models import OrgUnit, User
from milepost.clients.models import (
    Client,
    Contact,
    Interaction,
    InteractionKind,
    JourneyStage,
    Kind,
    OwnerChange,
    SizeBand,
)
from milepost.clients.services.clients import (
    clean_client_fields,
    clean_contact_fields,
    default_journey,
)
from milepost.clients.services.health import refresh_health
from milepost.clients.services.interactions import clean_interaction_fields
from milepost.lib.exports import unguard_formula
from milepost.lib.tabular import (
    Counts,
    ImportReport,
    Progress,
    RowErrors,
    Table,
    chunked,
    column_limits,
    no_progress,
    parse_bool,
    parse_iso_date,
    read_table,
    split_labels,
)

CLIENT_COLUMNS = [
    "name",
    "kind",
    "unit_code",
    "sector",
    "size_band",
    "address",
    "website",
    "owner",
    "stage",
    "notes",
]
CONTACT_COLUMNS = [
    "client",
    "name",
    "job_title",
    "email",
    "phone",
    "marketing_consent",
    "login",
]
INTERACTION_COLUMNS = [
    "client",
    "kind",
    "occurred_at",
    "summary",
    "internal_only",
    "contacts",
    "next_step",
    "next_step_owner",
    "next_step_due",
]
REQUIRED = {
    "clients": ["name", "kind"],
    "contacts": ["client", "name"],
    "interactions": ["client", "kind", "occurred_at", "summary"],
}
# Where a service's field errors land in the file.
CLIENT_FIELD_COLUMNS = {"unit": "unit_code"}
CONTACT_FIELD_COLUMNS = {"user": "login"}


def _columns(kind: str, columns: list[str]) -> tuple[list[str], list[str]]:
    required = REQUIRED[kind]
    return required, [column for column in columns if column not in required]


def _text_limits(model: Any, *choice_columns: str) -> dict[str, int]:
    """Length limits of the free-text columns (a choice column may hold a longer label)."""
    limits = column_limits(model)
    return {column: limit for column, limit in limits.items() if column not in choice_columns}


def _values(raw: dict[str, str], columns: Sequence[str]) -> dict[str, str]:
    """The row's cells, trimmed, with the export's formula guard taken off, '' when absent."""
    return {column: unguard_formula(raw.get(column, "").strip()) for column in columns}


def _choice(value: str, choices: Sequence[tuple[str, Any]]) -> str | None:
    """A choice's stored value, from the value itself or its label, in any case."""
    words = {str(stored).lower(): str(stored) for stored, _ in choices}
    words.update({str(label).lower(): str(stored) for stored, label in choices})
    return words.get(value.lower())


def _add_field_errors(
    errors: RowErrors, file: str, row: int, problems: dict[str, str], columns: dict[str, str]
) -> None:
    for name, message in problems.items():
        errors.add(file, row, columns.get(name, name), message)


def _users_by_name_or_email(values: set[str]) -> dict[str, User | None]:
    """Users named by username or email (lower case keys); None where an email is shared by
    several users and no username says which."""
    lowered = {value.lower() for value in values if value}
    if not lowered:
        return {}
    found: dict[str, User | None] = {}
    by_email: dict[str, list[User]] = defaultdict(list)
    users = User.objects.annotate(lu=Lower("username"), le=Lower("email")).filter(
        Q(lu__in=lowered) | Q(le__in=lowered)
    )
    for user in users:
        if user.username.lower() in lowered:
            found[user.username.lower()] = user
        if user.email and user.email.lower() in lowered:
            by_email[user.email.lower()].append(user)
    for email, matched in by_email.items():
        if email not in found:
            found[email] = matched[0] if len(matched) == 1 else None
    return found


def _user(
    value: str,
    users: dict[str, User | None],
    errors: RowErrors,
    file: str,
    row: int,
    column: str,
) -> User | None:
    if not value:
        return None
    key = value.lower()
    if key not in users:
        errors.add(file, row, column, f"no user with the username or email '{value}'")
        return None
    user = users[key]
    if user is None:
        errors.add(file, row, column, f"several users have the email '{value}'; give a username")
    return user


def _clients_by_name(names: set[str]) -> dict[str, Client]:
    lowered = {name.lower() for name in names if name}
    return {
        client.name.lower(): client
        for client in Client.objects.annotate(lname=Lower("name")).filter(lname__in=lowered)
    }


def _unknown_client(name: str) -> str:
    return (
        f"no client called '{name}'; import the clients first (milepost import clients ...) "
        "or correct the name"
    )


# --- clients -----------------------------------------------------------------------------------


@dataclass
class ClientRow:
    row: int
    name: str
    kind: str
    unit: OrgUnit | None
    sector: str
    size_band: str
    address: str
    website: str
    owner: User | None
    stage: JourneyStage | None
    notes: str


def read_clients(path: Path) -> Table:
    required, optional = _columns("clients", CLIENT_COLUMNS)
    return read_table(
        Path(path),
        required=required,
        optional=optional,
        max_lengths=_text_limits(Client, "kind", "size_band"),
    )


def check_clients(table: Table, *, progress: Progress = no_progress) -> list[ClientRow]:
    """Every row converted and checked (raises ImportFailed naming each bad cell)."""
    file = table.name
    errors = RowErrors()
    rows = [(number, _values(raw, CLIENT_COLUMNS)) for number, raw in table.rows()]
    codes = {values["unit_code"] for _, values in rows if values["unit_code"]}
    units = {unit.code: unit for unit in OrgUnit.objects.filter(code__in=codes)}
    users = _users_by_name_or_email({values["owner"] for _, values in rows})
    journey = default_journey()
    stages = {stage.name.lower(): stage for stage in journey.stages.all()}
    seen_names: dict[str, int] = {}
    seen_units: dict[str, int] = {}
    checked: list[ClientRow] = []
    for number, values in progress(rows, desc="clients: check", total=len(rows)):
        before = errors.total
        name = values["name"]
        kind = _choice(values["kind"], Kind.choices)
        if kind is None:
            errors.add(
                file, number, "kind", f"'{values['kind']}' is not a kind; use internal or external"
            )
        unit = None
        code = values["unit_code"]
        if code:
            unit = units.get(code)
            if unit is None:
                errors.add(file, number, "unit_code", f"no organisation unit with code '{code}'")
            elif code in seen_units:
                errors.add(
                    file, number, "unit_code", f"unit '{code}' is already row {seen_units[code]}"
                )
            else:
                seen_units[code] = number
        size_band = ""
        if values["size_band"]:
            size_band = _choice(values["size_band"], SizeBand.choices) or ""
            if not size_band:
                errors.add(
                    file,
                    number,
                    "size_band",
                    f"'{values['size_band']}' is not a size band; use one of "
                    f"{', '.join(SizeBand.values)}",
                )
        owner = _user(values["owner"], users, errors, file, number, "owner")
        stage = None
        if values["stage"]:
            stage = stages.get(values["stage"].lower())
            if stage is None:
                errors.add(
                    file,
                    number,
                    "stage",
                    f"'{values['stage']}' is not a stage of the journey '{journey}'; use one of "
                    + ", ".join(s.name for s in journey.stages.all()),
                )
        if name and name.lower() in seen_names:
            errors.add(
                file,
                number,
                "name",
                f"'{name}' is already row {seen_names[name.lower()]} (names are compared "
                "without regard to case)",
            )
        elif name:
            seen_names[name.lower()] = number
        problems = clean_client_fields(
            kind=kind or Kind.EXTERNAL,
            name=name,
            unit=unit,
            sector=values["sector"],
            size_band=size_band,
            website=values["website"],
            owner=owner,
        )
        if kind is None or (code and unit is None):
            problems.pop("unit", None)  # already said why
        _add_field_errors(errors, file, number, problems, CLIENT_FIELD_COLUMNS)
        if errors.total == before:
            assert kind is not None
            checked.append(
                ClientRow(
                    row=number,
                    name=name,
                    kind=kind,
                    unit=unit,
                    sector=values["sector"],
                    size_band=size_band,
                    address=values["address"],
                    website=values["website"],
                    owner=owner,
                    stage=stage,
                    notes=values["notes"],
                )
            )
    errors.check()
    return checked


@transaction.atomic
def write_clients(
    rows: list[ClientRow], *, file: str, acting_user: User | None = None
) -> ImportReport:
    journey = default_journey()
    first_stage = journey.stages.order_by("position").first()
    clients = Client.objects.bulk_create(
        [
            Client(
                kind=row.kind,
                name=row.name,
                unit=row.unit,
                sector=row.sector,
                size_band=row.size_band,
                address=row.address,
                website=row.website,
                owner=row.owner,
                journey=journey,
                stage=row.stage or first_stage,
                notes=row.notes,
            )
            for row in rows
        ],
        batch_size=500,
    )
    owned = [client for client in clients if client.owner_id is not None]
    OwnerChange.objects.bulk_create(
        [
            OwnerChange(
                client=client,
                new_owner_id=client.owner_id,
                reason=f"Owner when the client was imported from {file}.",
                changed_by=acting_user,
            )
            for client in owned
        ],
        batch_size=1000,
    )
    report = ImportReport(title=f"clients from {file}")
    report.counts["clients"] = Counts(created=len(clients))
    unowned = len(clients) - len(owned)
    if unowned:
        report.warnings.append(
            f"{unowned} client{'s have' if unowned != 1 else ' has'} no owner; give "
            f"{'them' if unowned != 1 else 'it'} one on the client list (clients without an owner)"
        )
    return report


def import_clients(
    path: Path, *, acting_user: User | None = None, progress: Progress = no_progress
) -> ImportReport:
    """Add the clients of a CSV/XLSX file, all or nothing."""
    table = read_clients(path)
    rows = check_clients(table, progress=progress)
    return write_clients(rows, file=table.name, acting_user=acting_user)


# --- contacts ----------------------------------------------------------------------------------


@dataclass
class ContactRow:
    row: int
    client: Client
    name: str
    job_title: str
    email: str
    phone: str
    marketing_consent: bool
    user: User | None


def read_contacts(path: Path) -> Table:
    required, optional = _columns("contacts", CONTACT_COLUMNS)
    return read_table(
        Path(path),
        required=required,
        optional=optional,
        max_lengths=_text_limits(Contact),
    )


def check_contacts(table: Table, *, progress: Progress = no_progress) -> list[ContactRow]:
    file = table.name
    errors = RowErrors()
    rows = [(number, _values(raw, CONTACT_COLUMNS)) for number, raw in table.rows()]
    clients = _clients_by_name({values["client"] for _, values in rows})
    logins = {values["login"].lower() for _, values in rows if values["login"]}
    users = {
        user.username.lower(): user
        for user in User.objects.annotate(lu=Lower("username")).filter(lu__in=logins)
    }
    seen_emails: dict[tuple[int, str], int] = {}
    seen_logins: dict[str, int] = {}
    checked: list[ContactRow] = []
    for number, values in progress(rows, desc="contacts: check", total=len(rows)):
        before = errors.total
        client = clients.get(values["client"].lower())
        if client is None:
            message = _unknown_client(values["client"]) if values["client"] else "is empty"
            errors.add(file, number, "client", message)
        consent = parse_bool(values["marketing_consent"] or "no")
        if consent is None:
            errors.add(
                file,
                number,
                "marketing_consent",
                f"'{values['marketing_consent']}' is not yes or no",
            )
        user = None
        login = values["login"]
        if login:
            user = users.get(login.lower())
            if user is None:
                errors.add(file, number, "login", f"no user with the username '{login}'")
            elif login.lower() in seen_logins:
                errors.add(
                    file,
                    number,
                    "login",
                    f"the login '{login}' is already row {seen_logins[login.lower()]}'s",
                )
            else:
                seen_logins[login.lower()] = number
        email = values["email"]
        if client is not None:
            if email:
                key = (client.pk, email.lower())
                if key in seen_emails:
                    errors.add(
                        file,
                        number,
                        "email",
                        f"{client} already has the email {email} on row {seen_emails[key]}",
                    )
                else:
                    seen_emails[key] = number
            problems = clean_contact_fields(
                client=client,
                name=values["name"],
                email=email,
                phone=values["phone"],
                job_title=values["job_title"],
                user=user,
            )
            _add_field_errors(errors, file, number, problems, CONTACT_FIELD_COLUMNS)
        if errors.total == before:
            assert client is not None and consent is not None
            checked.append(
                ContactRow(
                    row=number,
                    client=client,
                    name=values["name"],
                    job_title=values["job_title"],
                    email=email,
                    phone=values["phone"],
                    marketing_consent=consent,
                    user=user,
                )
            )
    errors.check()
    return checked


@transaction.atomic
def write_contacts(rows: list[ContactRow], *, file: str) -> ImportReport:
    now = timezone.now()
    for batch in chunked(rows, 1000):
        Contact.objects.bulk_create(
            [
                Contact(
                    client=row.client,
                    name=row.name,
                    job_title=row.job_title,
                    email=row.email,
                    phone=row.phone,
                    marketing_consent=row.marketing_consent,
                    consent_changed_at=now if row.marketing_consent else None,
                    user=row.user,
                )
                for row in batch
            ]
        )
    report = ImportReport(title=f"contacts from {file}")
    report.counts["contacts"] = Counts(created=len(rows))
    return report


def import_contacts(path: Path, *, progress: Progress = no_progress) -> ImportReport:
    """Add the contacts of a CSV/XLSX file to clients already recorded, all or nothing."""
    table = read_contacts(path)
    rows = check_contacts(table, progress=progress)
    return write_contacts(rows, file=table.name)


# --- interactions ------------------------------------------------------------------------------


@dataclass
class InteractionRow:
    row: int
    client: Client
    kind: str
    occurred_at: datetime.datetime
    summary: str
    internal_only: bool
    next_step: str
    next_step_owner: User | None
    next_step_due: datetime.date | None
    contacts: list[Contact] = field(default_factory=list)


def parse_moment(value: str) -> datetime.datetime | None:
    """An ISO date and time ('2026-03-04 14:30', '2026-03-04T14:30:00+01:00') or a date alone
    (midnight); a time without a zone is the site's time zone."""
    try:
        moment = datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def read_interactions(path: Path) -> Table:
    required, optional = _columns("interactions", INTERACTION_COLUMNS)
    return read_table(
        Path(path),
        required=required,
        optional=optional,
        max_lengths=_text_limits(Interaction, "kind"),
    )


def check_interactions(table: Table, *, progress: Progress = no_progress) -> list[InteractionRow]:
    file = table.name
    errors = RowErrors()
    rows = [(number, _values(raw, INTERACTION_COLUMNS)) for number, raw in table.rows()]
    clients = _clients_by_name({values["client"] for _, values in rows})
    users = _users_by_name_or_email({values["next_step_owner"] for _, values in rows})
    contacts_by_client: dict[int, dict[str, Contact]] = {}
    for contact in Contact.objects.filter(client__in=list(clients.values())).exclude(email=""):
        contacts_by_client.setdefault(contact.client_id, {})[contact.email.lower()] = contact
    checked: list[InteractionRow] = []
    for number, values in progress(rows, desc="interactions: check", total=len(rows)):
        before = errors.total
        client = clients.get(values["client"].lower())
        if client is None:
            message = _unknown_client(values["client"]) if values["client"] else "is empty"
            errors.add(file, number, "client", message)
        kind = _choice(values["kind"], InteractionKind.choices)
        if kind is None:
            errors.add(
                file,
                number,
                "kind",
                f"'{values['kind']}' is not a kind of interaction; use one of "
                f"{', '.join(InteractionKind.values)}",
            )
        occurred_at = None
        if values["occurred_at"]:
            occurred_at = parse_moment(values["occurred_at"])
            if occurred_at is None:
                errors.add(
                    file,
                    number,
                    "occurred_at",
                    f"'{values['occurred_at']}' is not a date and time in the form "
                    "YYYY-MM-DD HH:MM (e.g. 2026-03-04 14:30)",
                )
        internal_only = parse_bool(values["internal_only"] or "no")
        if internal_only is None:
            errors.add(
                file, number, "internal_only", f"'{values['internal_only']}' is not yes or no"
            )
        due = None
        if values["next_step_due"]:
            due = parse_iso_date(values["next_step_due"])
            if due is None:
                errors.add(
                    file,
                    number,
                    "next_step_due",
                    f"'{values['next_step_due']}' is not a date in the form YYYY-MM-DD",
                )
        step_owner = _user(
            values["next_step_owner"], users, errors, file, number, "next_step_owner"
        )
        contacts: list[Contact] = []
        if client is not None:
            known = contacts_by_client.get(client.pk, {})
            for email in split_labels(values["contacts"]):
                participant = known.get(email.lower())
                if participant is None:
                    errors.add(
                        file,
                        number,
                        "contacts",
                        f"{client} has no contact with the email '{email}'; import the "
                        "contacts first or correct the email",
                    )
                else:
                    contacts.append(participant)
        if client is not None and kind is not None and errors.total == before:
            problems = clean_interaction_fields(
                client=client,
                kind=kind,
                occurred_at=occurred_at,
                summary=values["summary"],
                contacts=contacts,
                next_step=values["next_step"],
                next_step_owner=step_owner,
                next_step_due=due,
            )
            _add_field_errors(errors, file, number, problems, {})
        if errors.total == before:
            assert client is not None and kind is not None and occurred_at is not None
            checked.append(
                InteractionRow(
                    row=number,
                    client=client,
                    kind=kind,
                    occurred_at=occurred_at,
                    summary=values["summary"],
                    internal_only=bool(internal_only),
                    next_step=values["next_step"],
                    next_step_owner=step_owner,
                    next_step_due=due,
                    contacts=contacts,
                )
            )
    errors.check()
    return checked


@transaction.atomic
def write_interactions(
    rows: list[InteractionRow], *, file: str, acting_user: User | None = None
) -> ImportReport:
    """Insert the interactions and their participants; each client's last contact and health
    are brought up to date once, at the end."""
    through = Interaction.contacts.through
    for batch in chunked(rows, 1000):
        created = Interaction.objects.bulk_create(
            [
                Interaction(
                    client=row.client,
                    kind=row.kind,
                    occurred_at=row.occurred_at,
                    summary=row.summary,
                    internal_only=row.internal_only,
                    recorded_by=acting_user,
                    next_step=row.next_step,
                    next_step_owner=row.next_step_owner,
                    next_step_due=row.next_step_due,
                )
                for row in batch
            ]
        )
        through.objects.bulk_create(
            [
                through(interaction_id=interaction.pk, contact_id=contact.pk)
                for interaction, row in zip(created, batch, strict=True)
                for contact in row.contacts
            ]
        )
    touched = {row.client.pk: row.client for row in rows}
    refresh_health(clients=list(touched.values()))
    report = ImportReport(title=f"interactions from {file}")
    report.counts["interactions"] = Counts(created=len(rows))
    open_steps = sum(1 for row in rows if row.next_step)
    if open_steps:
        report.notes.append(
            f"{open_steps} next step{'s' if open_steps != 1 else ''} imported; their owners "
            "are reminded once they are overdue"
        )
    return report


def import_interactions(
    path: Path, *, acting_user: User | None = None, progress: Progress = no_progress
) -> ImportReport:
    """Add the interactions of a CSV/XLSX file, all or nothing."""
    table = read_interactions(path)
    rows = check_interactions(table, progress=progress)
    return write_interactions(rows, file=table.name, acting_user=acting_user)


# --- exports -----------------------------------------------------------------------------------


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _login(user: User | None) -> str:
    return user.username if user is not None else ""


def client_rows() -> Iterator[list[str]]:
    clients = Client.objects.select_related("unit", "owner", "stage").order_by(Lower("name"), "pk")
    for client in clients.iterator(chunk_size=2000):
        yield [
            client.name,
            client.kind,
            client.unit.code if client.unit else "",
            client.sector,
            client.size_band,
            client.address,
            client.website,
            _login(client.owner),
            client.stage.name if client.stage else "",
            client.notes,
        ]


def contact_rows() -> Iterator[list[str]]:
    contacts = Contact.objects.select_related("client", "user").order_by(
        Lower("client__name"), Lower("name"), "pk"
    )
    for contact in contacts.iterator(chunk_size=2000):
        yield [
            contact.client.name,
            contact.name,
            contact.job_title,
            contact.email,
            contact.phone,
            _yes_no(contact.marketing_consent),
            _login(contact.user),
        ]


def interaction_rows() -> Iterator[list[str]]:
    interactions = (
        Interaction.objects.select_related("client", "next_step_owner")
        .prefetch_related("contacts")
        .order_by(Lower("client__name"), "occurred_at", "pk")
    )
    for interaction in interactions.iterator(chunk_size=2000):
        emails = sorted(c.email for c in interaction.contacts.all() if c.email)
        yield [
            interaction.client.name,
            interaction.kind,
            timezone.localtime(interaction.occurred_at).isoformat(),
            interaction.summary,
            _yes_no(interaction.internal_only),
            " | ".join(emails),
            interaction.next_step,
            _login(interaction.next_step_owner),
            interaction.next_step_due.isoformat() if interaction.next_step_due else "",
        ]


# kind -> (the columns, the rows in the order they are written)
EXPORTS: dict[str, tuple[list[str], Callable[[], Iterator[list[str]]]]] = {
    "clients": (CLIENT_COLUMNS, client_rows),
    "contacts": (CONTACT_COLUMNS, contact_rows),
    "interactions": (INTERACTION_COLUMNS, interaction_rows),
}
