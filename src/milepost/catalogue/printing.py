"""Booklet prints: the booklet PDF rendered by a background task, kept until the offer changes.

Printing takes seconds to tens of seconds (WeasyPrint laying out pages), too long for a web
request. `request_booklet_print` reuses a fresh print of the same selection or records a new one
and enqueues `catalogue.tasks.print_booklet_task`, which calls `run_booklet_print`. Any change
to the catalogue, the units, job profiles, requirements or people (what a selection reads) marks
every print stale (`mark_booklet_prints_stale`, connected in `catalogue/apps.py`), so a reader
never gets an out-of-date booklet. Bulk writes send no model signals: code doing them in the
catalogue calls `mark_booklet_prints_stale()`; elsewhere `lib.signals.structure_changed`.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from milepost.accounts.access import AnyUser
from milepost.accounts.models import OrgUnit, User
from milepost.catalogue.booklet import (
    BookletOptions,
    BookletScopeError,
    build_booklet,
    print_booklet,
    visible_units,
)
from milepost.catalogue.models import (
    BookletPrint,
    Course,
    LearningOutcome,
    Qualification,
    Track,
    TrackStep,
)
from milepost.frameworks.models import JobProfile, JobProfileRequirement
from milepost.lib.signals import structure_changed
from milepost.people.models import Employee

logger = logging.getLogger(__name__)

# A print queued or running for longer than this is taken for lost (a worker stopped
# mid-print) and printed again rather than waited for.
ABANDONED_AFTER = datetime.timedelta(minutes=15)
KEEP_STALE = datetime.timedelta(days=1)


def visible_prints(user: AnyUser) -> QuerySet[BookletPrint]:
    """Prints of the whole catalogue, a job profile or an audience, and of the units `user` sees."""
    return BookletPrint.objects.select_related("unit", "job_profile").filter(
        Q(unit__isnull=True) | Q(unit__in=visible_units(user))
    )


def print_options(booklet_print: BookletPrint) -> BookletOptions:
    return BookletOptions(
        unit=booklet_print.unit,
        job_profile=booklet_print.job_profile,
        audience=booklet_print.audience,
        prices=booklet_print.prices,
    )


def _same_selection(options: BookletOptions) -> QuerySet[BookletPrint]:
    return BookletPrint.objects.filter(
        unit=options.unit,
        job_profile=options.job_profile,
        audience=" ".join(options.audience.split()),
        prices=options.prices,
    )


def request_booklet_print(*, acting_user: User, options: BookletOptions) -> BookletPrint:
    """The print of this selection: a fresh one already made or under way, else a new one
    handed to the task worker (with the default immediate backend it is printed before this
    returns). Raises BookletScopeError for a unit the user may not see."""
    from milepost.catalogue.tasks import print_booklet_task

    if (
        options.unit is not None
        and not visible_units(acting_user).filter(pk=options.unit.pk).exists()
    ):
        raise BookletScopeError(f"unit {options.unit.code} is not one you may see")
    fresh = (
        _same_selection(options)
        .filter(stale=False)
        .filter(
            Q(status=BookletPrint.Status.DONE)
            | Q(
                status__in=[BookletPrint.Status.QUEUED, BookletPrint.Status.RUNNING],
                requested_at__gte=timezone.now() - ABANDONED_AFTER,
            )
        )
        .order_by("-pk")
        .first()
    )
    if fresh is not None:
        return fresh
    # Out-of-date prints are kept a day, for a progress page still open, then dropped.
    BookletPrint.objects.filter(stale=True, requested_at__lt=timezone.now() - KEEP_STALE).delete()
    booklet_print = BookletPrint.objects.create(
        unit=options.unit,
        job_profile=options.job_profile,
        audience=" ".join(options.audience.split()),
        prices=options.prices,
        requested_by=acting_user,
        stage="Waiting for the printer",
    )
    print_booklet_task.enqueue(booklet_print.pk)
    booklet_print.refresh_from_db()
    return booklet_print


def _record(print_id: int, **fields: Any) -> None:
    # update(), not save(): never overwrite `stale`, which a catalogue change may set meanwhile.
    BookletPrint.objects.filter(pk=print_id).update(**fields)


def run_booklet_print(*, print_id: int) -> None:
    """Print the booklet of a recorded selection, noting the progress, then keep the PDF."""
    booklet_print = BookletPrint.objects.select_related("unit", "job_profile").get(pk=print_id)
    _record(
        print_id,
        status=BookletPrint.Status.RUNNING,
        progress=2,
        stage="Reading the catalogue",
        started_at=timezone.now(),
    )
    try:
        # The reader's scope was checked when they asked; the printer is a trusted operator.
        booklet = build_booklet(None, options=print_options(booklet_print))
        printed = print_booklet(
            booklet,
            on_stage=lambda percent, stage: _record(print_id, progress=percent, stage=stage),
        )
    except Exception as error:
        logger.exception("booklet print %s failed", print_id)
        _record(
            print_id,
            status=BookletPrint.Status.FAILED,
            stage="Failed",
            error=f"{type(error).__name__}: {error}",
            finished_at=timezone.now(),
        )
        raise
    _record(
        print_id,
        status=BookletPrint.Status.DONE,
        progress=100,
        stage=f"Ready: {printed.pages} pages",
        pdf=printed.pdf,
        pages=printed.pages,
        finished_at=timezone.now(),
    )


def mark_booklet_prints_stale(**kwargs: Any) -> None:
    """The offer or the structure changed: no kept print may be handed out again (its PDF is
    dropped; a print still under way keeps its own and is marked stale as well)."""
    BookletPrint.objects.filter(stale=False).update(stale=True, pdf=None)


def _saved(sender: Any, **kwargs: Any) -> None:
    mark_booklet_prints_stale()


# What a booklet reads: the catalogue, and for a unit's booklet the job profiles of its people
# and their requirements; the organisation's root unit names it on the cover.
WATCHED = (
    Course,
    Qualification,
    LearningOutcome,
    Track,
    TrackStep,
    OrgUnit,
    JobProfile,
    JobProfileRequirement,
    Employee,
)


def connect() -> None:
    structure_changed.connect(mark_booklet_prints_stale, dispatch_uid="booklet-structure")
    m2m_changed.connect(
        _saved, sender=Course.prerequisites.through, dispatch_uid="booklet-prerequisites"
    )
    for model in WATCHED:
        post_save.connect(_saved, sender=model, dispatch_uid=f"booklet-{model.__name__}-s")
        post_delete.connect(_saved, sender=model, dispatch_uid=f"booklet-{model.__name__}-d")
