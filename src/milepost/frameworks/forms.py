"""Forms for searching and for editing job profiles. Business rules stay in services."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import Q
from django.forms import BaseFormSet, formset_factory
from django.urls import reverse_lazy

from milepost.frameworks.models import Competency, Framework, Importance, Source

ACTIVE_CHOICES = [("", "Active and inactive"), ("yes", "Active only"), ("no", "Inactive only")]
_PICKED_ID = re.compile(r"#(\d+)\s*$")


def competency_label(competency: Competency) -> str:
    """What a competency picker shows and sends back: "Name (CODE, Framework)", which
    names one competency (a code is unique within its framework)."""
    return f"{competency.name} ({competency.code}, {competency.framework.name})"


def _label_readings(text: str) -> list[tuple[str, str, str]]:
    """Every way `text` reads as "Name (CODE, Framework)" (names may hold brackets too)."""
    if not text.endswith(")"):
        return []
    readings = []
    start = text.find(" (")
    while start > 0:
        inside = text[start + 2 : -1]
        if ", " in inside:
            code, framework = inside.split(", ", 1)
            readings.append((text[:start], code, framework))
        start = text.find(" (", start + 1)
    return readings


class CompetencySearchForm(forms.Form):
    q = forms.CharField(
        label="Search competencies",
        required=False,
        max_length=200,
        help_text="Searches names, alternative labels and descriptions.",
    )
    framework = forms.ModelChoiceField(
        queryset=Framework.objects.order_by("name"),
        required=False,
        empty_label="All frameworks",
    )
    kind = forms.ChoiceField(choices=[("", "All kinds"), *Competency.Kind.choices], required=False)


class JobProfileSearchForm(forms.Form):
    q = forms.CharField(
        label="Search job profiles",
        required=False,
        max_length=200,
        help_text="Searches titles, codes and alternative titles.",
    )
    source = forms.ChoiceField(choices=[("", "All sources"), *Source.choices], required=False)
    active = forms.ChoiceField(choices=ACTIVE_CHOICES, required=False, label="Status")

    def active_filter(self) -> bool | None:
        value = self.cleaned_data.get("active") if self.is_valid() else ""
        return {"yes": True, "no": False}.get(value or "")


class JobProfileForm(forms.Form):
    title = forms.CharField(max_length=300)
    code = forms.CharField(
        max_length=255, help_text="A short unique identifier, e.g. CLAIMS-HANDLER."
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    alt_titles = forms.CharField(
        label="Alternative titles",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="One a line; search finds the profile by any of them.",
    )
    is_active = forms.BooleanField(label="Active", required=False, initial=True)


def picker_input() -> forms.TextInput:
    """The text box of a competency picker: live suggestions from `competency-options` into
    the page's `<datalist id="competency-options">`."""
    return forms.TextInput(
        attrs={
            "list": "competency-options",
            "autocomplete": "off",
            "hx-get": reverse_lazy("frameworks:competency-options"),
            "hx-trigger": "input changed delay:250ms",
            "hx-target": "#competency-options",
            "hx-sync": "this:replace",
        }
    )


class CompetencyPickerField(forms.CharField):
    """A text box fed by live suggestions; resolves what was typed to one competency.

    Accepts a suggestion ("Name (CODE, Framework)"), an older "... #123" label, an exact
    competency code, or an exact name that only one competency has.
    """

    def clean(self, value: Any) -> Competency | None:
        text = super().clean(value)
        if not text:
            return None
        competencies = Competency.objects.select_related("framework__scale")
        picked = _PICKED_ID.search(text)
        if picked:
            found = competencies.filter(pk=int(picked.group(1))).first()
            if found is None:
                raise forms.ValidationError(
                    f"No competency #{picked.group(1)}. Pick one from the suggestions."
                )
            return found
        readings = _label_readings(text)
        if readings:
            labelled = Q()
            for name, code, framework in readings:
                labelled |= Q(name=name, code=code, framework__name=framework)
            found_by_label = list(competencies.filter(labelled)[:2])
            if len(found_by_label) == 1:
                return found_by_label[0]
        matches = list(competencies.filter(code=text)[:2]) or list(
            competencies.filter(name__iexact=text)[:6]
        )
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise forms.ValidationError(
                f"No competency is called '{text}'. Type part of its name and pick a suggestion."
            )
        frameworks = ", ".join(sorted({match.framework.name for match in matches}))
        raise forms.ValidationError(
            f"'{text}' matches several competencies (in {frameworks}). "
            "Pick one from the suggestions."
        )


class RequirementForm(forms.Form):
    competency = CompetencyPickerField(
        max_length=500,
        help_text="Type part of a name, then pick a suggestion.",
        widget=picker_input(),
    )
    required_level = forms.IntegerField(min_value=0, max_value=100)
    importance = forms.TypedChoiceField(
        choices=Importance.choices, coerce=int, initial=Importance.MODERATE
    )
    essential = forms.TypedChoiceField(
        choices=[("yes", "Essential"), ("no", "Optional")],
        coerce=lambda value: value == "yes",
        initial="yes",
        label="Essential or optional",
    )


RequirementFormSet: type[BaseFormSet[RequirementForm]] = formset_factory(
    RequirementForm, extra=3, can_delete=True
)
