"""Showing a service's ValidationError on the form that called it, in every app the same way."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def put_field_errors(form: forms.Form, exc: ValidationError) -> list[str]:
    """Put the errors of fields the form has on those fields; return the other messages
    (rows of a formset, a whole-object rule) for the page to show where they belong."""
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    others: list[str] = []
    for field, errors in exc.message_dict.items():
        if field in form.fields:
            for message in errors:
                form.add_error(field, message)
        else:
            others.extend(errors)
    return others


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Field errors on their fields, the rest as the form's own (non-field) errors."""
    others = put_field_errors(form, exc)
    if others:
        form.add_error(None, others)
