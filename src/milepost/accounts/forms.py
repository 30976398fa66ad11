"""Forms for accounts: a new API token, the notification settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from milepost.accounts.models import ApiToken

NEVER = "never"


def lifetime_choices() -> list[tuple[str, str]]:
    days = sorted({7, 30, 90, 365} | ({settings.API_TOKEN_LIFETIME_DAYS} - {0}))
    return [(str(d), f"{d} days") for d in days] + [(NEVER, "Never (until revoked)")]


class ApiTokenForm(forms.Form):
    name = forms.CharField(max_length=100, required=False, label="Token name")
    scope = forms.ChoiceField(
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
        label="Access",
    )
    lifetime = forms.ChoiceField(label="Expires after", choices=lifetime_choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lifetime"].initial = str(settings.API_TOKEN_LIFETIME_DAYS or NEVER)

    @property
    def lifetime_days(self) -> int | None:
        value = self.cleaned_data["lifetime"]
        return None if value == NEVER else int(value)


class SecondFactorCodeForm(forms.Form):
    code = forms.CharField(
        max_length=20,
        label="Code",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class NotificationSettingsForm(forms.Form):
    email_notifications = forms.BooleanField(
        required=False,
        label="Also send each notification to my email address",
    )
