"""Forms of the proposal pages: the list's filters, a new proposal, a draft's text, its solution
items and cost lines, and the sponsor's answer.

The forms only parse and offer choices (each limited to the proposal's own client, so an id of
another client's issue, metric or contact is "not one of the available choices"); the services
check the rules and their errors are put back on the fields (`lib.form_errors`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from milepost.accounts.models import User
from milepost.catalogue.models import Course, Qualification, Track
from milepost.clients.forms import PersonChoiceField
from milepost.clients.models import Client, Contact
from milepost.frameworks.forms import CompetencyPickerField, competency_label, picker_input
from milepost.frameworks.models import Competency
from milepost.proposals import selectors
from milepost.proposals.evaluation_plan import LEVELS, join_plan, split_plan
from milepost.proposals.models import (
    TITLE_MAX,
    BusinessIssue,
    ItemKind,
    Metric,
    Proposal,
    ProposalItem,
    ProposalStatus,
)

TEXT_ROWS = {"rows": 3}
MONEY_HELP = "An amount in your currency, e.g. 12500 or 12,500.00."


def _metric_label(metric: Metric) -> str:
    return f"{metric.issue.title}: {metric.name}"


class ProposalFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Title, client or sponsor"}),
    )
    client = forms.TypedChoiceField(label="Client", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *ProposalStatus.choices]
    )
    rule = forms.ChoiceField(label="The rule", required=False, choices=selectors.RULE_CHOICES)

    def __init__(self, *args: Any, clients: QuerySet[Client], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].choices = [  # type: ignore[attr-defined]
            ("", "Any client"),
            *((client.pk, client.name) for client in clients),
        ]


class ClientChoiceForm(forms.Form):
    """The first step of a new proposal: whose it is."""

    client = forms.ModelChoiceField(queryset=Client.objects.none(), empty_label="Choose the client")

    def __init__(self, *args: Any, clients: QuerySet[Client], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = clients  # type: ignore[attr-defined]


class SponsorFields(forms.Form):
    """Title, issues and sponsor of a proposal, with the choices of its client."""

    title = forms.CharField(max_length=TITLE_MAX)
    issues = forms.ModelMultipleChoiceField(
        label="Business issues it addresses",
        queryset=BusinessIssue.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Record the client's issues on its business issues register first.",
    )
    sponsor_contact = forms.ModelChoiceField(
        label="Sponsor at the client",
        queryset=Contact.objects.none(),
        required=False,
        empty_label="No contact",
        help_text="They accept or decline it in their portal, so they need a portal login.",
    )
    sponsor_user = PersonChoiceField(
        label="Or an internal sponsor",
        queryset=User.objects.none(),
        required=False,
        empty_label="No colleague",
        help_text="For a business unit of the group: a line manager of the unit.",
    )

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issues"].queryset = selectors.client_issues(client)  # type: ignore[attr-defined]
        self.fields["sponsor_contact"].queryset = selectors.sponsor_contacts(client)  # type: ignore[attr-defined]
        if client.unit_id is None:
            del self.fields["sponsor_user"]
        else:
            self.fields["sponsor_user"].queryset = selectors.sponsor_colleagues(client)  # type: ignore[attr-defined]

    def sponsor(self) -> dict[str, Any]:
        return {
            "sponsor_contact": self.cleaned_data.get("sponsor_contact"),
            "sponsor_user": self.cleaned_data.get("sponsor_user"),
        }


class ProposalForm(SponsorFields):
    """A draft's text: what it addresses, for whom, the plan, the benefits and the risks."""

    learning_objectives = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What people will be able to do, one a line; per level if you plan by level.",
    )
    forecast_benefit = forms.CharField(
        label="Forecast benefit",
        required=False,
        max_length=30,
        help_text="The money the business gains in the first year. " + MONEY_HELP,
    )
    benefit_assumptions = forms.CharField(
        label="Assumptions behind the benefit",
        required=False,
        widget=forms.Textarea(attrs=TEXT_ROWS),
        help_text="How the metric's change turns into money, and how the programme's share is "
        "isolated from other causes.",
    )
    evaluation_notes = forms.CharField(
        label="Other notes on the evaluation",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    timeline = forms.CharField(required=False, widget=forms.Textarea(attrs=TEXT_ROWS))
    responsibilities = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs=TEXT_ROWS),
        help_text="Who does what: the training team, the sponsor, the managers, the learners.",
    )
    risks = forms.CharField(required=False, widget=forms.Textarea(attrs=TEXT_ROWS))

    def __init__(self, *args: Any, client: Client, **kwargs: Any) -> None:
        super().__init__(*args, client=client, **kwargs)
        for number, name, hint in LEVELS:
            self.fields[f"level_{number}"] = forms.CharField(
                label=f"Level {number}, {name}: how and when",
                required=False,
                max_length=500,
                help_text=hint + " Leave empty when this level will not be measured.",
            )

    @staticmethod
    def initial_for(proposal: Proposal) -> dict[str, Any]:
        levels, notes = split_plan(proposal.evaluation_plan)
        initial: dict[str, Any] = {
            "title": proposal.title,
            "issues": list(proposal.issues.all()),
            "sponsor_contact": proposal.sponsor_contact_id,
            "sponsor_user": proposal.sponsor_user_id,
            "forecast_benefit": proposal.forecast_benefit,
            "evaluation_notes": notes,
            **{f"level_{number}": how for number, how in levels.items()},
        }
        for name in (
            "learning_objectives",
            "benefit_assumptions",
            "timeline",
            "responsibilities",
            "risks",
        ):
            initial[name] = getattr(proposal, name)
        return initial

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        plan = join_plan(
            {number: data.get(f"level_{number}", "") for number, _, _ in LEVELS},
            data.get("evaluation_notes", ""),
        )
        return {
            "title": data["title"],
            "issues": list(data["issues"]),
            **self.sponsor(),
            "forecast_benefit": data["forecast_benefit"],
            "learning_objectives": data["learning_objectives"],
            "evaluation_plan": plan,
            "benefit_assumptions": data["benefit_assumptions"],
            "timeline": data["timeline"],
            "responsibilities": data["responsibilities"],
            "risks": data["risks"],
        }


class ItemForm(forms.Form):
    """A solution item: what it is, for how many, at what cost, and what it answers."""

    kind = forms.ChoiceField(choices=ItemKind.choices, initial=ItemKind.COURSE)
    course = forms.ModelChoiceField(
        queryset=Course.objects.none(), required=False, empty_label="Choose a course"
    )
    qualification = forms.ModelChoiceField(
        queryset=Qualification.objects.none(), required=False, empty_label="Choose a qualification"
    )
    track = forms.ModelChoiceField(
        queryset=Track.objects.none(), required=False, empty_label="Choose a training track"
    )
    title = forms.CharField(
        max_length=TITLE_MAX,
        required=False,
        help_text="For a bespoke event or a non-training action; a catalogue item's title is "
        "used when left empty.",
    )
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    people = forms.IntegerField(min_value=1, max_value=1_000_000, initial=1)
    cost = forms.CharField(
        label="Cost",
        required=False,
        max_length=30,
        help_text="Leave empty to price a course or qualification by the catalogue's costing "
        "rule. " + MONEY_HELP,
    )
    issues = forms.ModelMultipleChoiceField(
        label="Business issues it answers",
        queryset=BusinessIssue.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Name the business issue this item answers."},
    )
    metrics = forms.ModelMultipleChoiceField(
        label="Metrics it should move",
        queryset=Metric.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    competencies = forms.ModelMultipleChoiceField(
        label="Competencies it raises",
        queryset=Competency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    add_competency = CompetencyPickerField(
        label="Another competency it raises",
        max_length=500,
        required=False,
        help_text="Type part of a name, then pick a suggestion.",
        widget=picker_input(),
    )

    def __init__(
        self, *args: Any, proposal: Proposal, item: ProposalItem | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        client = proposal.client
        fields = self.fields
        # Any catalogue id is accepted, so that the service names a retired one ("... has been
        # retired; choose a current one"); the drop-downs offer the current ones, and the
        # item's own.
        for kind, offered in (
            ("course", selectors.active_courses()),
            ("qualification", selectors.active_qualifications()),
            ("track", selectors.active_tracks()),
        ):
            field = fields[kind]
            field.queryset = offered.model.objects.all()  # type: ignore[attr-defined]
            kept = getattr(item, kind) if item is not None else None
            choices = [(offer.pk, str(offer)) for offer in offered]
            if kept is not None and not kept.is_active:
                choices.append((kept.pk, f"{kept} (retired)"))
            field.widget.choices = [("", field.empty_label), *choices]  # type: ignore[attr-defined]
        fields["issues"].queryset = selectors.client_issues(client)  # type: ignore[attr-defined]
        fields["metrics"].queryset = selectors.client_metrics(client)  # type: ignore[attr-defined]
        fields["metrics"].label_from_instance = _metric_label  # type: ignore[attr-defined]
        fields["competencies"].queryset = selectors.suggested_competencies(proposal)  # type: ignore[attr-defined]
        fields["competencies"].label_from_instance = competency_label  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(item: ProposalItem) -> dict[str, Any]:
        return {
            "kind": item.kind,
            "course": item.course_id,
            "qualification": item.qualification_id,
            "track": item.track_id,
            "title": item.title,
            "description": item.description,
            "people": item.people,
            "cost": item.cost,
            "issues": list(item.issues.all()),
            "metrics": list(item.metrics.all()),
            "competencies": list(item.competencies.all()),
        }

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        competencies = list(data["competencies"])
        if data.get("add_competency") is not None:
            competencies.append(data["add_competency"])
        return {
            "kind": data["kind"],
            "course": data["course"],
            "qualification": data["qualification"],
            "track": data["track"],
            "title": data["title"],
            "description": data["description"],
            "people": data["people"],
            "cost": data["cost"],
            "issues": list(data["issues"]),
            "metrics": list(data["metrics"]),
            "competencies": competencies,
        }


class CostLineForm(forms.Form):
    label = forms.CharField(
        label="What the cost is for",
        max_length=200,
        help_text="Facilitator, venue, materials, travel, participants' time, evaluation...",
    )
    amount = forms.CharField(max_length=30, help_text=MONEY_HELP)


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why you decline it",
        max_length=2000,
        widget=forms.Textarea(attrs=TEXT_ROWS),
        error_messages={"required": "Say why the proposal is declined."},
        help_text="The training team reads this to make a better proposal.",
    )


class WithdrawForm(forms.Form):
    note = forms.CharField(label="Why it is withdrawn", required=False, max_length=2000)
