"""The costing rule in templates: `{{ course|seat_cost }}`, `{{ course|seat_cost_basis:cur }}`."""

from __future__ import annotations

from decimal import Decimal

from django import template

from milepost.catalogue import costing

register = template.Library()


@register.filter
def seat_cost(offer: costing.Costed) -> Decimal:
    return costing.seat_cost(offer)


@register.filter
def seat_cost_basis(offer: costing.Costed, currency: str) -> str:
    return costing.seat_cost_basis(offer, currency)
