"""Gap figures for templates: NaN (nothing required) prints as a dash, not "nan"."""

from __future__ import annotations

import math

from django import template

register = template.Library()

NO_FIGURE = "\u2014"  # an em dash, as elsewhere for "no figure"


@register.filter
def percent(value: float | None) -> str:
    if value is None or math.isnan(value):
        return NO_FIGURE
    return f"{value:.0f} %"


@register.filter
def weighted(value: float | None) -> str:
    if value is None or math.isnan(value):
        return NO_FIGURE
    return f"{value:,.1f}".rstrip("0").rstrip(".")


@register.filter
def share(value: float | None) -> str:
    """A 0-1 share as a whole per cent (the gap still open: 0.39 -> "39 %")."""
    if value is None or math.isnan(value):
        return NO_FIGURE
    return f"{100 * value:.0f} %"
