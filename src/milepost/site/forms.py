"""Forms of the site-wide pages: the audit trail's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Model
from django.utils.text import capfirst

from milepost.accounts import audit
from milepost.lib.widgets import date_input


def _model_key(model: type[Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


class AuditFilterForm(forms.Form):
    model = forms.ChoiceField(label="Record", required=False)
    kind = forms.ChoiceField(label="Kind", choices=[("", "Any kind"), *audit.KINDS], required=False)
    actor = forms.CharField(
        label="Who",
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "User name or e-mail"}),
    )
    since = forms.DateField(label="From", required=False, widget=date_input())
    until = forms.DateField(label="To", required=False, widget=date_input())
    q = forms.CharField(
        label="Object",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Words in its name"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._models = {_model_key(model): model for model in audit.audited_models()}
        named = [(key, capfirst(str(m._meta.verbose_name))) for key, m in self._models.items()]
        self.fields["model"].choices = [("", "Any record"), *named]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date is before the start date.")
        return cleaned

    def filters(self) -> dict[str, Any]:
        """The selector's keyword arguments (call once the form is valid)."""
        data = self.cleaned_data
        return {
            "model": self._models.get(data["model"]),
            "kind": data["kind"],
            "actor": data["actor"].strip(),
            "since": data["since"],
            "until": data["until"],
            "text": data["q"].strip(),
        }
