"""A starting web worker does at once what its first requests would otherwise pay for.

gunicorn imports `milepost.wsgi` in each worker after the fork; that calls `warm_up()`, so the
worker accepts its first request with every view imported, the URL names indexed, every
template compiled (the cached loader keeps them) and the gap engine loaded. Over a grown
database a worker's first page took 2-4 s more than its second (imports, URL index and
templates about 2 s, the gap engine 1 s; bench/bench_load.py). `MILEPOST_WARM_UP=0` turns it off.
"""

from __future__ import annotations

import gc
import logging
import time
from pathlib import Path

from django.db import DatabaseError, connections
from django.template import TemplateDoesNotExist, TemplateSyntaxError
from django.template.loader import get_template
from django.urls import get_resolver

import milepost
from milepost.insights.gaps import current_gaps

logger = logging.getLogger(__name__)


def warm_up() -> None:
    """Import every view, index the URL names, compile the templates and load the gap engine;
    never fails the worker."""
    started = time.perf_counter()
    get_resolver().reverse_dict  # noqa: B018 - imports every view and the API, indexes names
    for name in project_templates():
        try:
            get_template(name)
        except (TemplateDoesNotExist, TemplateSyntaxError) as exc:  # the page will say so
            logger.warning("warm-up: template %s: %s", name, exc)
    try:
        current_gaps()
    except DatabaseError as exc:  # not migrated yet, or the database is down: load on demand
        logger.warning("warm-up: the gap engine is loaded on the first request instead (%s)", exc)
    finally:
        connections.close_all()  # the worker opens its own when the first request comes
    # What the warm-up made lives as long as the worker: keep the garbage collector from
    # walking it again on every full collection.
    gc.collect()
    gc.freeze()
    logger.info("warm-up took %.1f s", time.perf_counter() - started)


def project_templates() -> list[str]:
    """The names of Milepost's own templates (the project's and each app's)."""
    package = Path(milepost.__file__).parent
    return sorted(
        str(path.relative_to(folder))
        for folder in package.glob("**/templates")
        for path in folder.glob("**/*.html")
    )
