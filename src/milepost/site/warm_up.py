"""A starting web worker does at once what its first requests would otherwise pay for.

gunicorn imports `milepost.wsgi` in each worker after the fork; that calls `warm_up()`, so the
worker accepts its first request with every view imported, the page layout compiled and the
gap engine loaded (over a grown database: about 2 s of imports and 1 s of gap engine, measured
by bench/bench_load.py). `MILEPOST_WARM_UP=0` turns it off.
"""

from __future__ import annotations

import logging
import time

from django.db import DatabaseError, connections
from django.template.loader import get_template
from django.urls import get_resolver

from milepost.insights.gaps import current_gaps

logger = logging.getLogger(__name__)


def warm_up() -> None:
    """Import every view, compile the layout and load the gap engine; never fails the worker."""
    started = time.perf_counter()
    get_resolver().url_patterns  # noqa: B018 - imports every app's views and the API
    get_template("base.html")
    try:
        current_gaps()
    except DatabaseError as exc:  # not migrated yet, or the database is down: load on demand
        logger.warning("warm-up: the gap engine is loaded on the first request instead (%s)", exc)
    finally:
        connections.close_all()  # the worker opens its own when the first request comes
    logger.info("warm-up took %.1f s", time.perf_counter() - started)
