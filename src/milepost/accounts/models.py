"""Users, roles, organisation units and API tokens."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

# Methods that only read (RFC 9110): what a read-only API token may use.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    COORDINATOR = "coordinator", "L&D coordinator"
    ACCOUNT_MANAGER = "account_manager", "Account manager"
    LINE_MANAGER = "line_manager", "Line manager"
    EMPLOYER_CONTACT = "employer_contact", "Employer contact"
    EMPLOYEE = "employee", "Employee"
    QUALITY_LEAD = "quality_lead", "Quality lead"
    EXECUTIVE = "executive", "Executive"


# Roles that see the whole organisation (read); who may change what is in accounts.permissions.
ORGANISATION_WIDE_ROLES = frozenset(
    {Role.ADMIN, Role.COORDINATOR, Role.ACCOUNT_MANAGER, Role.QUALITY_LEAD, Role.EXECUTIVE}
)


class User(AbstractUser):
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.EMPLOYEE)
    email_notifications = models.BooleanField(
        "email me my notifications",
        default=True,
        help_text="Each message of the in-app inbox is also sent to this person's email address.",
    )

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def sees_whole_organisation(self) -> bool:
        return self.is_superuser or self.role in ORGANISATION_WIDE_ROLES


class OrgUnit(models.Model):
    """A node of the organisation chart (group, business unit, department, team).

    `path` is a materialised path of primary keys ("/1/4/9/") so "this unit and
    everything below it" is one indexed prefix query at any depth.
    """

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", "Organisation"
        BUSINESS_UNIT = "business_unit", "Business unit"
        DEPARTMENT = "department", "Department"
        TEAM = "team", "Team"

    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.DEPARTMENT)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=1000, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["path"]
        verbose_name = "organisation unit"

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        old_path = self.path
        if self.pk is None:
            super().save(*args, **kwargs)
            kwargs.pop("force_insert", None)
        self.path, self.depth = self._computed_path()
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            self._rewrite_descendant_paths(old_path)

    def _computed_path(self) -> tuple[str, int]:
        if self.parent_id is None:
            return f"/{self.pk}/", 0
        parent = OrgUnit.objects.only("path", "depth").get(pk=self.parent_id)
        if f"/{self.pk}/" in parent.path:
            raise ValueError(f"unit '{self.code}' cannot sit below itself")
        return f"{parent.path}{self.pk}/", parent.depth + 1

    def _rewrite_descendant_paths(self, old_path: str) -> None:
        depth_shift = self.path.count("/") - old_path.count("/")
        for unit in OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
            unit.path = self.path + unit.path[len(old_path) :]
            unit.depth += depth_shift
            models.Model.save(unit, update_fields=["path", "depth"])

    def subtree(self) -> models.QuerySet[OrgUnit]:
        return OrgUnit.objects.filter(path__startswith=self.path)

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]


class ApiToken(models.Model):
    """A bearer token for the REST API. Only a SHA-256 digest is stored.

    A token reads only, or reads and writes (`scope`), and stops working at `expires_at`
    (None: never; tokens made before expiry existed keep working until revoked).
    """

    class Scope(models.TextChoices):
        READ = "read", "Read only"
        READ_WRITE = "read_write", "Read and write"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    scope = models.CharField(max_length=16, choices=Scope.choices, default=Scope.READ_WRITE)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(raw_token: str) -> str:
        return hashlib.sha256(raw_token.encode()).hexdigest()

    @classmethod
    def issue(
        cls,
        *,
        user: User,
        name: str,
        scope: str = Scope.READ_WRITE,
        expires_at: datetime.datetime | None = None,
    ) -> tuple[ApiToken, str]:
        raw = "mp_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            digest=cls.digest_of(raw),
            prefix=raw[:8],
            scope=scope,
            expires_at=expires_at,
        )
        return token, raw

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    def allows(self, method: str) -> bool:
        """Whether the token may make a request with this HTTP method."""
        return self.scope == self.Scope.READ_WRITE or method.upper() in SAFE_METHODS


class Notification(models.Model):
    """A message in a user's in-app inbox ("you asked, we did")."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(max_length=500)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.message
