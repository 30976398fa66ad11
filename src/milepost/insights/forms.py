from __future__ import annotations

from decimal import Decimal

from django import forms


class BudgetForm(forms.Form):
    """The optional budget of a recommendation (GET)."""

    budget = forms.DecimalField(
        label="Budget (leave empty for no limit)",
        required=False,
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "any", "min": "0", "placeholder": "No limit"}),
    )
