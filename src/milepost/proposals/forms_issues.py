"""Forms of the business issues register and the consultancy pages.

The forms only parse and offer choices; the services check the rules, and their errors are put
back on the fields (`milepost.lib.form_errors.add_service_errors`).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet

from milepost.clients.models import Client, Contact, Interaction
from milepost.frameworks.forms import competency_label
from milepost.frameworks.models import Competency
from milepost.lib.widgets import date_input
from milepost.needs.forms import AddCompetencyForm
from milepost.proposals.models import (
    TITLE_MAX,
    BusinessIssue,
    EngagementStatus,
    IssueStatus,
    Priority,
)


def _client_choices(clients: Iterable[Client], empty: str) -> list[tuple[str, str]]:
    return [("", empty), *((str(client.pk), client.name) for client in clients)]


def _contact_label(contact: Contact) -> str:
    return f"{contact.name} ({contact.client.name})"


class ContactChoiceField(forms.ModelChoiceField[Contact]):
    def label_from_instance(self, obj: Contact) -> str:
        return _contact_label(obj)


# --- the register ---------------------------------------------------------------------------


class IssueFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Issue or client"}),
    )
    client = forms.TypedChoiceField(label="Client", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *IssueStatus.choices]
    )
    priority = forms.TypedChoiceField(
        label="Priority",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any priority"), *Priority.choices],
    )
    owner = forms.TypedChoiceField(label="Owner", required=False, coerce=int, empty_value=None)

    def __init__(
        self, *args: Any, clients: Iterable[Client], owners: Iterable[Contact], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].choices = _client_choices(clients, "Any client")  # type: ignore[attr-defined]
        self.fields["owner"].choices = [  # type: ignore[attr-defined]
            ("", "Anyone"),
            *((str(contact.pk), _contact_label(contact)) for contact in owners),
        ]


class IssueForm(forms.Form):
    """A new issue (with its client) or an existing one (its client stays)."""

    client = forms.ModelChoiceField(label="Client", queryset=Client.objects.none())
    title = forms.CharField(
        label="The issue, in business terms",
        max_length=TITLE_MAX,
        help_text="e.g. 'Motor claims complaints up 30 % since the new policy wording'.",
    )
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    owner = ContactChoiceField(
        label="Owner at the client",
        queryset=Contact.objects.none(),
        required=False,
        empty_label="Nobody named yet",
    )
    priority = forms.TypedChoiceField(
        label="Priority", coerce=int, choices=Priority.choices, initial=Priority.MEDIUM
    )

    def __init__(
        self,
        *args: Any,
        clients: list[Client] | None,
        contacts: QuerySet[Contact],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if clients is None:  # editing: the client stays
            del self.fields["client"]
        else:
            field = self.fields["client"]
            field.queryset = Client.objects.filter(pk__in=[c.pk for c in clients]).order_by(  # type: ignore[attr-defined]
                "name"
            )
        self.fields["owner"].queryset = contacts.select_related("client")  # type: ignore[attr-defined]


class MetricForm(forms.Form):
    name = forms.CharField(label="Measure", max_length=200, help_text="e.g. complaints a month")
    unit = forms.CharField(label="Unit", max_length=50, required=False)
    # Text, not DecimalField: the service reads the number and says what is wrong with it.
    baseline_value = forms.CharField(label="Baseline value", max_length=40, required=False)
    baseline_on = forms.DateField(label="Baseline date", required=False, widget=date_input())
    target_value = forms.CharField(label="Target value", max_length=40, required=False)
    target_on = forms.DateField(label="Target date", required=False, widget=date_input())
    data_source = forms.CharField(label="Data source", max_length=200, required=False)


class IssueStatusForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=IssueStatus.choices)
    reason = forms.CharField(
        label="Why dropped",
        required=False,
        help_text="Needed when the issue is dropped.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PromoteNeedForm(forms.Form):
    title = forms.CharField(
        label="The issue, in business terms",
        required=False,
        max_length=TITLE_MAX,
        help_text="Left empty: the need's business issue, or its title.",
    )


class PromoteThemeForm(forms.Form):
    client = forms.ModelChoiceField(label="Client", queryset=Client.objects.none())
    title = forms.CharField(
        label="The issue, in business terms",
        required=False,
        max_length=TITLE_MAX,
        help_text="Left empty: the theme's title.",
    )

    def __init__(self, *args: Any, clients: list[Client], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = Client.objects.filter(  # type: ignore[attr-defined]
            pk__in=[c.pk for c in clients]
        ).order_by("name")


# --- engagements ----------------------------------------------------------------------------


class EngagementFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Title, client or goal"}),
    )
    client = forms.TypedChoiceField(label="Client", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *EngagementStatus.choices]
    )

    def __init__(self, *args: Any, clients: Iterable[Client], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].choices = _client_choices(clients, "Any client")  # type: ignore[attr-defined]


class IssueChoiceField(forms.ModelMultipleChoiceField[BusinessIssue]):
    def label_from_instance(self, obj: BusinessIssue) -> str:
        return f"{obj.title} ({obj.client.name})"


class EngagementForm(forms.Form):
    client = forms.ModelChoiceField(label="Client", queryset=Client.objects.none())
    title = forms.CharField(label="Title", max_length=TITLE_MAX)
    sponsor = ContactChoiceField(
        label="Sponsor (the engaged manager)",
        queryset=Contact.objects.none(),
        required=False,
        empty_label="Nobody named yet",
    )
    issues = IssueChoiceField(
        label="Business issues",
        queryset=BusinessIssue.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="One or more of the client's issues.",
    )

    def __init__(
        self,
        *args: Any,
        clients: list[Client],
        contacts: QuerySet[Contact],
        issues: QuerySet[BusinessIssue],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = Client.objects.filter(  # type: ignore[attr-defined]
            pk__in=[c.pk for c in clients]
        ).order_by("name")
        self.fields["sponsor"].queryset = contacts.select_related("client")  # type: ignore[attr-defined]
        self.fields["issues"].queryset = issues.select_related("client")  # type: ignore[attr-defined]


def _text(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CompetencyKeepField(forms.ModelMultipleChoiceField[Competency]):
    def label_from_instance(self, obj: Competency) -> str:
        return competency_label(obj)


class AnalysisForm(forms.Form):
    """The performance analysis: goal, should versus actual, causes, non-training options."""

    business_goal = _text(
        "The measurable business goal", "e.g. complaints down from 120 to 80 a month by June."
    )
    should_do = _text("What people should be doing")
    actually_do = _text("What they actually do")
    capability = CompetencyKeepField(
        label="Capability causes (skills and knowledge)",
        queryset=Competency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Untick a competency to take it off.",
    )
    # The same live picker as the need page's (needs.forms), under this form's own name.
    add_competency = copy.deepcopy(AddCompetencyForm.base_fields["competency"])
    capability_notes = _text("Notes on capability")
    cause_tools = _text("Environment: tools")
    cause_process = _text("Environment: process")
    cause_incentives = _text("Environment: incentives")
    cause_information = _text("Environment: information")
    non_training_options = _text(
        "Non-training options considered", "Job aids, process changes, incentives, feedback..."
    )

    def __init__(self, *args: Any, current: QuerySet[Competency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["capability"].queryset = current.select_related("framework")  # type: ignore[attr-defined]

    def chosen_capability(self) -> list[Competency]:
        chosen = list(self.cleaned_data["capability"])
        added = self.cleaned_data.get("add_competency")
        if added is not None and added not in chosen:
            chosen.append(added)
        return chosen

    def analysis(self) -> dict[str, str]:
        skip = {"capability", "add_competency"}
        return {name: value for name, value in self.cleaned_data.items() if name not in skip}


class SessionChoiceField(forms.ModelChoiceField[Interaction]):
    def label_from_instance(self, obj: Interaction) -> str:
        return f"{obj.occurred_at:%d %b %Y}: {obj.summary[:80]}"


class SessionForm(forms.Form):
    interaction = SessionChoiceField(
        label="Consultancy session", queryset=Interaction.objects.none()
    )

    def __init__(self, *args: Any, sessions: QuerySet[Interaction], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["interaction"].queryset = sessions  # type: ignore[attr-defined]
