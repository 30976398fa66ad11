"""Forms of the stakeholder map pages: a stakeholder, asking colleagues, a colleague's answer.

The rules (who a stakeholder may be, ratings 1-5, a challenge needs a comment) are the
services'; these forms parse input and show the services' errors on their fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from milepost.accounts.models import User
from milepost.clients.models import BodyType, Contact, ReviewAnswer, StakeholderMap

RATING_CHOICES = [(n, f"{n}") for n in range(1, 6)]


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        user: User = obj
        name = user.get_full_name() or user.username
        return f"{name} ({user.get_role_display()})"


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        user: User = obj
        name = user.get_full_name() or user.username
        return f"{name} ({user.get_role_display()})"


class StakeholderForm(forms.Form):
    """Who the stakeholder is (one of three), where they sit, what they want."""

    contact = forms.ModelChoiceField(
        queryset=Contact.objects.none(),
        required=False,
        label="A contact at the client",
        empty_label="Not a contact",
    )
    person = PersonChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Or a colleague in our organisation",
        empty_label="Not a colleague",
    )
    body_name = forms.CharField(
        required=False,
        max_length=200,
        label="Or an outside body",
        help_text="E.g. the awarding body, the regulator, a funding agency, a sector council.",
    )
    body_type = forms.ChoiceField(
        required=False, choices=[("", "Choose the kind of body"), *BodyType.choices]
    )
    power = forms.TypedChoiceField(
        choices=RATING_CHOICES, coerce=int, initial=3, help_text="1 low, 5 high."
    )
    interest = forms.TypedChoiceField(
        choices=RATING_CHOICES, coerce=int, initial=3, help_text="1 low, 5 high."
    )
    legitimate = forms.BooleanField(
        required=False, label="Their claim on us is legitimate (legitimacy)"
    )
    urgent = forms.BooleanField(
        required=False, label="Their claim calls for quick attention (urgency)"
    )
    wants = forms.CharField(
        required=False,
        label="What they want from us",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    engagement = forms.CharField(
        required=False,
        label="How we engage them",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    shared_with_client = forms.BooleanField(
        required=False, label="The client's contacts see this entry in their portal"
    )

    def __init__(
        self, *args: Any, stakeholder_map: StakeholderMap, people: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        person_field = self.fields["person"]
        assert isinstance(person_field, forms.ModelChoiceField)
        person_field.queryset = people
        contact_field = self.fields["contact"]
        assert isinstance(contact_field, forms.ModelChoiceField)
        if stakeholder_map.client_id is None:
            del self.fields["contact"]
            del self.fields["shared_with_client"]
            person_field.label = "A colleague in our organisation"
        else:
            contact_field.queryset = Contact.objects.filter(
                client_id=stakeholder_map.client_id, is_active=True
            ).order_by("name", "pk")

    def service_arguments(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.setdefault("contact", None)
        data.setdefault("shared_with_client", False)
        return data


class AskColleaguesForm(forms.Form):
    colleagues = PeopleChoiceField(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Colleagues to confirm the map",
        help_text="Each is told in their inbox and can agree or challenge it with a comment.",
    )
    agreement_share = forms.IntegerField(
        min_value=1,
        max_value=100,
        label="Share that must agree (%)",
        help_text="The map is signed off once this share of the colleagues asked agrees.",
    )
    note = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="A note to them (optional)",
    )

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["colleagues"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = people


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[
            (ReviewAnswer.AGREED, "I agree: these are our principal stakeholders"),
            (ReviewAnswer.CHALLENGED, "I challenge it (say what you would change)"),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when you challenge the map.",
    )
