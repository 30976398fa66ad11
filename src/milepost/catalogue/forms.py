"""Forms for searching and editing the catalogue. Business rules stay in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import BaseFormSet, formset_factory

from milepost.catalogue.models import (
    MAX_PLACES_PER_RUN,
    Course,
    LevelFramework,
    Modality,
    ProviderKind,
    Qualification,
)
from milepost.frameworks.forms import ACTIVE_CHOICES, CompetencyPickerField, RequirementForm
from milepost.frameworks.models import JobProfile

# The same live-suggestion text box as the job profile editor.
PICKER_WIDGET = RequirementForm.base_fields["competency"].widget


def _picker(label: str = "Competency", required: bool = True) -> CompetencyPickerField:
    return CompetencyPickerField(
        label=label,
        max_length=500,
        required=required,
        help_text="Type part of a name, then pick a suggestion.",
        widget=PICKER_WIDGET,
    )


class _ActiveFilter(forms.Form):
    def active_filter(self) -> bool | None:
        value = self.cleaned_data.get("active") if self.is_valid() else ""
        return {"yes": True, "no": False}.get(value or "")


class CourseSearchForm(_ActiveFilter):
    q = forms.CharField(
        label="Search courses",
        required=False,
        max_length=200,
        help_text="Searches codes, titles and summaries.",
    )
    modality = forms.ChoiceField(
        choices=[("", "All modalities"), *Modality.choices], required=False
    )
    provider_kind = forms.ChoiceField(
        label="Provider",
        choices=[("", "Internal and external"), *ProviderKind.choices],
        required=False,
    )
    competency = _picker("Raises competency", required=False)
    active = forms.ChoiceField(choices=ACTIVE_CHOICES, required=False, label="Status")


class QualificationSearchForm(_ActiveFilter):
    q = forms.CharField(
        label="Search qualifications",
        required=False,
        max_length=200,
        help_text="Searches codes, titles, summaries and awarding bodies.",
    )
    level_framework = forms.ChoiceField(
        label="Level framework",
        choices=[("", "RQF and EQF"), *LevelFramework.choices],
        required=False,
    )
    competency = _picker("Raises competency", required=False)
    active = forms.ChoiceField(choices=ACTIVE_CHOICES, required=False, label="Status")


class CourseForm(forms.Form):
    code = forms.CharField(max_length=64, help_text="A short unique code, e.g. CLM-101.")
    title = forms.CharField(max_length=300)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    modality = forms.ChoiceField(choices=Modality.choices)
    duration_hours = forms.DecimalField(
        label="Duration (hours)", min_value=0, max_digits=7, decimal_places=2
    )
    cost_per_person = forms.DecimalField(min_value=0, max_digits=10, decimal_places=2)
    cost_per_run = forms.DecimalField(
        min_value=0, max_digits=10, decimal_places=2, help_text="Fixed cost of one run."
    )
    places_per_run = forms.IntegerField(
        label="Places per run",
        min_value=1,
        max_value=MAX_PLACES_PER_RUN,
        required=False,
        help_text="How many people one run takes; leave empty for no limit (e.g. online).",
    )
    provider_kind = forms.ChoiceField(label="Provider", choices=ProviderKind.choices)
    provider_name = forms.CharField(max_length=200, required=False)
    audience = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    prerequisites = forms.ModelMultipleChoiceField(
        queryset=Course.objects.order_by("title"),
        required=False,
        help_text="Courses to complete first (hold Ctrl or Cmd to pick several).",
    )
    is_active = forms.BooleanField(label="Active", required=False, initial=True)

    def __init__(self, *args: Any, exclude_pk: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if exclude_pk is not None:
            field = self.fields["prerequisites"]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = Course.objects.exclude(pk=exclude_pk).order_by("title")


class QualificationForm(forms.Form):
    code = forms.CharField(max_length=64)
    title = forms.CharField(max_length=300)
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    awarding_body = forms.CharField(max_length=200)
    level_framework = forms.ChoiceField(choices=LevelFramework.choices)
    level = forms.IntegerField(min_value=1, max_value=8)
    credits = forms.IntegerField(min_value=0, required=False)
    guided_learning_hours = forms.IntegerField(min_value=0, required=False)
    funding_eligible = forms.BooleanField(required=False)
    funding_note = forms.CharField(max_length=300, required=False)
    validity_months = forms.IntegerField(
        min_value=1, required=False, help_text="Leave empty if the qualification does not expire."
    )
    renewal = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    cost_per_person = forms.DecimalField(min_value=0, max_digits=10, decimal_places=2)
    is_active = forms.BooleanField(label="Active", required=False, initial=True)


class OutcomeForm(forms.Form):
    competency = _picker()
    raises_to_level = forms.IntegerField(min_value=0, max_value=100)
    description = forms.CharField(max_length=1000, required=False)


OutcomeFormSet: type[BaseFormSet[OutcomeForm]] = formset_factory(
    OutcomeForm, extra=3, can_delete=True
)


class TrackForm(forms.Form):
    code = forms.CharField(max_length=64)
    title = forms.CharField(max_length=300)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    job_profile = forms.ModelChoiceField(
        label="Target job profile",
        queryset=JobProfile.objects.filter(is_active=True).order_by("title"),
        required=False,
        empty_label="No particular job profile",
    )
    enforce_order = forms.BooleanField(
        label="Enforce the order of steps",
        required=False,
        help_text="Each course's prerequisites must then come at earlier steps.",
    )
    is_active = forms.BooleanField(label="Active", required=False, initial=True)


class TargetForm(forms.Form):
    competency = _picker("Target competency")


TargetFormSet: type[BaseFormSet[TargetForm]] = formset_factory(TargetForm, extra=2, can_delete=True)


class StepForm(forms.Form):
    """Pick one course or qualification for a new track step."""

    offer = forms.ChoiceField(label="Course or qualification")
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        courses = [
            (f"course:{pk}", f"{title} ({code})")
            for pk, code, title in Course.objects.filter(is_active=True)
            .order_by("title")
            .values_list("pk", "code", "title")
        ]
        qualifications = [
            (f"qualification:{pk}", f"{title} ({code})")
            for pk, code, title in Qualification.objects.filter(is_active=True)
            .order_by("title")
            .values_list("pk", "code", "title")
        ]
        self.fields["offer"].choices = [  # type: ignore[attr-defined]
            ("", "Pick one"),
            ("Courses", courses),
            ("Qualifications", qualifications),
        ]

    def picked(self) -> tuple[str, int]:
        kind, _, pk = self.cleaned_data["offer"].partition(":")
        return kind, int(pk)
