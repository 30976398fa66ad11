from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet

from milepost.accounts.models import OrgUnit
from milepost.accounts.unit_fields import (
    BoundedUnitSelectMultiple,
    UnitChoiceField,
    UnitMultipleChoiceField,
)
from milepost.frameworks.models import Competency, JobProfile
from milepost.lib.widgets import date_input
from milepost.people.models import Assessment
from milepost.reviews.models import DevelopmentPlanItem, ReviewParticipant
from milepost.reviews.services import Rating

# --- review cycles, objectives, development plans --------------------------------------------

DATE_WIDGET = date_input()


class ReviewCycleForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    opens_on = forms.DateField(label="Opens on", widget=DATE_WIDGET)
    self_assessment_due = forms.DateField(label="Self-assessments due", widget=DATE_WIDGET)
    manager_assessment_due = forms.DateField(label="Manager assessments due", widget=DATE_WIDGET)
    closes_on = forms.DateField(label="Closes on", widget=DATE_WIDGET)
    units = UnitMultipleChoiceField(
        label="Units (each with the units below it)",
        queryset=OrgUnit.objects.none(),
        required=False,
        widget=BoundedUnitSelectMultiple(attrs={"size": 8}),
    )
    job_profiles = forms.ModelMultipleChoiceField(
        label="Job profiles",
        queryset=JobProfile.objects.none(),
        required=False,
        help_text="Choose units, job profiles or both (then: people in the units holding them).",
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(
        self,
        *args: Any,
        units: QuerySet[OrgUnit],
        job_profiles: QuerySet[JobProfile],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["units"]
        unit_field.queryset = units  # type: ignore[attr-defined]
        self.fields["job_profiles"].queryset = job_profiles  # type: ignore[attr-defined]


class RatingsForm(forms.Form):
    """A whole rating sheet: a level and a comment for each competency of the review."""

    def __init__(self, *args: Any, lines: Iterable[Any], kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.rows = []
        for line in lines:
            scale = line.scale
            previous = line.ratings.get(kind) or (
                line.manager_rating if kind == Assessment.Kind.AGREED else None
            )
            # A drop-down of the scale's named levels; the field itself takes any integer, so
            # a level off the scale (a hand-made request) gets the service's message.
            names = {level.value: level.name for level in scale.levels.all()}
            options = [
                (value, f"{value} {names[value]}" if value in names else str(value))
                for value in range(scale.min_level, scale.max_level + 1)
            ]
            level = forms.IntegerField(
                label=f"{line.competency.name}: level ({scale.min_level}-{scale.max_level})",
                initial=previous.level if previous else None,
                widget=forms.Select(choices=[("", "Choose…"), *options]),
            )
            comment = forms.CharField(
                label=f"{line.competency.name}: comment",
                required=False,
                max_length=2000,
                initial=previous.note if previous and kind != Assessment.Kind.AGREED else "",
                widget=forms.TextInput(),
            )
            level_name, comment_name = (
                f"level_{line.competency.pk}",
                f"comment_{line.competency.pk}",
            )
            self.fields[level_name] = level
            self.fields[comment_name] = comment
            self.rows.append((line, level_name, comment_name))

    def bound_rows(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        return [(line, self[level], self[comment]) for line, level, comment in self.rows]

    def ratings(self) -> list[Rating]:
        return [
            Rating(
                competency_id=line.competency.pk,
                level=self.cleaned_data[level],
                comment=self.cleaned_data[comment],
            )
            for line, level, comment in self.rows
        ]


class ObjectiveForm(forms.Form):
    title = forms.CharField(label="Objective", max_length=300)
    weight = forms.IntegerField(label="Weight (%)", min_value=1, max_value=100)
    due_on = forms.DateField(label="Due on", required=False, widget=DATE_WIDGET)
    description = forms.CharField(
        label="How it is measured", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ObjectiveProgressForm(forms.Form):
    progress = forms.IntegerField(label="Progress (%)", min_value=0, max_value=100)


class DevelopmentItemForm(forms.Form):
    competency = forms.TypedChoiceField(label="Competency", coerce=int)
    target_level = forms.IntegerField(label="Target level", min_value=0)
    action = forms.CharField(label="Action", max_length=500, help_text="A course, a project...")
    due_on = forms.DateField(label="Due on", required=False, widget=DATE_WIDGET)

    def __init__(self, *args: Any, competencies: Iterable[Competency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.competencies = {competency.pk: competency for competency in competencies}
        self.fields["competency"].choices = [  # type: ignore[attr-defined]
            (pk, competency.name) for pk, competency in self.competencies.items()
        ]

    @property
    def selected_competency(self) -> Competency:
        return self.competencies[self.cleaned_data["competency"]]


class DevelopmentStatusForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=DevelopmentPlanItem.Status.choices)


class ParticipantFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Name or employee ID"}),
    )
    stage = forms.ChoiceField(
        label="Stage",
        required=False,
        choices=[("", "Any stage"), *ReviewParticipant.Stage.choices],
    )
    unit = UnitChoiceField(
        label="Unit (and units below)",
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label="All units",
    )

    def __init__(self, *args: Any, units: QuerySet[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
