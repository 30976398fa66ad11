"""Background tasks of the catalogue, run by Django's task framework (django-tasks).

With the default immediate backend they run inside the request; with TASKS_BACKEND=database
`milepost db_worker` (deploy/systemd/milepost-worker.service) runs them.
"""

from __future__ import annotations

from django_tasks import task

from milepost.catalogue.printing import run_booklet_print


@task()
def print_booklet_task(print_id: int) -> None:
    """Print the booklet of a recorded selection (a `BookletPrint`)."""
    run_booklet_print(print_id=print_id)
