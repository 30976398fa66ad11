"""Form widgets shared by every app's forms."""

from __future__ import annotations

from django import forms


def date_input() -> forms.DateInput:
    """A browser date picker (`<input type="date">`). It reads only ISO dates, so the value is
    written as one: the site's locale would write 30/06/2027, which the picker shows as an empty
    field, and saving the form would then wipe the date."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
