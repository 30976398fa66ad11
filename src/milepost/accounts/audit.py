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
from dataclasses import asdict, dataclass
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import Any

from auditlog.context import auditlog_value, set_actor
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.http import HttpRequest
from django.utils.text import capfirst

from milepost.accounts import lockout
from milepost.accounts.models import User
from milepost.lib.tabular import Counts, ImportReport

# Never written to the trail, whatever the model: secrets (password hashes, token digests) and
# the timestamp every save moves.
NEVER_RECORDED = frozenset({"password", "digest", "updated_at"})


class Event:
    """What an entry records beyond auditlog's create, update and delete (`additional_data`)."""

    LOG_IN = "log-in"
    LOG_IN_FAILED = "failed log-in"
    IMPORT = "import"
    IMPORT_FAILED = "failed import"


# The kinds of entry the audit page filters by, as (value, label).
KINDS = [
    ("create", "Created"),
    ("update", "Changed"),
    ("delete", "Deleted"),
    (Event.LOG_IN, "Log-in"),
    (Event.LOG_IN_FAILED, "Failed log-in"),
    (Event.IMPORT, "Import"),
    (Event.IMPORT_FAILED, "Failed import"),
]
KIND_LABELS = dict(KINDS)
_ACTIONS = {
    "create": LogEntry.Action.CREATE,
    "update": LogEntry.Action.UPDATE,
    "delete": LogEntry.Action.DELETE,
}
_ACTION_KINDS = {action: kind for kind, action in _ACTIONS.items()}
# Longest before or after value shown on the page and in exports (the entry keeps it whole).
SHOWN_LENGTH = 300


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
    } | set(exclude)
    # The model's own columns only: on a create or a delete auditlog would otherwise also
    # compare reverse relations (another model's rows), which costs queries and says nothing.
    recorded = [field.name for field in model._meta.concrete_fields if field.name not in left_out]
    auditlog.register(
        model,
        include_fields=recorded,
        exclude_fields=sorted(left_out),
        m2m_fields=set(m2m),
    )
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


def record_change(instance: models.Model, *, changes: dict[str, tuple[str, str]]) -> None:
    """An entry for a change made in bulk, which auditlog cannot see (`QuerySet.update`,
    `bulk_create`): `changes` maps what changed to its (before, after) text. Who acts comes
    from the request or `acting_as`, as for every other entry."""
    changed = {
        name: [before, after] for name, (before, after) in changes.items() if before != after
    }
    if changed:
        LogEntry.objects.log_create(instance, action=LogEntry.Action.UPDATE, changes=changed)


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


# --- reading the trail ----------------------------------------------------------------------


def audited_models() -> list[type[models.Model]]:
    """Every model registered with `audited`, by verbose name."""
    return sorted(auditlog.get_models(), key=lambda model: str(model._meta.verbose_name))


def kind_filter(kind: str) -> Q:
    """The entries of one kind (a value of KINDS)."""
    if kind in _ACTIONS:
        plain = Q(additional_data__isnull=True) | ~Q(additional_data__has_key="event")
        return Q(action=_ACTIONS[kind]) & plain
    return Q(additional_data__event=kind)


@dataclass(frozen=True)
class Change:
    """One line of an entry: a field (or a count) with its value before and after."""

    label: str
    before: str
    after: str

    def __str__(self) -> str:
        if self.before:
            return f"{self.label}: {self.before} → {self.after}"
        return f"{self.label}: {self.after}"


def kind_of(entry: LogEntry) -> str:
    extra = entry.additional_data or {}
    if isinstance(extra, dict) and extra.get("event") in KIND_LABELS:
        return KIND_LABELS[extra["event"]]
    return KIND_LABELS.get(_ACTION_KINDS.get(entry.action, ""), "Viewed")


def actor_of(entry: LogEntry) -> str:
    """Who acted: the user, or their e-mail once the user is deleted, or how it ran."""
    if entry.actor is not None:
        return f"{entry.actor} ({entry.actor.username})"
    if entry.actor_email:
        return entry.actor_email
    extra = entry.additional_data or {}
    if isinstance(extra, dict) and extra.get("event") == Event.LOG_IN_FAILED:
        return "not logged in"
    if isinstance(extra, dict) and extra.get("via"):
        return str(extra["via"])
    return "no user (command line or system)"


def _shown(value: Any) -> str:
    text = "—" if value is None or value == "None" else str(value)
    return text if len(text) <= SHOWN_LENGTH else text[: SHOWN_LENGTH - 1] + "…"


def _field_label(model: type[models.Model] | None, name: str) -> str:
    if model is None:
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return capfirst(str(getattr(field, "verbose_name", name)))


COUNT_FIELDS = [field.name for field in dataclass_fields(Counts)]
_COUNT_ORDER = {name: position for position, name in enumerate(COUNT_FIELDS)}


def changes_of(entry: LogEntry) -> list[Change]:
    """What an entry records, line by line; no query (the content type is selected with it)."""
    extra = entry.additional_data if isinstance(entry.additional_data, dict) else {}
    event = extra.get("event")
    if event == Event.IMPORT:
        lines = [Change("File", "", _shown(extra.get("file")))]
        for name, counts in (extra.get("counts") or {}).items():
            # PostgreSQL's jsonb keeps keys in its own order: put the report's order back.
            ordered = sorted(counts.items(), key=lambda item: _COUNT_ORDER.get(item[0], 99))
            described = ", ".join(f"{number} {word}" for word, number in ordered)
            lines.append(Change(capfirst(name), "", described))
        if extra.get("warnings"):
            lines.append(Change("Warnings", "", str(extra["warnings"])))
        return lines
    if event == Event.IMPORT_FAILED:
        return [
            Change("File", "", _shown(extra.get("file"))),
            Change("Failure", "", _shown(extra.get("failure"))),
        ]
    if event == Event.LOG_IN_FAILED:
        return [Change("User name typed", "", _shown(extra.get("username")))]
    model = entry.content_type.model_class()
    lines = []
    for name, value in (entry.changes or {}).items():
        label = _field_label(model, name)
        if isinstance(value, dict):  # a many-to-many field: objects added or removed
            verb = "added" if value.get("operation") == "add" else "removed"
            objects = ", ".join(str(item) for item in value.get("objects", []))
            lines.append(Change(label, "", _shown(f"{verb} {objects}")))
        else:
            before, after = value
            lines.append(Change(label, _shown(before), _shown(after)))
    return lines


# --- erasure (docs/personal-data.md) ----------------------------------------------------------

ERASED = "(erased)"


def erase_from_trail(
    *,
    objects: dict[type[models.Model], Iterable[int]],
    fields: Iterable[str],
    user: User | None = None,
    username: str = "",
) -> int:
    """Erasure of a person: the trail keeps that something happened, when and by whom, but the
    entries about `objects` lose their name and the values of `fields`; entries by `user` lose
    the e-mail kept with them; failed log-ins typed as `username` lose the name. The one change
    ever made to existing entries. Returns how many entries were changed."""
    erased_fields = set(fields)
    changed = 0
    for model, pks in objects.items():
        content_type = ContentType.objects.get_for_model(model)
        about = LogEntry.objects.filter(
            content_type=content_type, object_pk__in=[str(pk) for pk in pks]
        )
        for entry in about.only("pk", "object_pk", "changes"):
            changes = {
                name: [ERASED, ERASED] if name in erased_fields else value
                for name, value in (entry.changes or {}).items()
            }
            name = f"{model._meta.verbose_name} #{entry.object_pk} {ERASED}"
            changed += LogEntry.objects.filter(pk=entry.pk).update(
                object_repr=name, changes=changes, serialized_data=None
            )
    if user is not None:
        changed += (
            LogEntry.objects.filter(actor=user).exclude(actor_email=None).update(actor_email=None)
        )
    if username:
        changed += LogEntry.objects.filter(additional_data__username=username).update(
            object_repr=ERASED,
            additional_data={"event": Event.LOG_IN_FAILED, "username": ERASED},
        )
    return changed
