"""Text as people type it, without what breaks storage and spreadsheets.

Control characters (C0 other than tab, line feed and carriage return, DEL, and C1) have no
place in a title, a comment or a name: openpyxl refuses to write them (so one stored `\\x0b`
used to break every XLSX export that showed it) and PostgreSQL refuses NUL outright. Every way
in cleans them with `clean_text`: forms and services through the model guard
(`guard_text_fields`, connected for every Milepost model), the API through its body parser,
imports through `lib.tabular.read_table`. Exports clean what was stored before.

The same guard enforces each text column's `max_length` before anything is written, naming
the field, on SQLite (which would store any length) as on PostgreSQL (which would fail the
transaction with a traceback).
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

# Tab, line feed and carriage return stay: they are how people break lines in comments.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Vertical tab and form feed separate words as a space would.
_SPACELIKE = re.compile(r"[\x0b\x0c]")


def clean_text(value: str) -> str:
    """`value` without control characters (vertical tab and form feed become spaces)."""
    if not CONTROL_CHARACTERS.search(value):
        return value
    return CONTROL_CHARACTERS.sub("", _SPACELIKE.sub(" ", value))


def clean_strings(value: Any) -> Any:
    """Every string inside a decoded JSON value, cleaned (keys too)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_strings(item) for item in value]
    if isinstance(value, dict):
        return {clean_strings(key): clean_strings(item) for key, item in value.items()}
    return value


def too_long_message(*, max_length: int, length: int) -> str:
    return f"is {length:,} characters long; at most {max_length:,} are allowed."


def guard_milepost_text(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """`guard_text_fields` for Milepost's own models (not Django's or a library's)."""
    if sender.__module__.startswith("milepost."):
        guard_text_fields(sender, instance, **kwargs)


def guard_text_fields(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """A `pre_save` receiver: clean control characters from every text field and refuse a value
    longer than its column, with a ValidationError naming the field (nothing is written)."""
    errors: dict[str, list[str]] = {}
    for field in instance._meta.concrete_fields:
        if not isinstance(field, (models.CharField, models.TextField)):
            continue
        value = getattr(instance, field.attname, None)
        if not isinstance(value, str):
            continue
        cleaned = clean_text(value)
        if cleaned is not value:
            setattr(instance, field.attname, cleaned)
        max_length = getattr(field, "max_length", None)
        if max_length and len(cleaned) > max_length:
            errors[field.name] = [
                f"{field.verbose_name.capitalize()} "
                + too_long_message(max_length=max_length, length=len(cleaned))
            ]
    if errors:
        raise ValidationError(errors, code="too_long")
