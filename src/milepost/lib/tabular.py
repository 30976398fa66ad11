"""Shared machinery for every import: reading tables, collecting row errors, counting changes.

Every importer follows the same shape: read and validate everything first (collecting up to
`ERROR_CAP` row errors), then write in one transaction with bulk operations, so a bad row
means nothing is written and a re-import of the same file writes nothing at all.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from django.db import models

from milepost.lib.text import clean_text, too_long_message

ERROR_CAP = 50
BATCH_SIZE = 1000

T = TypeVar("T")

TRUE_WORDS = frozenset({"1", "true", "yes", "y", "t", "essential"})
FALSE_WORDS = frozenset({"0", "false", "no", "n", "f", "optional"})


class ImportFailed(Exception):
    """An import was refused; `errors` holds one actionable message per problem."""

    def __init__(self, errors: Sequence[str], *, more: int = 0) -> None:
        self.errors = list(errors)
        self.more = more
        lines = list(self.errors)
        if more:
            lines.append(
                f"... and {more} more errors (fix the ones above and run the import again)"
            )
        lines.append("Nothing was imported.")
        super().__init__("\n".join(lines))


class RowErrors:
    """Collects row errors so a person sees every problem at once (up to a cap)."""

    def __init__(self, cap: int = ERROR_CAP) -> None:
        self.cap = cap
        self.messages: list[str] = []
        self.total = 0

    def __bool__(self) -> bool:
        return self.total > 0

    def add(self, file: str, row: int | None, column: str | None, message: str) -> None:
        self.total += 1
        if len(self.messages) >= self.cap:
            return
        where = file
        if row is not None:
            where += f", row {row}"
        if column:
            where += f", field {column}"
        self.messages.append(f"{where}: {message}")

    def check(self) -> None:
        """Raise ImportFailed if anything was collected."""
        if self.total:
            raise ImportFailed(self.messages, more=self.total - len(self.messages))


class Progress(Protocol):
    """Wraps an iterable to show progress (tqdm in the CLI); must yield the same items."""

    def __call__(
        self, items: Iterable[T], *, desc: str, total: int | None = None
    ) -> Iterable[T]: ...


def no_progress(items: Iterable[T], *, desc: str, total: int | None = None) -> Iterable[T]:
    return items


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    def __str__(self) -> str:
        text = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        if self.removed:
            text += f", {self.removed} removed"
        return text


@dataclass
class ImportReport:
    """What an import did, per kind of object, plus warnings worth a person's attention."""

    title: str
    counts: dict[str, Counts] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        width = max((len(name) for name in self.counts), default=0)
        lines = [self.title]
        lines += [f"  {name.ljust(width)}  {counts}" for name, counts in self.counts.items()]
        lines += [f"  note: {note}" for note in self.notes]
        lines += [f"  warning: {warning}" for warning in self.warnings]
        return lines

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated or c.removed for c in self.counts.values())


@dataclass
class Table:
    """A decoded delimited file: `rows` yields (row number as a spreadsheet shows it, record)."""

    name: str
    header: list[str]
    records: list[list[str]]
    columns: list[str]  # the columns the importer asked for, in `rows()` records

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        wanted = [(column, self.header.index(column)) for column in self.columns]
        for index, record in enumerate(self.records):
            yield index + 2, {column: record[position] for column, position in wanted}

    def __len__(self) -> int:
        return len(self.records)


def column_limits(model: Any, **columns: str) -> dict[str, int]:
    """Each text column's length limit, read from `model`'s fields: a column named as its field,
    or `column="field"` where the file names it otherwise."""
    limits: dict[str, int] = {}
    for model_field in model._meta.concrete_fields:
        max_length = getattr(model_field, "max_length", None)
        if max_length and isinstance(model_field, (models.CharField, models.TextField)):
            limits[model_field.name] = max_length
    for column, field_name in columns.items():
        if field_name in limits:
            limits[column] = limits[field_name]
    return limits


def _looks_utf16(raw: bytes) -> bool:
    sample = raw[:4000]
    return len(sample) >= 4 and sample.count(b"\x00") * 3 >= len(sample)


def decode_utf8(raw: bytes, name: str) -> str:
    """Decode a file as UTF-8 (a byte-order mark is fine) or as UTF-16 with its byte-order mark
    (spreadsheets' "Unicode text"), or say exactly why it cannot be read."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ImportFailed(
                [f"{name}: starts like a UTF-16 file but byte {exc.start} is not valid UTF-16"]
            ) from exc
    if _looks_utf16(raw):
        raise ImportFailed(
            [
                f"{name}: the file looks UTF-16 encoded without a byte-order mark (every other "
                "byte is zero). Save it as 'CSV UTF-8' from your spreadsheet, or convert it "
                f"with `iconv -f utf-16le -t utf-8 {name} > fixed.csv`."
            ]
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        byte = raw[exc.start : exc.start + 1].hex()
        raise ImportFailed(
            [
                f"{name}: the file is not UTF-8 encoded (byte 0x{byte} on line {line} is not "
                "valid UTF-8; it looks like Latin-1 or Windows-1252). Save it as 'CSV UTF-8' "
                "from your spreadsheet, or convert it with "
                f"`iconv -f latin1 -t utf-8 {name} > fixed.csv`."
            ]
        ) from exc


def _xlsx_text(value: Any) -> str:
    """A spreadsheet cell as the text a CSV file would hold: dates in ISO form (a date alone when
    the time is midnight), whole numbers without '.0', yes/no for booleans."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(str(value))


def read_xlsx_rows(raw: bytes, name: str) -> list[list[str]]:
    """The first worksheet of an XLSX workbook as rows of text (formulas as their last value)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, XML and key errors for broken files
        raise ImportFailed(
            [
                f"{name}: cannot be read as an XLSX workbook ({type(exc).__name__}); save it "
                "again from your spreadsheet as 'Excel Workbook (.xlsx)' or as 'CSV UTF-8'"
            ]
        ) from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            return []
        rows = [[_xlsx_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    # Spreadsheets often report formatted but empty cells at the right of each row.
    while rows and rows[0] and rows[0][-1] == "":
        width = len(rows[0]) - 1
        if any(len(row) > width and row[width] for row in rows):
            break
        rows = [row[:width] for row in rows]
    return rows


def read_table(
    path: Path,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    allow_other_columns: bool = False,
    delimiter: str = ",",
    max_lengths: Mapping[str, int] | None = None,
) -> Table:
    """Read a whole delimited file (or the first sheet of an XLSX workbook, by its .xlsx name),
    checking encoding, header, row lengths and, for the columns in `max_lengths` (see
    `column_limits`), the length of each value. Control characters are taken out of the text
    (`lib.text.clean_text`).

    Raises ImportFailed naming missing or unexpected columns, or malformed rows.
    """
    name = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise ImportFailed([f"{path}: no such file"]) from exc
    except OSError as exc:
        raise ImportFailed([f"{path}: cannot be read ({exc.strerror})"]) from exc
    reader: Iterator[list[str]]
    if path.suffix.lower() == ".xlsx":
        reader = iter(read_xlsx_rows(raw, name))
        text = ""
    else:
        text = clean_text(decode_utf8(raw, name))
        # The csv module handles quoted newlines itself when given the text unsplit.
        # O*NET's tab files never quote, and their titles may hold a lone '"'.
        stream = io.StringIO(text, newline="")
        if delimiter == "\t":
            reader = csv.reader(stream, delimiter=delimiter, quoting=csv.QUOTE_NONE)
        else:
            reader = csv.reader(stream, delimiter=delimiter)
    try:
        header = [column.strip() for column in next(reader)]
    except StopIteration:
        raise ImportFailed([f"{name}: the file is empty (expected a header row)"]) from None
    except csv.Error as exc:
        raise ImportFailed([f"{name}, row 1: cannot be read as CSV ({exc})"]) from None

    problems = []
    expected = ", ".join([*required, *optional])
    duplicated = sorted({column for column in header if header.count(column) > 1})
    if duplicated:
        problems.append(f"{name}: column(s) {', '.join(map(repr, duplicated))} appear twice")
    missing = [column for column in required if column not in header]
    if missing:
        problems.append(
            f"{name}: missing column(s) {', '.join(map(repr, missing))} in the header row "
            f"(expected: {expected})"
        )
    if not allow_other_columns:
        known = set(required) | set(optional)
        unexpected = [column for column in header if column not in known]
        if unexpected:
            problems.append(
                f"{name}: unexpected column(s) {', '.join(map(repr, unexpected))} in the header "
                f"row (expected: {expected}); rename or remove them"
            )
    if problems:
        raise ImportFailed(problems)

    errors = RowErrors()
    records: list[list[str]] = []
    width = len(header)
    # An odd number of quote characters: one was opened and never closed, and the csv module
    # reads the rest of the file into that one value.
    unbalanced_quotes = delimiter != "\t" and text.count('"') % 2 == 1
    try:
        for index, record in enumerate(reader):
            if len(record) != width:
                if not any(value.strip() for value in record):
                    continue  # blank line
                if (
                    unbalanced_quotes
                    and len(record) < width
                    and any("\n" in value for value in record)
                ):
                    errors.add(
                        name,
                        index + 2,
                        None,
                        "has a quote that is never closed (the row runs on to the end of the "
                        "file): close the quote or remove it",
                    )
                    continue
                if len(record) < width:
                    # Trailing empty cells are often left out (ESCO's own files do it).
                    records.append(record + [""] * (width - len(record)))
                    continue
                errors.add(
                    name,
                    index + 2,
                    None,
                    f"has {len(record)} values but the header has only {width} columns "
                    "(check for a stray delimiter or an unclosed quote)",
                )
                continue
            records.append(record)
    except csv.Error as exc:
        errors.add(name, len(records) + 2, None, f"cannot be read as CSV ({exc})")
    if max_lengths:
        _check_lengths(name, header, records, max_lengths, errors)
    errors.check()
    columns = [column for column in [*required, *optional] if column in header]
    return Table(name=name, header=header, records=records, columns=columns)


def _check_lengths(
    name: str,
    header: Sequence[str],
    records: Sequence[Sequence[str]],
    max_lengths: Mapping[str, int],
    errors: RowErrors,
) -> None:
    checked = [
        (column, position, max_lengths[column])
        for position, column in enumerate(header)
        if column in max_lengths
    ]
    for index, record in enumerate(records):
        for column, position, limit in checked:
            length = len(record[position].strip())
            if length > limit:
                message = "value " + too_long_message(max_length=limit, length=length)
                errors.add(name, index + 2, column, message)


def chunked(items: Iterable[T], size: int = BATCH_SIZE) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def split_labels(value: str, separator: str = "|") -> list[str]:
    """Split a multi-value cell, dropping blanks and repeats but keeping the order."""
    labels = (label.strip() for label in value.split(separator))
    return list(dict.fromkeys(label for label in labels if label))


def parse_bool(value: str) -> bool | None:
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def parse_int(value: str) -> int | None:
    try:
        return int(value.strip())
    except ValueError:
        return None


def parse_iso_date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        return None


def round_half_up(value: float) -> int:
    """Round .5 up (Python's round() goes to the even neighbour, which surprises people)."""
    return int(value + 0.5) if value >= 0 else -int(-value + 0.5)


def find_cycles(parent_of: Mapping[str, str | None]) -> list[list[str]]:
    """Every cycle in a child -> parent map, each as the list of keys on it (first key sorted)."""
    state: dict[str, int] = {}  # 1 = on the current walk, 2 = known to reach a root
    cycles: list[list[str]] = []
    for start in parent_of:
        walk: list[str] = []
        current: str | None = start
        while current is not None and current in parent_of and current not in state:
            state[current] = 1
            walk.append(current)
            current = parent_of[current]
        if current is not None and state.get(current) == 1:
            cycle = walk[walk.index(current) :]
            first = cycle.index(min(cycle))
            cycles.append(cycle[first:] + cycle[:first])
        for key in walk:
            state[key] = 2
    return cycles


def depths(parent_of: Mapping[str, str | None]) -> dict[str, int]:
    """Depth of each key in an acyclic child -> parent map (parents outside the map count as 0)."""
    result: dict[str, int] = {}
    for start in parent_of:
        chain: list[str] = []
        current: str | None = start
        while current is not None and current in parent_of and current not in result:
            chain.append(current)
            current = parent_of[current]
        depth = -1 if current is None or current not in result else result[current]
        if current is not None and current not in parent_of:
            depth = 0  # the parent exists elsewhere (already in the database)
        for key in reversed(chain):
            depth += 1
            result[key] = depth
    return result
