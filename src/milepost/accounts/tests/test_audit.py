"""The audit trail of accounts: roles and active flags, API tokens, log-ins (accounts/audit.py).

192.0.2.0/24 is a documentation range; nothing is sent anywhere.
"""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from milepost.accounts import audit
from milepost.accounts.models import ApiToken, Role, User
from milepost.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"  # set by UserFactory
ADDRESS = "192.0.2.10"


def entries_for(obj: Model) -> list[LogEntry]:
    content_type = ContentType.objects.get_for_model(type(obj))
    return list(
        LogEntry.objects.filter(content_type=content_type, object_pk=str(obj.pk)).order_by("pk")
    )


def test_a_role_change_and_deactivation_are_recorded_with_before_and_after(org):
    user = UserFactory.create(username="dana", role=Role.EMPLOYEE)
    with audit.acting_as(org.admin):
        user.role = Role.LINE_MANAGER
        user.save()
        user.is_active = False
        user.save()

    created, promoted, deactivated = entries_for(user)
    assert created.action == LogEntry.Action.CREATE
    assert promoted.changes == {"role": ["employee", "line_manager"]}
    assert promoted.actor == org.admin
    assert deactivated.changes == {"is_active": ["True", "False"]}


def test_password_hashes_and_log_in_times_are_never_recorded(org):
    user = UserFactory.create(username="erin")
    assert "password" not in entries_for(user)[0].changes

    user.set_password("another-pass-word-456")
    user.save()
    User.objects.get(pk=user.pk)  # saved
    assert len(entries_for(user)) == 1  # a new hash alone records nothing

    assert not LogEntry.objects.filter(changes__has_key="password").exists()
    assert not LogEntry.objects.filter(changes__has_key="last_login").exists()


def test_tokens_created_and_revoked_are_recorded_without_their_digest(org, login):
    client = login(org.coordinator)
    client.post(reverse("api-tokens"), {"name": "HRIS sync", "scope": "read", "lifetime": "30"})
    token = ApiToken.objects.get(user=org.coordinator)
    client.post(reverse("api-token-revoke", args=[token.pk]))

    created, revoked = entries_for(token)
    assert created.action == LogEntry.Action.CREATE
    assert created.actor == org.coordinator
    assert created.changes["name"] == ["None", "HRIS sync"]
    assert created.changes["scope"] == ["None", "read"]
    assert "digest" not in created.changes
    assert revoked.action == LogEntry.Action.DELETE
    assert revoked.actor == org.coordinator
    assert revoked.changes["name"] == ["HRIS sync", "None"]
    assert token.digest not in str(created.changes) + str(revoked.changes)


def test_a_log_in_is_recorded_with_the_address(org):
    user = UserFactory.create(username="fay")
    client = Client(REMOTE_ADDR=ADDRESS)
    response = client.post(reverse("login"), {"username": "fay", "password": PASSWORD})
    assert response.status_code == 302

    entry = LogEntry.objects.get(additional_data__event=audit.Event.LOG_IN)
    assert entry.actor == user
    assert entry.object_pk == str(user.pk)
    assert entry.remote_addr == ADDRESS
    assert audit.kind_of(entry) == "Log-in"


def test_a_failed_log_in_is_recorded_with_the_name_typed_and_never_the_password(org):
    user = UserFactory.create(username="gus")
    Client(REMOTE_ADDR=ADDRESS).post(
        reverse("login"), {"username": "gus", "password": "wrong-secret-1"}
    )
    Client(REMOTE_ADDR=ADDRESS).post(
        reverse("login"), {"username": "nobody-here", "password": "wrong-secret-2"}
    )

    known, unknown = LogEntry.objects.filter(
        additional_data__event=audit.Event.LOG_IN_FAILED
    ).order_by("pk")
    assert (known.object_pk, known.actor, known.remote_addr) == (str(user.pk), None, ADDRESS)
    assert unknown.object_pk == ""
    assert unknown.additional_data["username"] == "nobody-here"
    assert audit.actor_of(unknown) == "not logged in"
    stored = str(list(LogEntry.objects.values_list("changes", "additional_data", "object_repr")))
    assert "wrong-secret" not in stored


def test_a_spoofed_forwarded_address_is_not_recorded(org, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    UserFactory.create(username="hal")
    Client(REMOTE_ADDR=ADDRESS).post(
        reverse("login"),
        {"username": "hal", "password": PASSWORD},
        headers={"X-Forwarded-For": "203.0.113.99"},
    )
    assert LogEntry.objects.get(additional_data__event=audit.Event.LOG_IN).remote_addr == ADDRESS


def test_audited_models_leave_out_secrets_whatever_the_call_says():
    fields = audit.auditlog.get_model_fields(User)
    assert "password" not in fields["include_fields"]
    assert "last_login" not in fields["include_fields"]
    assert {"role", "is_active", "is_staff", "is_superuser"} <= set(fields["include_fields"])
    assert "digest" not in audit.auditlog.get_model_fields(ApiToken)["include_fields"]
