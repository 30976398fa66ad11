"""The booklet pages: the offer as an HTML page with its filters, and the same as a PDF."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from milepost.accounts.access import AnyUser
from milepost.accounts.http import AuthenticatedRequest
from milepost.accounts.models import OrgUnit
from milepost.catalogue.booklet import (
    Booklet,
    BookletOptions,
    BookletScopeError,
    build_booklet,
    render_booklet_pdf,
    visible_units,
)
from milepost.frameworks.models import JobProfile


class BookletForm(forms.Form):
    unit = forms.ModelChoiceField(
        queryset=OrgUnit.objects.none(),
        to_field_name="code",
        required=False,
        label="Business unit",
        help_text="Courses for the competencies this unit's job profiles require.",
    )
    job_profile = forms.ModelChoiceField(
        queryset=JobProfile.objects.filter(is_active=True).order_by("title"),
        to_field_name="code",
        required=False,
        label="Job profile",
    )
    audience = forms.CharField(required=False, max_length=200, label="Audience contains")
    prices = forms.BooleanField(required=False, label="Show prices")

    def __init__(self, *args: object, user: AnyUser, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        units: QuerySet[OrgUnit] = visible_units(user)
        if not units.exists():
            # An employer contact sees no internal unit: no empty filter to puzzle over.
            del self.fields["unit"]
            return
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "unit" not in self.fields and self.data.get("unit"):
            raise forms.ValidationError(
                {"__all__": "unit: your role sees no internal unit; leave the unit out."}
            )
        return cleaned

    def options(self) -> BookletOptions:
        if not self.is_valid():
            return BookletOptions()
        return BookletOptions(
            unit=self.cleaned_data.get("unit"),
            job_profile=self.cleaned_data["job_profile"],
            audience=self.cleaned_data["audience"],
            prices=self.cleaned_data["prices"],
        )


def _booklet(request: AuthenticatedRequest) -> tuple[BookletForm, Booklet]:
    form = BookletForm(request.GET or None, user=request.user)
    try:
        booklet = build_booklet(request.user, options=form.options())
    except BookletScopeError as error:
        raise Http404(str(error)) from error
    return form, booklet


def booklet(request: AuthenticatedRequest) -> HttpResponseBase:
    form, content = _booklet(request)
    query = request.GET.urlencode()
    return render(
        request,
        "catalogue/booklet.html",
        {"form": form, "booklet": content, "query": query},
    )


def booklet_pdf(request: AuthenticatedRequest) -> HttpResponseBase:
    form, content = _booklet(request)
    if form.is_bound and not form.is_valid():
        # A PDF cannot show the form's errors: refuse rather than print an unasked selection.
        errors = "; ".join(f"{name}: {' '.join(map(str, e))}" for name, e in form.errors.items())
        return HttpResponseBadRequest(f"The booklet selection is not valid: {errors}")
    response = HttpResponse(render_booklet_pdf(content), content_type="application/pdf")
    filename = f"milepost-booklet-{timezone.localdate():%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
