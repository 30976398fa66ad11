from __future__ import annotations

from decimal import Decimal
from typing import Any

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


class EmployeeIds(forms.Field):
    """Several employee ids (checkboxes drawn by the page); which of them the user may see is
    decided by the selectors, never here."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        if any(not str(item).isdigit() or len(str(item)) > 18 for item in values):
            raise forms.ValidationError("Choose people from the list.")
        return sorted({int(item) for item in values})


class SuggestForm(BudgetForm):
    """Whom "suggest a solution" recommends for (GET to preview, POST to add the items)."""

    UNIT = "unit"
    TEAM = "team"
    PEOPLE = "people"
    TARGETS = [
        (UNIT, "The client's unit and the units below it"),
        (TEAM, "A team: a manager's direct reports"),
        (PEOPLE, "A list of people"),
    ]

    target = forms.ChoiceField(label="Recommend for", choices=TARGETS, widget=forms.RadioSelect)
    manager = forms.IntegerField(required=False, min_value=1, max_value=2**62)
    person = EmployeeIds(required=False)
    q = forms.CharField(
        label="Find people by name or employee ID",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "e.g. Smith or E1042"}),
    )

    def __init__(self, *args: Any, has_unit: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        target = self.fields["target"]
        assert isinstance(target, forms.ChoiceField)
        target.choices = self.TARGETS if has_unit else self.TARGETS[1:]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("target") == self.TEAM and not data.get("manager"):
            self.add_error("manager", "Find the team's manager below and choose them.")
        if data.get("target") == self.PEOPLE and not data.get("person"):
            self.add_error("person", "Find people below and tick the ones to recommend for.")
        return data
