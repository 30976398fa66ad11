"""Booklet benchmark: build and print the courses and qualifications booklet of a large catalogue.

Generates a deterministic catalogue (300 active courses with 3 outcomes each and a prerequisite
for one in three, 30 qualifications, 6 tracks of 8 steps, 10 audiences) in a throwaway SQLite
database, var/bench/booklet.sqlite3, then times build_booklet + render_booklet_pdf (median of
3 runs) against the 20 s budget, and the HTML page's build + render alone. Prints a table and
exits 0.

    .venv/bin/python bench/bench_booklet.py [--courses 300] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = ROOT / "var" / "bench" / "booklet.sqlite3"
BUDGET_S = 20.0
AUDIENCES = [
    "Claims handlers",
    "Team leaders",
    "Underwriters",
    "New starters",
    "Customer service advisers",
    "Finance staff",
    "IT service desk",
    "Senior managers",
    "Brokers' account managers",
    "",  # all audiences
]
MODALITIES = ["classroom", "online", "blended", "on_the_job", "coaching"]


def setup_django() -> None:
    DATABASE.parent.mkdir(parents=True, exist_ok=True)
    DATABASE.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("MILEPOST_HOME", str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "milepost.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate_catalogue(courses: int) -> None:
    """A deterministic catalogue: every course with outcomes, some prerequisites, a few tracks."""
    from django.db import transaction

    from milepost.accounts.models import OrgUnit
    from milepost.catalogue.models import (
        Course,
        LearningOutcome,
        Qualification,
        Track,
        TrackStep,
    )
    from milepost.frameworks.models import Competency, Framework, ProficiencyScale

    summary = (
        "Practical sessions with worked cases from the business, short exercises and a "
        "take-away plan agreed with the line manager. "
    ) * 3
    with transaction.atomic():
        OrgUnit.objects.create(code="BENCH", name="Bench Insurance Group", kind="organisation")
        scale = ProficiencyScale.objects.create(name="Core 1-5", min_level=1, max_level=5)
        framework = Framework.objects.create(code="bench", name="Bench framework", scale=scale)
        competencies = Competency.objects.bulk_create(
            Competency(framework=framework, code=f"C{n:03d}", name=f"Competency {n:03d}")
            for n in range(120)
        )
        made = Course.objects.bulk_create(
            Course(
                code=f"C-{n:04d}",
                title=f"Course {n:04d}: {AUDIENCES[n % len(AUDIENCES)] or 'Everyone'} module",
                summary=summary,
                modality=MODALITIES[n % len(MODALITIES)],
                duration_hours=Decimal(3 + n % 12),
                cost_per_person=Decimal(100 + 25 * (n % 20)),
                cost_per_run=Decimal(1500 if n % 4 == 0 else 0),
                provider_kind="external" if n % 3 else "internal",
                provider_name=f"Provider {n % 15}" if n % 3 else "",
                audience=AUDIENCES[n % len(AUDIENCES)],
            )
            for n in range(courses)
        )
        LearningOutcome.objects.bulk_create(
            LearningOutcome(
                course=course,
                competency=competencies[(n * 7 + k * 13) % len(competencies)],
                raises_to_level=2 + (n + k) % 3,
                description="Applies it unaided on routine cases." if k == 0 else "",
            )
            for n, course in enumerate(made)
            for k in range(3)
        )
        links = Course.prerequisites.through
        links.objects.bulk_create(
            links(from_course_id=course.pk, to_course_id=made[n - 1].pk)
            for n, course in enumerate(made)
            if n % 3 == 1
        )
        qualifications = Qualification.objects.bulk_create(
            Qualification(
                code=f"Q-{n:03d}",
                title=f"Certificate {n:03d} in insurance practice",
                awarding_body="Chartered Insurance Institute" if n % 2 else "Pearson",
                level=2 + n % 5,
                credits=20 + n,
                guided_learning_hours=60 + 5 * n,
                funding_eligible=n % 3 == 0,
                validity_months=36 if n % 2 else None,
                renewal="Continuing professional development" if n % 2 else "",
                cost_per_person=Decimal(500 + 10 * n),
            )
            for n in range(30)
        )
        LearningOutcome.objects.bulk_create(
            LearningOutcome(
                qualification=qualification,
                competency=competencies[(n * 11 + k) % len(competencies)],
                raises_to_level=3,
            )
            for n, qualification in enumerate(qualifications)
            for k in range(2)
        )
        for t in range(6):
            track = Track.objects.create(code=f"T-{t}", title=f"Track {t}: route {t}")
            TrackStep.objects.bulk_create(
                [
                    TrackStep(track=track, position=s + 1, course=made[(t * 40 + s * 3) % courses])
                    for s in range(7)
                ]
                + [TrackStep(track=track, position=8, qualification=qualifications[t])]
            )


def pdf_pages(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        try:
            info = subprocess.run(
                ["pdfinfo", handle.name], check=True, capture_output=True, text=True
            ).stdout
        except (OSError, subprocess.CalledProcessError):
            return pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    return int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    started = time.perf_counter()
    setup_django()
    generate_catalogue(args.courses)
    prepared = time.perf_counter() - started

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from milepost.catalogue.booklet import (
        BookletOptions,
        build_booklet,
        render_booklet_html,
        render_booklet_pdf,
    )

    options = BookletOptions(prices=True)
    import weasyprint  # noqa: F401  (loading pango once, outside the timings)

    pdf_times, pdf_cpu, html_times, build_times = [], [], [], []
    pdf = b""
    queries = 0
    for _ in range(args.repeat):
        start, cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as captured:
            booklet = build_booklet(None, options=options)
        built = time.perf_counter()
        pdf = render_booklet_pdf(booklet)
        pdf_times.append(time.perf_counter() - start)
        # CPU time too: on a shared machine the wall clock mostly measures the neighbours.
        pdf_cpu.append(time.process_time() - cpu)
        build_times.append(built - start)
        queries = len(captured)
        start = time.perf_counter()
        render_booklet_html(build_booklet(None, options=options))
        html_times.append(time.perf_counter() - start)

    # The web's way: a print recorded and run as a task (immediate backend), then handed out
    # again from the database while the catalogue is unchanged.
    from milepost.accounts.models import Role, User
    from milepost.catalogue.printing import request_booklet_print

    reader = User.objects.create_user("bench.reader", role=Role.COORDINATOR)
    start = time.perf_counter()
    printed = request_booklet_print(acting_user=reader, options=options)
    task_s = time.perf_counter() - start
    start = time.perf_counter()
    kept = request_booklet_print(acting_user=reader, options=options)
    kept_ms = (time.perf_counter() - start) * 1000
    assert kept.pk == printed.pk and kept.status == kept.Status.DONE

    pdf_s = statistics.median(pdf_times)
    rows = [
        (
            "courses / qualifications / tracks",
            f"{booklet.course_count} / {len(booklet.qualifications)} / {len(booklet.tracks)}",
        ),
        ("database setup + generation", f"{prepared:.1f} s"),
        ("build (queries)", f"{statistics.median(build_times) * 1000:.0f} ms ({queries} queries)"),
        ("build + HTML render", f"{statistics.median(html_times) * 1000:.0f} ms"),
        (f"build + PDF render, median of {args.repeat}", f"{pdf_s:.1f} s"),
        ("runs", ", ".join(f"{t:.1f}" for t in pdf_times) + " s"),
        ("CPU time of those runs", ", ".join(f"{t:.1f}" for t in pdf_cpu) + " s"),
        ("print as a task (immediate backend)", f"{task_s:.1f} s, {printed.pages} pages"),
        ("the kept print handed out again", f"{kept_ms:.0f} ms"),
        ("load average (1 min) at the end", f"{os.getloadavg()[0]:.1f}"),
        ("PDF pages", str(pdf_pages(pdf))),
        ("PDF size", f"{len(pdf) / 1024:.0f} KiB"),
        ("budget", f"{BUDGET_S:.0f} s: {'within' if pdf_s <= BUDGET_S else 'OVER'}"),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"Booklet benchmark ({args.courses} courses, SQLite {DATABASE.relative_to(ROOT)})")
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
