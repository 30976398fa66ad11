"""Every date field on a form pre-fills the browser's date picker with an ISO date; the site's
locale (en-gb) would write 30/06/2027, which the picker shows as empty, so saving an edit form
wiped the date (found by the proposals browser journey on the metric form)."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django import forms
from django.utils import translation

FORM_MODULES = [
    "milepost.needs.forms",
    "milepost.clients.forms",
    "milepost.site.forms",
    "milepost.reviews.forms",
    "milepost.people.forms",
    "milepost.proposals.forms_issues",
    "milepost.proposals.forms",
]


def _date_fields() -> list[tuple[str, str, forms.Field]]:
    found: list[tuple[str, str, forms.Field]] = []
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for attribute in vars(module).values():
            if isinstance(attribute, type) and issubclass(attribute, forms.Form):
                for field_name, field in attribute.base_fields.items():
                    if isinstance(field, forms.DateField):
                        found.append((f"{name}.{attribute.__name__}", field_name, field))
    return found


def test_there_are_date_fields_to_check() -> None:
    assert len(_date_fields()) >= 8


@pytest.mark.parametrize(("form", "name", "field"), _date_fields(), ids=lambda value: str(value))
def test_a_date_field_writes_an_iso_date_for_the_picker(form, name, field) -> None:
    with translation.override("en-gb"):
        html = field.widget.render(name, datetime.date(2027, 6, 30))
    assert 'value="2027-06-30"' in html, f"{form}.{name} renders {html}"
