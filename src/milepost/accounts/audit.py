"""The audit trail: who changed what and when, with the values before and after (docs/audit.md).

django-auditlog writes one `LogEntry` for every create, change and delete of a registered model,
from Django's model signals, into one table for the whole project. Each app registers its models
in its own `AppConfig.ready()`, one line a model:

    audited(self.get_model("Course"), m2m=["prerequisites"])

Writes in bulk (`bulk_create`, `bulk_update`, `QuerySet.update`) send no signals, so the trail
cannot see them row by row: an import is recorded as one entry per run (`record_import`).
Log-ins and failed log-ins are recorded by the receivers below (connected in accounts/apps.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from auditlog.context import auditlog_value, set_actor
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

from milepost.accounts import lockout
from milepost.accounts.models import User
from milepost.lib.tabular import ImportReport

# Never written to the trail, whatever the model: secrets (password hashes, token digests) and
# the timestamp every save moves.
NEVER_RECORDED = frozenset({"password", "digest", "updated_at"})


class Event:
    """What an entry records beyond auditlog's create, update and delete (`additional_data`)."""

    LOG_IN = "log-in"
    LOG_IN_FAILED = "failed log-in"
    IMPORT = "import"
    IMPORT_FAILED = "failed import"


def audited(
    model: type[models.Model], *, exclude: Iterable[str] = (), m2m: Iterable[str] = ()
) -> type[models.Model]:
    """Record every create, change and delete of `model` in the audit trail.

    `exclude` names fields never written there (bulky or derived); password hashes, token
    digests, `updated_at` and binary fields are always left out. `m2m` names many-to-many
    fields whose additions and removals are recorded too.
    """
    left_out = {
        field.name
        for field in model._meta.concrete_fields
        if field.name in NEVER_RECORDED or isinstance(field, models.BinaryField)
    }
    auditlog.register(model, exclude_fields=sorted({*exclude, *left_out}), m2m_fields=set(m2m))
    return model


def act_for_request(user: User) -> None:
    """Name `user` as who acts for the rest of this request. The API authenticates a bearer
    token inside the view, after the audit middleware has looked at the (anonymous) session."""
    with contextlib.suppress(LookupError):
        auditlog_value.get()["actor"] = user


@contextlib.contextmanager
def acting_as(user: User | None) -> Iterator[None]:
    """Record changes made inside the block as `user`'s (the command line's `--as`)."""
    with set_actor(user):
        yield


def record_import(
    *,
    model: type[models.Model],
    file: Path | str,
    kind: str,
    acting_user: User | None,
    via: str,
    report: ImportReport | None = None,
    failure: str = "",
) -> LogEntry:
    """One entry for one import run: who ran which file, how (`via`: "command line", "web"),
    and what it changed (the report's counts), or why it changed nothing (`failure`)."""
    details: dict[str, Any] = {
        "event": Event.IMPORT if report is not None else Event.IMPORT_FAILED,
        "kind": kind,
        "file": Path(file).name,
        "via": via,
    }
    if report is not None:
        details["title"] = report.title
        details["counts"] = {name: asdict(counts) for name, counts in report.counts.items()}
        details["warnings"] = len(report.warnings)
    else:
        details["failure"] = failure[:2000]
    entry: LogEntry = LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        object_pk="",
        object_repr=f"{kind} import of {Path(file).name}"[:500],
        action=LogEntry.Action.UPDATE,
        actor=acting_user,
        actor_email=acting_user.email if acting_user else None,
        additional_data=details,
    )
    return entry


def _address(request: HttpRequest | None) -> str | None:
    return lockout.client_address(request) if isinstance(request, HttpRequest) else None


def record_log_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """`user_logged_in` receiver: the user, when and from where."""
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(User),
        object_pk=str(user.pk),
        object_id=user.pk,
        object_repr=str(user)[:500],
        action=LogEntry.Action.ACCESS,
        actor=user,
        actor_email=user.email,
        remote_addr=_address(request),
        additional_data={"event": Event.LOG_IN},
    )


def record_failed_log_in(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """`user_login_failed` receiver: the name typed (never the password) and from where."""
    username = str(credentials.get("username") or "")[:150]
    user = User.objects.filter(username=username).only("pk").first() if username else None
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(User),
        object_pk=str(user.pk) if user else "",
        object_id=user.pk if user else None,
        object_repr=username,
        action=LogEntry.Action.ACCESS,
        remote_addr=_address(request),
        additional_data={"event": Event.LOG_IN_FAILED, "username": username},
    )
