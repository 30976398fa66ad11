"""A busy database (issue 11, defect 6): reads never wait on a write lock, writes that meet one
get a clear 503 to retry, and a second import says another import is running."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection, connections

from milepost.accounts.models import ApiToken, OrgUnit
from milepost.accounts.services import issue_api_token
from milepost.lib.db import is_busy
from milepost.lib.locks import Busy, exclusive
from milepost.needs import services as need_services

pytestmark = pytest.mark.django_db

LOCKED = "database is locked"


@contextmanager
def held_elsewhere(name: str) -> Iterator[None]:
    """Hold the lock `name` from another thread (its own database connection) for the block."""
    taken, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def hold() -> None:
        try:
            with exclusive(name, what="import"):
                taken.set()
                release.wait(30)
        except BaseException as exc:  # reported in the test's thread
            errors.append(exc)
            taken.set()
        finally:
            connections.close_all()

    thread = threading.Thread(target=hold)
    thread.start()
    assert taken.wait(30)
    try:
        assert not errors, errors
        yield
    finally:
        release.set()
        thread.join(30)


def units_file(tmp_path: Path) -> Path:
    path = tmp_path / "units.csv"
    path.write_text("code,name,parent_code,kind\nHQ,Head office,,organisation\n")
    return path


def test_a_second_import_says_another_import_is_running(tmp_path, db):
    with (
        held_elsewhere("import"),
        pytest.raises(CommandError, match="Another import is running"),
    ):
        call_command("import_data", "units", str(units_file(tmp_path)), "--quiet")
    assert not OrgUnit.objects.filter(code="HQ").exists()
    # Once the first ends, the next import runs.
    call_command("import_data", "units", str(units_file(tmp_path)), "--quiet")
    assert OrgUnit.objects.filter(code="HQ").exists()


def test_the_lock_is_refused_at_once_and_released_after(db):
    with held_elsewhere("import"), pytest.raises(Busy), exclusive("import"):
        pass
    with exclusive("import"):
        pass


def test_busy_is_told_apart_from_broken():
    assert is_busy(OperationalError(LOCKED))
    assert not is_busy(OperationalError("no such table: needs_need"))
    assert not is_busy(ValueError(LOCKED))


def test_a_read_with_a_token_does_not_wait_to_record_its_use(org, monkeypatch, client):
    @contextmanager
    def locked() -> Iterator[None]:
        raise OperationalError(LOCKED)
        yield  # pragma: no cover

    monkeypatch.setattr("milepost.site.api.without_waiting", locked)
    token, raw = issue_api_token(acting_user=org.coordinator, name="reader", scope="read")
    response = client.get("/api/v1/frameworks", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is None  # recorded by a later call instead


def test_a_token_use_is_recorded_when_the_database_is_free(org, client):
    token, raw = issue_api_token(acting_user=org.coordinator, name="reader", scope="read")
    assert client.get("/api/v1/frameworks", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
    # The pragma is restored: this connection waits for writers again.
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] > 0


def locked_service(*args: object, **kwargs: object) -> None:
    raise OperationalError(LOCKED)


def test_an_api_write_that_meets_a_busy_database_gets_a_503_to_retry(org, login, monkeypatch):
    monkeypatch.setattr(need_services, "submit_need", locked_service)
    response = login(org.employee_user).post(
        "/api/v1/needs",
        {
            "title": "Calls",
            "description": "Handlers struggle with calls from bereaved customers.",
            "unit_id": org.motor_team.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["code"] == "busy"


def test_a_web_form_that_meets_a_busy_database_gets_a_503_page(org, login, monkeypatch):
    monkeypatch.setattr(need_services, "submit_need", locked_service)
    response = login(org.employee_user).post(
        "/needs/new/",
        {
            "title": "Calls",
            "description": "Handlers struggle with calls from bereaved customers.",
            "unit": org.motor_team.pk,
            "people_affected": 3,
            "urgency": 2,
            "impact": 2,
        },
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "busy" in response.content.decode()
