"""A starting web worker loads what its first requests would otherwise pay for (site/warm_up.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import OperationalError

from milepost.insights import gaps
from milepost.site import warm_up as warm_up_module
from milepost.site.warm_up import project_templates, warm_up
from milepost.testing.factories import EmployeeFactory


@pytest.fixture
def no_cached_gaps() -> Iterator[None]:
    gaps.forget_cached_gaps()
    yield
    gaps.forget_cached_gaps()


@pytest.mark.django_db
def test_warm_up_loads_the_gap_engine_before_the_first_request(no_cached_gaps: None) -> None:
    EmployeeFactory()
    assert gaps._snapshot is None
    warm_up()
    assert gaps._snapshot is not None
    assert gaps._snapshot.full_loads == 1


@pytest.mark.django_db
def test_warm_up_leaves_the_gap_engine_to_the_first_request_when_the_database_fails(
    no_cached_gaps: None, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> None:
        raise OperationalError("no such table: insights_gapstructure")

    monkeypatch.setattr(warm_up_module, "current_gaps", broken)
    warm_up()  # does not raise: the worker still starts
    assert gaps._snapshot is None
    assert "loaded on the first request instead" in caplog.text
    assert "no such table" in caplog.text


def test_warm_up_compiles_every_template_of_the_project() -> None:
    names = project_templates()
    assert "base.html" in names
    assert "needs/board.html" in names
    assert "insights/unit_gaps.html" in names
    assert all(not name.startswith("/") for name in names)
