"""Brute force: too many failed logins lock the account and the address for a while (django-axes).

Addresses are set per request (REMOTE_ADDR); 192.0.2.0/24 and 198.51.100.0/24 are documentation
ranges, nothing is sent anywhere.
"""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from milepost.accounts.models import Role
from milepost.accounts.services import issue_api_token
from milepost.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"  # set by UserFactory
ATTACKER = "192.0.2.66"
COLLEAGUE = "198.51.100.7"
ACCOUNT_LIMIT = settings.AXES_FAILURE_LIMIT
ADDRESS_LIMIT = settings.LOGIN_ADDRESS_FAILURE_LIMIT


@pytest.fixture
def lena():
    return UserFactory(username="lena", role=Role.COORDINATOR)


def log_in(username: str, password: str, address: str = ATTACKER, path: str = ""):
    client = Client(REMOTE_ADDR=address)
    response = client.post(path or reverse("login"), {"username": username, "password": password})
    return client, response


def guess(username: str, times: int, address: str = ATTACKER) -> None:
    for attempt in range(times):
        log_in(username, f"wrong-{attempt}", address)


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_right_password_is_refused_after_too_many_wrong_ones(lena):
    guess("lena", ACCOUNT_LIMIT)
    client, response = log_in("lena", PASSWORD)
    assert response.status_code == 429
    assert not is_logged_in(client)


def test_the_locked_out_person_is_told_when_to_try_again(lena):
    guess("lena", ACCOUNT_LIMIT)
    _, response = log_in("lena", PASSWORD)
    text = response.content.decode()
    assert "Too many failed log-ins" in text
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert f"in {minutes} minutes" in text
    assert "ask an administrator" in text


def test_an_account_lockout_holds_from_every_address(lena):
    guess("lena", ACCOUNT_LIMIT)
    client, response = log_in("lena", PASSWORD, address=COLLEAGUE)
    assert response.status_code == 429
    assert not is_logged_in(client)


def test_a_lockout_does_not_lock_another_account(lena):
    UserFactory(username="omar")
    guess("lena", ACCOUNT_LIMIT)
    client, response = log_in("omar", PASSWORD, address=COLLEAGUE)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_guessing_many_accounts_from_one_address_locks_that_address(lena):
    UserFactory(username="omar")
    for number in range(ADDRESS_LIMIT):
        log_in(f"someone-{number}", "wrong")
    attacker, refused = log_in("omar", PASSWORD)
    colleague, allowed = log_in("omar", PASSWORD, address=COLLEAGUE)
    assert refused.status_code == 429 and not is_logged_in(attacker)
    assert allowed.status_code == 302 and is_logged_in(colleague)


def test_a_few_mistakes_do_not_lock_anyone_out(lena):
    guess("lena", ACCOUNT_LIMIT - 1)
    client, response = log_in("lena", PASSWORD)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_the_admin_login_shares_the_lockout(lena):
    admin_login = reverse("admin:login")
    lena.is_staff = True
    lena.save()
    for attempt in range(ACCOUNT_LIMIT):
        log_in("lena", f"wrong-{attempt}", path=admin_login)
    client, response = log_in("lena", PASSWORD, path=admin_login)
    assert response.status_code == 429
    assert not is_logged_in(client)
    _, web = log_in("lena", PASSWORD)
    assert web.status_code == 429


def test_an_admin_unlocks_an_account_with_the_command(lena, capsys):
    guess("lena", ACCOUNT_LIMIT)
    call_command("unlock", "lena")
    assert "lena" in capsys.readouterr().out
    client, response = log_in("lena", PASSWORD, address=COLLEAGUE)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_an_admin_unlocks_an_address_with_the_command(lena):
    for number in range(ADDRESS_LIMIT):
        log_in(f"someone-{number}", "wrong")
    call_command("unlock", "--address", ATTACKER)
    client, response = log_in("lena", PASSWORD)
    assert response.status_code == 302
    assert is_logged_in(client)


def test_unlocking_an_account_that_is_not_locked_says_so(lena, capsys):
    call_command("unlock", "lena")
    assert "no failed log-ins" in capsys.readouterr().out


def test_an_admin_unlocks_an_account_on_the_admin_site(lena, org):
    guess("lena", ACCOUNT_LIMIT)
    admin = Client()
    admin.force_login(org.admin)
    changelist = reverse("admin:axes_accessattempt_changelist")
    listed = admin.get(changelist, {"q": "lena"})
    assert listed.status_code == 200
    assert b"lena" in listed.content
    ids = list(AccessAttempt.objects.filter(username="lena").values_list("pk", flat=True))
    response = admin.post(
        changelist,
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 302
    client, login_response = log_in("lena", PASSWORD)
    assert login_response.status_code == 302
    assert is_logged_in(client)


# --- API tokens --------------------------------------------------------------------------------

PROTECTED = "/api/v1/employees"


def call_api(token: str, address: str = ATTACKER):
    return Client(REMOTE_ADDR=address).get(PROTECTED, headers={"Authorization": f"Bearer {token}"})


def test_a_wrong_token_is_401_until_the_address_reaches_its_limit(org):
    answers = [call_api(f"mp_guess-{n}").status_code for n in range(ADDRESS_LIMIT)]
    assert answers[:-1] == [401] * (ADDRESS_LIMIT - 1)
    assert answers[-1] == 429


def test_wrong_tokens_from_one_address_are_throttled_with_the_api_error_shape(org):
    for number in range(ADDRESS_LIMIT):
        call_api(f"mp_guess-{number}")
    response = call_api("mp_one-more-guess")
    assert response.status_code == 429
    body = response.json()
    assert set(body) == {"message", "fields", "code"}
    assert body["code"] == "throttled"
    assert "try again" in body["message"]
    assert int(response["Retry-After"]) > 0


def test_throttled_token_guessing_does_not_stop_other_addresses(org):
    _, raw = issue_api_token(acting_user=org.coordinator, name="sync")
    for number in range(ADDRESS_LIMIT):
        call_api(f"mp_guess-{number}")
    assert call_api(raw, address=COLLEAGUE).status_code == 200
    assert call_api("mp_wrong", address=COLLEAGUE).status_code == 401


def test_wrong_tokens_count_towards_the_address_lockout_of_the_login_page(org):
    for number in range(ADDRESS_LIMIT):
        call_api(f"mp_guess-{number}")
    client, response = log_in("coordinator", PASSWORD)
    assert response.status_code == 429
    assert not is_logged_in(client)
