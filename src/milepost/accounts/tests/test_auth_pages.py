from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from milepost.accounts.models import Role
from milepost.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"  # set by UserFactory


@pytest.fixture
def user():
    return UserFactory(username="lena", role=Role.COORDINATOR)


def test_login_page_renders_with_labelled_inputs(db):
    response = Client().get(reverse("login"))
    assert response.status_code == 200
    assert b'<label for="id_username">' in response.content
    assert b'<label for="id_password">' in response.content


def test_login_with_the_right_password_goes_to_the_start_page(user):
    client = Client()
    response = client.post(reverse("login"), {"username": "lena", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_login_with_a_wrong_password_says_so(user):
    response = Client().post(reverse("login"), {"username": "lena", "password": "nope"})
    assert response.status_code == 200
    assert b"did not match" in response.content


def test_login_returns_to_the_page_asked_for(user):
    people = reverse("people:employee-list")
    response = Client().post(
        reverse("login"), {"username": "lena", "password": PASSWORD, "next": people}
    )
    assert response["Location"] == people


def test_logout_ends_the_session(user):
    client = Client()
    client.force_login(user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_password_change_needs_a_login(db):
    response = Client().get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_password_change_changes_the_password(user):
    client = Client()
    client.force_login(user)
    assert client.get(reverse("password_change")).status_code == 200
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-phrase-42",
            "new_password2": "a-much-longer-phrase-42",
        },
    )
    assert response["Location"] == reverse("password_change_done")
    assert client.get(reverse("password_change_done")).status_code == 200
    user.refresh_from_db()
    assert user.check_password("a-much-longer-phrase-42")


def test_password_change_with_the_wrong_old_password_is_refused(user):
    client = Client()
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "wrong",
            "new_password1": "a-much-longer-phrase-42",
            "new_password2": "a-much-longer-phrase-42",
        },
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
