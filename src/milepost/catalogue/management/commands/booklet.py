"""`milepost booklet FILE.pdf`: print the courses and qualifications booklet from the catalogue."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from milepost.accounts.models import OrgUnit
from milepost.catalogue.booklet import (
    BookletOptions,
    build_booklet,
    render_booklet_html,
    render_booklet_pdf,
)
from milepost.frameworks.models import JobProfile


class Command(BaseCommand):
    help = (
        "Write the courses and qualifications booklet (active items of the live catalogue) "
        "as a PDF, or as HTML when FILE ends in .html."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="where to write the booklet (.pdf or .html)")
        parser.add_argument(
            "--unit", metavar="CODE", help="courses for the job profiles held in this unit"
        )
        parser.add_argument(
            "--profile", metavar="CODE", help="courses for this job profile's competencies"
        )
        parser.add_argument(
            "--audience", default="", help="courses whose audience contains these words"
        )
        parser.add_argument("--prices", action="store_true", help="show prices")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = job_profile = None
        if options["unit"]:
            unit = OrgUnit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"no unit with code '{options['unit']}'")
        if options["profile"]:
            job_profile = JobProfile.objects.filter(code=options["profile"]).first()
            if job_profile is None:
                raise CommandError(f"no job profile with code '{options['profile']}'")
        selection = BookletOptions(
            unit=unit,
            job_profile=job_profile,
            audience=options["audience"],
            prices=options["prices"],
        )
        started = time.perf_counter()
        # The operator on the command line reads the whole organisation (user None).
        booklet = build_booklet(None, options=selection)
        target = Path(options["file"])
        if target.suffix.lower() in {".html", ".htm"}:
            target.write_text(render_booklet_html(booklet), encoding="utf-8")
        else:
            target.write_bytes(render_booklet_pdf(booklet))
        self.stdout.write(
            f"{target}: {booklet.course_count} courses, {len(booklet.qualifications)} "
            f"qualifications, {len(booklet.tracks)} tracks ({selection.description}) "
            f"in {time.perf_counter() - started:.1f} s"
        )
