"""Forms of the client pages: the list's filters, a client, its owner, a contact, an interaction.

The forms only parse and offer choices; the services check the rules and their errors are put
back on the fields (`milepost.lib.form_errors.add_service_errors`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from milepost.accounts.models import OrgUnit, Role, User
from milepost.accounts.unit_fields import UnitChoiceField
from milepost.clients.models import (
    NAME_MAX,
    OWNER_ROLES,
    Contact,
    HealthBand,
    InteractionKind,
    JourneyStage,
    Kind,
    SizeBand,
)
from milepost.clients.services.interactions import NEXT_STEP_MAX, SUMMARY_MAX
from milepost.lib.widgets import date_input

NO_OWNER = "none"
# Who may take part in or own the next step of an interaction: L&D and the managers around a
# client, never an employee's or an employer contact's login (bounded: the drop-down stays
# small however many people the organisation has).
COLLEAGUE_ROLES = (
    Role.ADMIN,
    Role.COORDINATOR,
    Role.ACCOUNT_MANAGER,
    Role.QUALITY_LEAD,
    Role.EXECUTIVE,
    Role.LINE_MANAGER,
)


def person_label(user: User) -> str:
    return user.get_full_name() or user.username


class PersonChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return person_label(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return person_label(obj)


def possible_owners() -> QuerySet[User]:
    """Who may own a client: active account managers, coordinators and admins."""
    return User.objects.filter(
        Q(role__in=OWNER_ROLES) | Q(is_superuser=True), is_active=True
    ).order_by("first_name", "last_name", "username")


def colleagues() -> QuerySet[User]:
    return User.objects.filter(role__in=COLLEAGUE_ROLES, is_active=True).order_by(
        "first_name", "last_name", "username"
    )


# --- the list's filters -------------------------------------------------------------------------


class ClientFilterForm(forms.Form):
    SORT_CHOICES = [
        ("name", "Name"),
        ("-health", "Health, best first"),
        ("health", "Health, worst first"),
        ("-last_contact", "Last contact, latest first"),
        ("last_contact", "Last contact, longest ago first"),
    ]
    STATUS_CHOICES = [
        ("active", "Active"),
        ("archived", "Archived"),
        ("all", "Active and archived"),
    ]

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Name, sector or contact"}),
    )
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Any kind"), *Kind.choices]
    )
    sector = forms.ChoiceField(label="Sector", required=False)
    owner = forms.ChoiceField(label="Owner", required=False)
    stage = forms.ChoiceField(label="Journey stage", required=False)
    health = forms.ChoiceField(
        label="Health", required=False, choices=[("", "Any health"), *HealthBand.choices]
    )
    status = forms.ChoiceField(label="Status", required=False, choices=STATUS_CHOICES)
    sort = forms.ChoiceField(label="Sort by", required=False, choices=SORT_CHOICES)

    def __init__(
        self,
        *args: Any,
        sectors: list[str],
        owners: QuerySet[User],
        stages: QuerySet[JourneyStage],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", "Any sector"), *((s, s) for s in sectors)]  # type: ignore[attr-defined]
        self.fields["owner"].choices = [  # type: ignore[attr-defined]
            ("", "Anyone"),
            (NO_OWNER, "No owner"),
            *((str(user.pk), person_label(user)) for user in owners),
        ]
        self.fields["stage"].choices = [  # type: ignore[attr-defined]
            ("", "Any stage"),
            *((str(stage.pk), stage.name) for stage in stages),
        ]


# --- a client -----------------------------------------------------------------------------------


class ClientEditForm(forms.Form):
    """A client's details; its kind and unit stay, its owner changes through its own form."""

    name = forms.CharField(max_length=NAME_MAX)
    sector = forms.CharField(max_length=100, required=False)
    size_band = forms.ChoiceField(
        label="Size", required=False, choices=[("", "Not known"), *SizeBand.choices]
    )
    address = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    website = forms.CharField(
        required=False, max_length=200, widget=forms.URLInput(attrs={"placeholder": "https://"})
    )
    notes = forms.CharField(
        label="Internal notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Never shown to the client's contacts.",
    )
    is_active = forms.BooleanField(
        label="Active", required=False, help_text="Untick to archive the client."
    )


class ClientForm(ClientEditForm):
    """Add a client. The unit is asked for a business unit; the owner only of coordinators."""

    kind = forms.ChoiceField(choices=Kind.choices, initial=Kind.EXTERNAL, widget=forms.RadioSelect)
    unit = UnitChoiceField(
        label="Organisation unit",
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label="Choose the unit (business units only)",
        help_text="For a business unit of the group: the unit it is. Leave empty for an employer.",
    )
    owner = PersonChoiceField(
        queryset=User.objects.none(),
        required=False,
        empty_label="No owner yet",
        help_text="The one person accountable for this client.",
    )
    is_active = None  # type: ignore[assignment]  # a new client is active
    field_order = ["kind", "name", "unit"]

    def __init__(
        self, *args: Any, units: QuerySet[OrgUnit], choose_owner: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        if choose_owner:
            self.fields["owner"].queryset = possible_owners()  # type: ignore[attr-defined]
        else:
            del self.fields["owner"]


class OwnerForm(forms.Form):
    owner = PersonChoiceField(
        label="New owner",
        queryset=User.objects.none(),
        required=False,
        empty_label="Nobody (leave the client without an owner)",
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the ownership history and sent to the new owner.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = possible_owners()  # type: ignore[attr-defined]


# --- a contact ----------------------------------------------------------------------------------


class ContactForm(forms.Form):
    name = forms.CharField(max_length=NAME_MAX)
    job_title = forms.CharField(max_length=NAME_MAX, required=False)
    email = forms.CharField(
        max_length=254, required=False, widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    phone = forms.CharField(max_length=40, required=False)
    marketing_consent = forms.BooleanField(
        label="Agrees to hear about new courses and events", required=False
    )


class ContactEditForm(ContactForm):
    is_active = forms.BooleanField(
        label="Still a contact", required=False, help_text="Untick when they have moved on."
    )


# --- an interaction -----------------------------------------------------------------------------


class InteractionForm(forms.Form):
    kind = forms.ChoiceField(choices=InteractionKind.choices)
    occurred_at = forms.DateTimeField(
        label="When",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    summary = forms.CharField(
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What was said and agreed.",
    )
    internal_only = forms.BooleanField(
        label="Internal only",
        required=False,
        help_text="Kept from the client's contacts in their portal.",
    )
    contacts = forms.ModelMultipleChoiceField(
        label="Their people",
        queryset=Contact.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    colleagues = PeopleChoiceField(
        label="Our people",
        queryset=User.objects.none(),
        required=False,
        help_text="Hold Ctrl (or Cmd) to choose more than one.",
    )
    needs = forms.ModelMultipleChoiceField(
        label="Needs it was about",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    next_step = forms.CharField(max_length=NEXT_STEP_MAX, required=False)
    next_step_owner = PersonChoiceField(
        label="Next step owner", queryset=User.objects.none(), required=False
    )
    next_step_due = forms.DateField(label="Next step due", required=False, widget=date_input())

    def __init__(
        self, *args: Any, contacts: QuerySet[Contact], needs: QuerySet[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contacts"].queryset = contacts  # type: ignore[attr-defined]
        self.fields["colleagues"].queryset = colleagues()  # type: ignore[attr-defined]
        self.fields["next_step_owner"].queryset = colleagues()  # type: ignore[attr-defined]
        self.fields["needs"].queryset = needs  # type: ignore[attr-defined]
        self.fields["needs"].label_from_instance = lambda need: need.title  # type: ignore[attr-defined]
