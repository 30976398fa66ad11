from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from milepost.accounts.models import OrgUnit
from milepost.accounts.unit_fields import UnitChoiceField
from milepost.frameworks.models import Competency, JobProfile
from milepost.lib.widgets import date_input
from milepost.people.models import Assessment


class EmployeeFilterForm(forms.Form):
    """Search and filters of the employee list (GET)."""

    ACTIVE_CHOICES = [("", "Active and inactive"), ("1", "Active only"), ("0", "Inactive only")]

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Name, employee ID, email or job title"}
        ),
    )
    unit = UnitChoiceField(
        label="Unit (and units below)",
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label="All units",
    )
    job_profile = forms.ModelChoiceField(
        label="Job profile",
        queryset=JobProfile.objects.none(),
        required=False,
        empty_label="All job profiles",
    )
    active = forms.ChoiceField(label="Status", choices=ACTIVE_CHOICES, required=False)

    def __init__(
        self,
        *args: Any,
        units: QuerySet[OrgUnit],
        job_profiles: QuerySet[JobProfile],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["job_profile"].queryset = job_profiles  # type: ignore[attr-defined]

    @property
    def active_value(self) -> bool | None:
        value = self.cleaned_data.get("active", "")
        return None if value == "" else value == "1"


class AssessmentForm(forms.Form):
    """Record one assessment; the competency is one of those on the employee's page."""

    competency = forms.TypedChoiceField(label="Competency", coerce=int)
    kind = forms.ChoiceField(label="Kind of assessment", choices=Assessment.Kind.choices)
    level = forms.IntegerField(label="Level", min_value=0)
    assessed_on = forms.DateField(
        label="Assessed on",
        # <input type="date"> only takes ISO dates, whatever the display locale.
        widget=date_input(),
    )
    note = forms.CharField(
        label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(
        self,
        *args: Any,
        competencies: Iterable[Competency],
        kinds: Iterable[str],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {"assessed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.competencies = {competency.pk: competency for competency in competencies}
        scales = {competency.framework.scale for competency in self.competencies.values()}
        self.fields["level"].help_text = "; ".join(
            f"{scale.name}: {scale.min_level} to {scale.max_level}"
            for scale in sorted(scales, key=lambda scale: scale.name)
        )
        if len(scales) == 1:
            (scale,) = scales
            self.fields["level"].widget.attrs.update(min=scale.min_level, max=scale.max_level)
        self.fields["competency"].choices = [  # type: ignore[attr-defined]
            (pk, competency.name) for pk, competency in self.competencies.items()
        ]
        # Validation accepts every kind so the service can answer "not allowed" (403);
        # the drop-down only offers the kinds this user may record.
        allowed = set(kinds)
        self.fields["kind"].widget.choices = [
            (value, label) for value, label in Assessment.Kind.choices if value in allowed
        ]

    @property
    def selected_competency(self) -> Competency:
        return self.competencies[self.cleaned_data["competency"]]


class AgreedChangeForm(forms.Form):
    """Propose a new level for a competency whose level was agreed."""

    competency = forms.TypedChoiceField(label="Agreed competency", coerce=int)
    to_level = forms.IntegerField(label="New level", min_value=0)
    reason = forms.CharField(
        label="Reason",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why the agreed level should change; the other party sees it before agreeing.",
    )

    def __init__(self, *args: Any, agreed: Iterable[tuple[Competency, int]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agreed = list(agreed)
        self.competencies = {competency.pk: competency for competency, _ in agreed}
        self.fields["competency"].choices = [  # type: ignore[attr-defined]
            (competency.pk, f"{competency.name} (agreed at {level})")
            for competency, level in agreed
        ]

    @property
    def selected_competency(self) -> Competency:
        return self.competencies[self.cleaned_data["competency"]]
