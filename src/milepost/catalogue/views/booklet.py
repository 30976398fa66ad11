"""The booklet pages: the offer as an HTML page with its filters, the same as a PDF printed in
the background (a progress page while it prints), and the kept PDF."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseBase, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from milepost.accounts.access import AnyUser
from milepost.accounts.http import AuthenticatedRequest, HtmxRequest
from milepost.accounts.models import OrgUnit
from milepost.catalogue.booklet import (
    Booklet,
    BookletOptions,
    BookletScopeError,
    build_booklet,
    visible_units,
)
from milepost.catalogue.models import BookletPrint
from milepost.catalogue.printing import print_options, request_booklet_print, visible_prints
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
    return render(request, "catalogue/booklet.html", {"form": form, "booklet": content})


def _pdf_response(booklet_print: BookletPrint) -> HttpResponse:
    assert booklet_print.pdf is not None
    response = HttpResponse(bytes(booklet_print.pdf), content_type="application/pdf")
    printed_on = timezone.localdate(booklet_print.finished_at)
    filename = f"milepost-booklet-{printed_on:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def booklet_pdf(request: AuthenticatedRequest) -> HttpResponseBase:
    """The PDF of the selection: the kept print if the offer has not changed since, else a new
    print in the background and its progress page."""
    form = BookletForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        # A PDF cannot show the form's errors: refuse rather than print an unasked selection.
        errors = "; ".join(f"{name}: {' '.join(map(str, e))}" for name, e in form.errors.items())
        return HttpResponseBadRequest(f"The booklet selection is not valid: {errors}")
    try:
        booklet_print = request_booklet_print(acting_user=request.user, options=form.options())
    except BookletScopeError as error:
        raise Http404(str(error)) from error
    if booklet_print.status == BookletPrint.Status.DONE:
        return _pdf_response(booklet_print)
    return redirect("catalogue:booklet-print", pk=booklet_print.pk)


def _print_query(booklet_print: BookletPrint) -> str:
    """The booklet form's query string for a print's selection (to print it again)."""
    query = QueryDict(mutable=True)
    if booklet_print.unit is not None:
        query["unit"] = booklet_print.unit.code
    if booklet_print.job_profile is not None:
        query["job_profile"] = booklet_print.job_profile.code
    if booklet_print.audience:
        query["audience"] = booklet_print.audience
    if booklet_print.prices:
        query["prices"] = "on"
    return query.urlencode()


def booklet_print(request: HtmxRequest, pk: int) -> HttpResponseBase:
    """A print's progress; htmx polls the status partial until it is finished."""
    booklet_print = get_object_or_404(visible_prints(request.user).defer("pdf"), pk=pk)
    context = {
        "print": booklet_print,
        "options": print_options(booklet_print),
        "again": _print_query(booklet_print),
    }
    if request.htmx:
        return render(request, "catalogue/booklet/_print_status.html", context)
    return render(request, "catalogue/booklet/print.html", context)


def booklet_print_file(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    """A finished print's PDF; until then, or once out of date, its progress page."""
    booklet_print = get_object_or_404(visible_prints(request.user), pk=pk)
    if booklet_print.status != BookletPrint.Status.DONE or booklet_print.stale:
        return redirect("catalogue:booklet-print", pk=booklet_print.pk)
    return _pdf_response(booklet_print)
