"""One demo organisation for every test here that reads it, built once instead of once a test.

Building the demo (`milepost demo --size 60`) is the slowest thing in the suite, and the tests
of test_demo.py and test_demo_clients.py that use it build the same one. `shared_demo` builds it
once for this package inside a transaction that is rolled back when the package is done; each
test still runs in its own savepoint inside it (pytest-django's `db`), so what a test writes
(a reset, a second run) is rolled back before the next test and every test sees the demo just
as it was built.

Tests of this package that need an empty database (a demo refused, a demo built under a test's
own eyes) must not see it, so the tests that use the shared demo are run after the others of
this package (pytest_collection_modifyitems below; the order among each group is kept).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from milepost.site.demo.tests.test_demo import SMALL, run_demo

HERE = Path(__file__).parent
SHARED = "shared_demo"


@pytest.fixture(scope="package")
def shared_demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """The output of `milepost demo --size 60`, its data present until the package is done."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            output = run_demo("--size", str(SMALL))
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield output
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Within this package, the tests that use the shared demo come last (see the docstring).

    It runs before pytest-django's own (stable) sort, which then still puts every database test
    before the transactional ones: those flush the database, and with it the rows the data
    migrations wrote (the default journey), which the demo needs."""
    slots = [i for i, item in enumerate(items) if HERE in Path(item.path).parents]
    # sorted() is stable: False (no shared demo) before True, each group in its own order.
    ordered = sorted(
        (items[i] for i in slots), key=lambda item: SHARED in getattr(item, "fixturenames", ())
    )
    for slot, item in zip(slots, ordered, strict=True):
        items[slot] = item
