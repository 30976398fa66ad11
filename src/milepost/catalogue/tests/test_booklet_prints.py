"""Booklet prints: the PDF is printed by a background task, shown printing on a progress page,
and kept until the catalogue or the structure changes."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse

from milepost.catalogue import printing
from milepost.catalogue.booklet import BookletOptions, BookletScopeError, print_booklet
from milepost.catalogue.models import BookletPrint, Course, Track, TrackStep
from milepost.catalogue.printing import request_booklet_print, run_booklet_print
from milepost.catalogue.services import move_track_step
from milepost.lib.signals import mark_structure_changed
from milepost.testing.factories import CompetencyFactory, CourseFactory, outcome

pytestmark = pytest.mark.django_db

# Tasks recorded, never run: a print stays queued as it would until a worker takes it.
QUEUE_ONLY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def catalogue(org: Any) -> Track:
    skill = CompetencyFactory.create(name="Negotiation")
    track = Track.objects.create(code="HANDLER-TRACK", title="Handler induction")
    for position, title in enumerate(("Negotiation skills", "Calm calls"), start=1):
        course = CourseFactory.create(title=title, cost_per_person=Decimal("250"))
        outcome(course, skill, 3)
        TrackStep.objects.create(track=track, position=position, course=course)
    return track


@pytest.fixture
def queue_only() -> Iterator[None]:
    with override_settings(TASKS=QUEUE_ONLY):
        yield


def test_the_task_prints_the_pdf_and_keeps_it_for_the_same_selection(
    org: Any, catalogue: Track
) -> None:
    options = BookletOptions(prices=True)
    printed = request_booklet_print(acting_user=org.coordinator, options=options)
    assert printed.status == BookletPrint.Status.DONE and printed.progress == 100
    assert printed.pdf is not None and bytes(printed.pdf).startswith(b"%PDF")
    assert printed.pages == 3
    assert printed.seconds is not None and printed.seconds > 0
    again = request_booklet_print(
        acting_user=org.employee_user, options=BookletOptions(prices=True)
    )
    assert again.pk == printed.pk
    other = request_booklet_print(acting_user=org.coordinator, options=BookletOptions())
    assert other.pk != printed.pk and BookletPrint.objects.count() == 2


def test_printing_reports_its_stages_in_order(org: Any, catalogue: Track) -> None:
    from milepost.catalogue.booklet import build_booklet

    stages: list[tuple[int, str]] = []
    print_booklet(
        build_booklet(None, options=BookletOptions()),
        on_stage=lambda percent, stage: stages.append((percent, stage)),
    )
    assert stages == [(10, "Laying out 2 courses on pages"), (85, "Writing the PDF (3 pages)")]


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda track: Course.objects.filter(pk=track.steps.first().course_id).get().save(),
            id="course saved",
        ),
        pytest.param(lambda track: CourseFactory.create(title="New course"), id="course added"),
        pytest.param(lambda track: track.steps.last().delete(), id="track step removed"),
        pytest.param(lambda track: mark_structure_changed(), id="bulk structure write"),
    ],
)
def test_a_catalogue_or_structure_change_makes_the_kept_print_stale(
    org: Any, catalogue: Track, change: Any
) -> None:
    kept = request_booklet_print(acting_user=org.coordinator, options=BookletOptions())
    change(catalogue)
    kept.refresh_from_db()
    assert kept.stale and kept.pdf is None
    fresh = request_booklet_print(acting_user=org.coordinator, options=BookletOptions())
    assert fresh.pk != kept.pk and not fresh.stale


def test_bulk_writes_in_the_catalogue_and_moves_between_units_make_prints_stale(
    org: Any, catalogue: Track
) -> None:
    kept = request_booklet_print(acting_user=org.coordinator, options=BookletOptions())
    last_step = catalogue.steps.order_by("position").last()
    assert last_step is not None
    move_track_step(acting_user=org.coordinator, step=last_step, direction="up")
    kept.refresh_from_db()
    assert kept.stale  # the steps were renumbered with bulk_update
    for_claims = request_booklet_print(
        acting_user=org.coordinator, options=BookletOptions(unit=org.claims)
    )
    org.underwriter.unit = org.claims
    org.underwriter.save()
    for_claims.refresh_from_db()
    assert for_claims.stale


def test_a_print_never_reaches_a_reader_outside_its_unit(
    org: Any, catalogue: Track, login: Any
) -> None:
    with pytest.raises(BookletScopeError, match="unit UW"):
        request_booklet_print(
            acting_user=org.claims_manager, options=BookletOptions(unit=org.underwriting)
        )
    underwriting = request_booklet_print(
        acting_user=org.coordinator, options=BookletOptions(unit=org.underwriting)
    )
    client = login(org.claims_manager)
    for name in ("catalogue:booklet-print", "catalogue:booklet-print-file"):
        assert client.get(reverse(name, args=[underwriting.pk])).status_code == 404
    whole = request_booklet_print(acting_user=org.coordinator, options=BookletOptions())
    assert client.get(reverse("catalogue:booklet-print-file", args=[whole.pk])).status_code == 200


def test_download_while_queued_leads_to_the_progress_page_then_to_the_pdf(
    org: Any, catalogue: Track, login: Any, queue_only: None
) -> None:
    client = login(org.employee_user)
    response = client.get(reverse("catalogue:booklet-pdf"), {"prices": "on"})
    queued = BookletPrint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:booklet-print", args=[queued.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Waiting for the printer" in page and '<progress id="print-progress" value="0"' in page
    assert 'hx-trigger="every 1s"' in page  # htmx follows the printing
    # Asking again while it waits does not queue a second print.
    client.get(reverse("catalogue:booklet-pdf"), {"prices": "on"})
    assert BookletPrint.objects.count() == 1
    # The file is not there yet: back to the progress page.
    file_url = reverse("catalogue:booklet-print-file", args=[queued.pk])
    assert client.get(file_url)["Location"] == response["Location"]

    run_booklet_print(print_id=queued.pk)  # what the worker does
    status = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert "Ready:" in status and "3 pages" in status and "every 1s" not in status
    assert file_url in status
    pdf = client.get(file_url)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"].startswith('attachment; filename="milepost-booklet-20')
    # Kept: the next download is the same file, straight away.
    again = client.get(reverse("catalogue:booklet-pdf"), {"prices": "on"})
    assert again.status_code == 200 and again.content == pdf.content


def test_progress_page_shows_the_stage_a_failure_and_an_out_of_date_print(
    org: Any, catalogue: Track, login: Any, queue_only: None
) -> None:
    client = login(org.coordinator)
    client.get(reverse("catalogue:booklet-pdf"), {"unit": "CLM", "prices": "on"})
    job = BookletPrint.objects.get()
    url = reverse("catalogue:booklet-print", args=[job.pk])
    BookletPrint.objects.filter(pk=job.pk).update(
        status=BookletPrint.Status.RUNNING, progress=10, stage="Laying out 2 courses on pages"
    )
    page = client.get(url).content.decode()
    assert "Printing: Laying out 2 courses on pages" in page and 'value="10"' in page
    assert "Business unit: Claims (CLM), with prices" in page

    BookletPrint.objects.filter(pk=job.pk).update(
        status=BookletPrint.Status.FAILED, error="OSError: <no fonts>"
    )
    page = client.get(url).content.decode()
    assert "could not be printed: OSError: &lt;no fonts&gt;" in page
    assert "every 1s" not in page

    BookletPrint.objects.filter(pk=job.pk).update(status=BookletPrint.Status.DONE, stale=True)
    page = client.get(url).content.decode()
    assert "The catalogue has changed since" in page
    assert f"{reverse('catalogue:booklet-pdf')}?unit=CLM&amp;prices=on" in page
    assert client.get(reverse("catalogue:booklet-print-file", args=[job.pk])).status_code == 302


def test_a_failed_print_is_recorded_and_printed_anew_on_the_next_request(
    org: Any, catalogue: Track, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OSError("no fonts")

    monkeypatch.setattr(printing, "print_booklet", broken)
    failed = request_booklet_print(acting_user=org.coordinator, options=BookletOptions())
    assert failed.status == BookletPrint.Status.FAILED
    assert failed.error == "OSError: no fonts" and failed.finished_at is not None
    monkeypatch.undo()
    retried = request_booklet_print(acting_user=org.coordinator, options=BookletOptions())
    assert retried.pk != failed.pk and retried.status == BookletPrint.Status.DONE


def test_out_of_date_prints_are_dropped_after_a_day(org: Any, catalogue: Track) -> None:
    old = request_booklet_print(acting_user=org.coordinator, options=BookletOptions())
    recent = request_booklet_print(acting_user=org.coordinator, options=BookletOptions(prices=True))
    mark_structure_changed()
    BookletPrint.objects.filter(pk=old.pk).update(
        requested_at=old.requested_at - datetime.timedelta(days=2)
    )
    request_booklet_print(acting_user=org.coordinator, options=BookletOptions())
    assert not BookletPrint.objects.filter(pk=old.pk).exists()
    assert BookletPrint.objects.filter(pk=recent.pk, stale=True).exists()
