from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse_lazy

from milepost.accounts.models import OrgUnit
from milepost.accounts.unit_fields import UnitChoiceField
from milepost.clients.models import Client
from milepost.frameworks.forms import CompetencyPickerField, picker_input
from milepost.frameworks.models import Competency
from milepost.lib.widgets import date_input
from milepost.needs.models import DESCRIPTION_MAX, DemandTheme, Impact, Source, Status, Urgency


class NeedForm(forms.Form):
    """Intake: the need in the requester's own words."""

    title = forms.CharField(
        max_length=200,
        help_text="A short summary, e.g. “Handling angry callers after the policy change”.",
    )
    description = forms.CharField(
        label="What do people need?",
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(
            attrs={
                "rows": 5,
                "hx-post": reverse_lazy("needs:need-suggest"),
                "hx-trigger": "input changed delay:600ms",
                "hx-target": "#live-suggestions",
                "hx-sync": "this:replace",
                "hx-include": "[name=title]",
            }
        ),
        help_text="In your own words: what people struggle with, since when, and what good "
        "would look like.",
    )
    business_issue = forms.CharField(
        label="Business issue behind it",
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The problem or goal this is about, e.g. “complaints up 30% since April”.",
    )
    unit = UnitChoiceField(
        label="Unit with the need",
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label="Choose a unit",
    )
    people_affected = forms.IntegerField(min_value=1, max_value=1_000_000, initial=1)
    urgency = forms.TypedChoiceField(choices=Urgency.choices, coerce=int, initial=Urgency.MEDIUM)
    impact = forms.TypedChoiceField(
        label="Impact on the business", choices=Impact.choices, coerce=int, initial=Impact.MODERATE
    )
    wanted_by = forms.DateField(required=False, widget=date_input(), label="Wanted by")
    # Set by "Send it anyway" after the warning that the requester sent a need like this.
    send_anyway = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        field.queryset = units  # type: ignore[attr-defined]
        if not units.exists():
            # Employer contacts raise needs for their own organisation, not an internal unit.
            del self.fields["unit"]


class NeedFilterForm(forms.Form):
    STATUS_CHOICES = [("", "Any status"), ("open", "Open"), *Status.choices]

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Words in the need"}),
    )
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False)
    unit = UnitChoiceField(
        label="Unit (and units below)",
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label="All units",
    )
    source = forms.ChoiceField(choices=[("", "Any source"), *Source.choices], required=False)
    client = forms.ModelChoiceField(
        label="Client", queryset=Client.objects.none(), required=False, empty_label="All clients"
    )

    def __init__(
        self, *args: Any, units: QuerySet[OrgUnit], clients: QuerySet[Client], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = clients  # type: ignore[attr-defined]
        if not units.exists():
            del self.fields["unit"]  # employer contacts see no internal unit
            return
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class StatusForm(forms.Form):
    # Withdrawing is the requester's own step (needs/<id>/withdraw/), not a triage move.
    status = forms.ChoiceField(
        label="New status",
        choices=[(value, label) for value, label in Status.choices if value != Status.WITHDRAWN],
    )
    note = forms.CharField(
        label="Note to the requester",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when declining: the requester sees the reason.",
    )

    def __init__(self, *args: Any, allowed: Iterable[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if allowed is not None:
            offered = set(allowed)
            field = self.fields["status"]
            field.choices = [  # type: ignore[attr-defined]
                (value, label)
                for value, label in Status.choices
                if value in offered and value != Status.WITHDRAWN
            ]


class AddCompetencyForm(forms.Form):
    competency = CompetencyPickerField(
        label="Add a competency",
        max_length=500,
        required=False,
        help_text="Type part of a name, then pick a suggestion.",
        widget=picker_input(),
    )


class ThemeChoiceForm(forms.Form):
    theme = forms.ModelChoiceField(
        label="Theme",
        queryset=DemandTheme.objects.order_by("title"),
        required=False,
        empty_label="No theme",
    )
    new_theme = forms.CharField(label="Or start a new theme", required=False, max_length=200)


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label="Why (optional)",
        required=False,
        max_length=1000,
        widget=forms.TextInput(attrs={"placeholder": "e.g. sent twice"}),
    )


class ThemeForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


# --- the demand board, priority weights and training plan -----------------------------------


class BoardFilterForm(forms.Form):
    # "all" rather than "" so a bare ?page=2 still means the default, open needs.
    STATUS_CHOICES = [("open", "Open needs"), ("all", "Any status"), *Status.choices]

    unit = UnitChoiceField(
        label="Unit (and units below)",
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label="All units",
    )
    competency = forms.ModelChoiceField(
        label="Competency",
        queryset=Competency.objects.none(),
        required=False,
        empty_label="All competencies",
    )
    client = forms.ModelChoiceField(
        label="Client", queryset=Client.objects.none(), required=False, empty_label="All clients"
    )
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False)
    gaps = forms.BooleanField(label="Only gaps in the catalogue", required=False)

    def __init__(
        self,
        *args: Any,
        units: QuerySet[OrgUnit],
        competencies: QuerySet[Competency],
        clients: QuerySet[Client],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["competency"].queryset = competencies  # type: ignore[attr-defined]
        self.fields["client"].queryset = clients  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        """The board's filters from the cleaned form."""
        status = self.cleaned_data["status"] or "open"
        competency = self.cleaned_data["competency"]
        client = self.cleaned_data["client"]
        return {
            "unit": self.cleaned_data["unit"],
            "client_id": client.pk if client is not None else None,
            "competency_id": competency.pk if competency is not None else None,
            "status": "" if status == "all" else status,
            "gaps_only": self.cleaned_data["gaps"],
        }


def _weight_field(label: str, help_text: str) -> forms.FloatField:
    return forms.FloatField(
        label=label,
        min_value=0,
        max_value=100,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )


class WeightsForm(forms.Form):
    impact = _weight_field("Impact", "How much the business loses if nothing is done.")
    urgency = _weight_field("Urgency", "How urgent the requesters say it is, or how near the date.")
    people = _weight_field("People affected", "How many people the need is about.")
    breadth = _weight_field("Breadth", "How many units ask for the same thing (themes).")


class PushTrainingForm(forms.Form):
    title = forms.CharField(max_length=200, label="Training")
    unit = UnitChoiceField(
        label="For unit", queryset=OrgUnit.objects.none(), required=False, empty_label="Any unit"
    )
    starts_on = forms.DateField(label="Starts on", required=False, widget=date_input())
    note = forms.CharField(label="Why", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
