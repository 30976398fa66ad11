"""Unit choices that stay small however large the organisation.

A page with a unit drop-down carried 6.5 MB of options at 70,000 units. These fields render the
top of the chart (the first `UNIT_OPTIONS_LIMIT` visible units, in chart order) and the chosen
ones; when there are more, `static/milepost/unit-search.js` adds a search box that looks the
rest up as you type (`accounts.views.unit_search`, the units the user may see). Validation is
unchanged: any visible unit is accepted, whether it was drawn or not.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.urls import reverse

from milepost.accounts.models import OrgUnit

UNIT_OPTIONS_LIMIT = 300


def unit_label(unit: OrgUnit) -> str:
    # Indent by depth so the drop-down reads as the organisation chart.
    return "\u2003" * unit.depth + unit.name


class _Bounded:
    """Mixin for Select widgets over a model queryset: draw a bounded slice of the choices."""

    truncated = False
    key = "pk"
    choices: Any
    # The options inline, not one template include each (a fifth of the rendering time).
    template_name = "accounts/widgets/bounded_select.html"

    def _bounded_choices(self, iterator: ModelChoiceIterator, value: list[str]) -> list[Any]:
        field = iterator.field
        self.key = field.to_field_name or "pk"
        rows = list(iterator.queryset[: UNIT_OPTIONS_LIMIT + 1])
        self.truncated = len(rows) > UNIT_OPTIONS_LIMIT
        rows = rows[:UNIT_OPTIONS_LIMIT]
        drawn = {str(getattr(row, self.key)) for row in rows}
        chosen = [v for v in value if v and v not in drawn]
        if self.key == "pk":
            chosen = [v for v in chosen if str(v).isdigit()]
        if chosen:
            rows += list(iterator.queryset.filter(**{f"{self.key}__in": chosen}))
        choices: list[Any] = []
        if field.empty_label is not None:
            choices.append(("", field.empty_label))
        choices.extend(iterator.choice(row) for row in rows)
        return choices

    def optgroups(self, name: str, value: list[str], attrs: Any = None) -> Any:
        choices = self.choices
        if not isinstance(choices, ModelChoiceIterator):
            return super().optgroups(name, value, attrs)  # type: ignore[misc]
        self.choices = self._bounded_choices(choices, value)
        try:
            return super().optgroups(name, value, attrs)  # type: ignore[misc]
        finally:
            self.choices = choices

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(name, value, attrs)  # type: ignore[misc]
        if self.truncated:
            widget_attrs = context["widget"]["attrs"]
            widget_attrs["data-unit-search"] = reverse("unit-search")
            widget_attrs["data-unit-limit"] = str(UNIT_OPTIONS_LIMIT)
            widget_attrs["data-unit-key"] = "code" if self.key == "code" else "id"
        return context


class BoundedUnitSelect(_Bounded, forms.Select):
    pass


class BoundedUnitSelectMultiple(_Bounded, forms.SelectMultiple):
    pass


class UnitChoiceField(forms.ModelChoiceField[OrgUnit]):
    widget = BoundedUnitSelect

    def label_from_instance(self, obj: OrgUnit) -> str:
        return unit_label(obj)


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField[OrgUnit]):
    widget = BoundedUnitSelectMultiple

    def label_from_instance(self, obj: OrgUnit) -> str:
        return unit_label(obj)
