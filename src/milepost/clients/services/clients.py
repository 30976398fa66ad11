"""Clients, their accountable owner and their contacts."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from milepost.accounts.access import (
    CLIENT_DENIED,
    AnyUser,
    can_assign_owners,
    can_create_clients,
    can_edit_client,
    require,
)
from milepost.accounts.models import OrgUnit, User
from milepost.accounts.services import notify
from milepost.clients.models import (
    NAME_MAX,
    OWNER_ROLES,
    Client,
    Contact,
    JourneyStage,
    JourneyTemplate,
    Kind,
    OwnerChange,
    SizeBand,
)

# The employer journey that ships (the same as migration clients/0002, which cannot import this).
SHIPPED_JOURNEY = "Employer journey"
SHIPPED_STAGES = (
    (
        "First contact and onboarding",
        "We know who they are, who owns them here, and their main contact has met us.",
        "account_manager",
    ),
    (
        "Understanding the business",
        "Their business issues are written down with the manager who owns them.",
        "account_manager",
    ),
    (
        "Proposal",
        "A proposal tied to a business issue and a measure has been agreed or declined.",
        "account_manager",
    ),
    (
        "Delivery",
        "The agreed training has run and attendance and completion are recorded.",
        "coordinator",
    ),
    (
        "Service review",
        "The client has told us how satisfied they are and we have answered what they raised.",
        "account_manager",
    ),
    (
        "Growing the relationship",
        "We have agreed what comes next with them: new needs, renewal or a wider scope.",
        "account_manager",
    ),
)

CREATE_DENIED = "Only L&D coordinators, admins and account managers can add clients."
OWNER_DENIED = "Only an L&D coordinator or an admin can hand a client to another owner."


def require_editor(user: AnyUser, client: Client) -> None:
    require(can_edit_client(user, owner_id=client.owner_id), CLIENT_DENIED)


def default_journey() -> JourneyTemplate:
    """The journey new clients walk. The employer journey ships with the database (migration
    clients/0002); should no template be the default, it is written again from SHIPPED_STAGES."""
    template = JourneyTemplate.objects.filter(is_default=True).first()
    if template is not None:
        return template
    with transaction.atomic():
        template, _ = JourneyTemplate.objects.get_or_create(
            name=SHIPPED_JOURNEY, defaults={"is_default": True}
        )
        if not template.is_default:
            template.is_default = True
            template.save(update_fields=["is_default"])
        if not template.stages.exists():
            JourneyStage.objects.bulk_create(
                JourneyStage(
                    template=template,
                    position=position,
                    name=name,
                    exit_criteria=exit_criteria,
                    usual_role=role,
                )
                for position, (name, exit_criteria, role) in enumerate(SHIPPED_STAGES, start=1)
            )
    return template


def owner_error(owner: User | None) -> str:
    """Why `owner` cannot own a client ('' when they can)."""
    if owner is None:
        return ""
    if not owner.is_active:
        return f"{owner} has left and cannot own a client."
    if not owner.is_superuser and owner.role not in OWNER_ROLES:
        return (
            f"{owner} is a {owner.get_role_display().lower()}; a client's owner is an account "
            "manager or an L&D coordinator."
        )
    return ""


def clean_client_fields(
    *,
    kind: str,
    name: str,
    unit: OrgUnit | None,
    sector: str = "",
    size_band: str = "",
    website: str = "",
    owner: User | None = None,
    exclude_pk: int | None = None,
) -> dict[str, str]:
    """Field errors of a client (empty when valid): shared by the form, the API and imports."""
    errors: dict[str, str] = {}
    name = name.strip()
    if kind not in Kind.values:
        errors["kind"] = "Kind must be 'internal' (a business unit) or 'external' (an employer)."
    if not name:
        errors["name"] = "Give the client a name."
    elif len(name) > NAME_MAX:
        errors["name"] = f"The name is {len(name):,} characters; keep it to {NAME_MAX}."
    else:
        same = Client.objects.annotate(lname=Lower("name")).filter(lname=name.lower())
        if exclude_pk is not None:
            same = same.exclude(pk=exclude_pk)
        if same.exists():
            errors["name"] = f"A client called {name!r} already exists."
    if kind == Kind.INTERNAL:
        if unit is None:
            errors["unit"] = "A business unit client needs its organisation unit."
        else:
            taken = Client.objects.filter(unit=unit)
            if exclude_pk is not None:
                taken = taken.exclude(pk=exclude_pk)
            if taken.exists():
                errors["unit"] = f"{unit.name} is already a client."
    elif kind == Kind.EXTERNAL and unit is not None:
        errors["unit"] = "An outside employer is not one of our organisation units."
    if len(sector) > 100:
        errors["sector"] = "Keep the sector to 100 characters."
    if size_band and size_band not in SizeBand.values:
        errors["size_band"] = f"Size band must be one of {', '.join(SizeBand.values)}."
    if website:
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            errors["website"] = f"{website!r} is not a web address (https://...)."
    if message := owner_error(owner):
        errors["owner"] = message
    return errors


@transaction.atomic
def create_client(
    *,
    acting_user: User,
    kind: str,
    name: str,
    unit: OrgUnit | None = None,
    sector: str = "",
    size_band: str = "",
    address: str = "",
    website: str = "",
    notes: str = "",
    owner: User | None = None,
    journey: JourneyTemplate | None = None,
) -> Client:
    """Add a client; an account manager who adds one owns it unless another owner is named."""
    require(can_create_clients(acting_user), CREATE_DENIED)
    if owner is None and acting_user.role in OWNER_ROLES and not can_assign_owners(acting_user):
        owner = acting_user
    if owner is not None and owner != acting_user and not can_assign_owners(acting_user):
        raise ValidationError({"owner": OWNER_DENIED})
    errors = clean_client_fields(
        kind=kind,
        name=name,
        unit=unit,
        sector=sector,
        size_band=size_band,
        website=website,
        owner=owner,
    )
    if errors:
        raise ValidationError(errors)
    template = journey or default_journey()
    client = Client.objects.create(
        kind=kind,
        name=name.strip(),
        unit=unit if kind == Kind.INTERNAL else None,
        sector=sector.strip(),
        size_band=size_band,
        address=address.strip(),
        website=website.strip(),
        notes=notes.strip(),
        owner=owner,
        journey=template,
        stage=template.stages.order_by("position").first(),
    )
    if owner is not None:
        OwnerChange.objects.create(
            client=client,
            new_owner=owner,
            reason="Owner when the client was added.",
            changed_by=acting_user,
        )
    return client


EDITABLE = ("name", "sector", "size_band", "address", "website", "notes", "is_active")


@transaction.atomic
def update_client(*, acting_user: User, client: Client, **changes: Any) -> Client:
    """Change a client's details (not its kind, unit or owner: see `change_owner`)."""
    require_editor(acting_user, client)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    merged = {field: getattr(client, field) for field in EDITABLE} | changes
    errors = clean_client_fields(
        kind=client.kind,
        name=merged["name"],
        unit=client.unit,
        sector=merged["sector"],
        size_band=merged["size_band"],
        website=merged["website"],
        exclude_pk=client.pk,
    )
    if errors:
        raise ValidationError(errors)
    for field, value in changes.items():
        setattr(client, field, value.strip() if isinstance(value, str) else value)
    client.save()
    return client


@transaction.atomic
def change_owner(
    *, acting_user: User, client: Client, owner: User | None, reason: str
) -> OwnerChange:
    """Hand the client to `owner` (None leaves it without one), with the reason, kept in history.

    The new owner is told through their inbox."""
    require(can_assign_owners(acting_user), OWNER_DENIED)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the owner changes; it is kept in the history."})
    if message := owner_error(owner):
        raise ValidationError({"owner": message})
    if owner == client.owner:
        raise ValidationError({"owner": f"{owner or 'Nobody'} already owns {client}."})
    change = OwnerChange.objects.create(
        client=client,
        previous_owner=client.owner,
        new_owner=owner,
        reason=reason,
        changed_by=acting_user,
    )
    client.owner = owner
    client.save(update_fields=["owner", "updated_at"])
    if owner is not None and owner != acting_user:
        notify(
            recipient=owner,
            message=f"You now own the client {client}: {reason}",
            url=client.get_absolute_url(),
        )
    return change


# --- contacts ----------------------------------------------------------------------------------


def clean_contact_fields(
    *,
    client: Client,
    name: str,
    email: str = "",
    phone: str = "",
    job_title: str = "",
    user: User | None = None,
    exclude_pk: int | None = None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = "Give the contact's name."
    elif len(name) > NAME_MAX:
        errors["name"] = f"Keep the name to {NAME_MAX} characters."
    if len(job_title) > NAME_MAX:
        errors["job_title"] = f"Keep the job title to {NAME_MAX} characters."
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = f"{email!r} is not an email address."
        else:
            same = client.contacts.annotate(lemail=Lower("email")).filter(lemail=email.lower())
            if exclude_pk is not None:
                same = same.exclude(pk=exclude_pk)
            if same.exists():
                errors["email"] = f"{client} already has a contact with the email {email}."
    if len(phone) > 40:
        errors["phone"] = "Keep the phone number to 40 characters."
    if user is not None:
        taken = Contact.objects.filter(user=user)
        if exclude_pk is not None:
            taken = taken.exclude(pk=exclude_pk)
        if taken.exists():
            errors["user"] = f"The login {user.username} already belongs to another contact."
        elif user.role != "employer_contact":
            errors["user"] = (
                f"The login {user.username} is not an employer contact's login; a client's "
                "portal is only for employer contacts."
            )
    return errors


@transaction.atomic
def add_contact(
    *,
    acting_user: User,
    client: Client,
    name: str,
    job_title: str = "",
    email: str = "",
    phone: str = "",
    marketing_consent: bool = False,
    user: User | None = None,
) -> Contact:
    require_editor(acting_user, client)
    errors = clean_contact_fields(
        client=client, name=name, email=email, phone=phone, job_title=job_title, user=user
    )
    if errors:
        raise ValidationError(errors)
    return Contact.objects.create(
        client=client,
        name=name.strip(),
        job_title=job_title.strip(),
        email=email.strip(),
        phone=phone.strip(),
        marketing_consent=marketing_consent,
        consent_changed_at=timezone.now() if marketing_consent else None,
        user=user,
    )


CONTACT_EDITABLE = ("name", "job_title", "email", "phone", "marketing_consent", "is_active")


@transaction.atomic
def update_contact(*, acting_user: User, contact: Contact, **changes: Any) -> Contact:
    require_editor(acting_user, contact.client)
    unknown = set(changes) - set(CONTACT_EDITABLE)
    if unknown:
        raise ValidationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    merged = {field: getattr(contact, field) for field in CONTACT_EDITABLE} | changes
    errors = clean_contact_fields(
        client=contact.client,
        name=merged["name"],
        email=merged["email"],
        phone=merged["phone"],
        job_title=merged["job_title"],
        exclude_pk=contact.pk,
    )
    if errors:
        raise ValidationError(errors)
    if "marketing_consent" in changes and changes["marketing_consent"] != contact.marketing_consent:
        contact.consent_changed_at = timezone.now()
    for field, value in changes.items():
        setattr(contact, field, value.strip() if isinstance(value, str) else value)
    contact.save()
    return contact


def anonymise_contact(contact: Contact) -> None:
    """Blank what identifies `contact` and cut their login's link, keeping the row so the
    interactions, stakeholder entries and survey answers it took part in still add up.
    No permission check: `erase_contact` checks, and personal-data erasure calls it directly."""
    contact.name = f"Erased contact {contact.pk}"
    contact.job_title = ""
    contact.email = ""
    contact.phone = ""
    contact.marketing_consent = False
    contact.consent_changed_at = timezone.now()
    contact.user = None
    contact.is_active = False
    contact.save()


@transaction.atomic
def erase_contact(*, acting_user: User, contact: Contact, reason: str) -> Contact:
    """A contact's right to erasure (docs/personal-data.md): their name, email and phone are
    blanked for good; what they took part in stays, without their name."""
    require_editor(acting_user, contact.client)
    if not reason.strip():
        raise ValidationError({"reason": "Give the erasure request's reference or reason."})
    anonymise_contact(contact)
    return contact
