"""Two-factor log-in: enrolment with a QR code, the code after the password, recovery codes,
the requirement for configured roles only, and an admin's reset."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from milepost.accounts.models import Role
from milepost.accounts.second_factor import RECOVERY_CODES
from milepost.accounts.services import issue_api_token
from milepost.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"  # set by UserFactory
SETUP = reverse("two-factor")
VERIFY = reverse("two-factor-verify")
HOME = reverse("home")


def code_of(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """What the authenticator app shows now (or `steps_ahead` 30-second steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def password_login(username: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def enrol(client: Client, user) -> list[str]:
    page = client.get(SETUP)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(SETUP, {"code": code_of(device)})
    assert response.status_code == 200
    return response.context["recovery_codes"]


@pytest.fixture
def lena():
    return UserFactory(username="lena", role=Role.COORDINATOR)


def test_enrolment_shows_a_locally_drawn_qr_code_and_the_secret(lena):
    client = password_login("lena")
    page = client.get(SETUP).content.decode()
    image = re.search(r'<img class="qr-code" src="(data:image/svg\+xml;base64,[^"]+)"', page)
    assert image is not None
    assert "http" not in image.group(1)  # drawn here, nothing fetched
    assert 'id="totp-secret"' in page


def test_enrolment_with_the_right_code_turns_it_on_and_gives_recovery_codes(lena):
    client = password_login("lena")
    codes = enrol(client, lena)
    assert len(codes) == RECOVERY_CODES
    assert TOTPDevice.objects.get(user=lena).confirmed
    assert client.get(HOME).status_code == 200  # this session is verified


def test_enrolment_refuses_a_wrong_code(lena):
    client = password_login("lena")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=lena)
    wrong = f"{(int(code_of(device)) + 1) % 1_000_000:06d}"
    response = client.post(SETUP, {"code": wrong})
    assert response.status_code == 200
    assert "not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_after_the_password_an_enrolled_user_must_give_a_code(lena):
    enrol(password_login("lena"), lena)
    client = password_login("lena")
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert client.get(reverse("people:employee-list")).status_code == 302


def test_a_wrong_code_is_refused_and_keeps_the_user_out(lena):
    enrol(password_login("lena"), lena)
    client = password_login("lena")
    response = client.post(VERIFY, {"code": "000000"})
    assert response.status_code == 200
    assert "not right" in response.content.decode()
    assert client.get(HOME).status_code == 302


def test_the_right_code_lets_the_user_in(lena):
    enrol(password_login("lena"), lena)
    client = password_login("lena")
    device = TOTPDevice.objects.get(user=lena)
    response = client.post(VERIFY, {"code": code_of(device, steps_ahead=1), "next": "/needs/"})
    assert response.status_code == 302
    assert response["Location"] == "/needs/"
    assert client.get(HOME).status_code == 200


def test_a_recovery_code_works_once(lena):
    codes = enrol(password_login("lena"), lena)
    first = password_login("lena")
    assert first.post(VERIFY, {"code": codes[0]}).status_code == 302
    assert first.get(HOME).status_code == 200
    second = password_login("lena")
    assert second.post(VERIFY, {"code": codes[0]}).status_code == 200
    assert second.get(HOME).status_code == 302


def test_the_api_refuses_a_session_that_has_only_passed_the_password(lena):
    enrol(password_login("lena"), lena)
    _, raw = issue_api_token(acting_user=lena, name="script")
    client = password_login("lena")
    assert client.get("/api/v1/job-profiles").status_code == 401
    token = Client().get("/api/v1/job-profiles", headers={"Authorization": f"Bearer {raw}"})
    assert token.status_code == 200


def test_the_requirement_holds_the_configured_roles_at_enrolment(lena, settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["admin", "coordinator"]
    client = password_login("lena")
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)
    assert "needs two-factor" in client.get(SETUP).content.decode()


def test_the_requirement_leaves_other_roles_alone(settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["admin", "coordinator"]
    UserFactory(username="emma", role=Role.EMPLOYEE)
    client = password_login("emma")
    assert client.get(HOME).status_code == 200


def test_without_the_requirement_nobody_is_asked(lena):
    client = password_login("lena")
    assert client.get(HOME).status_code == 200


def test_an_admin_resets_a_lost_authenticator_on_the_admin_site(lena, org):
    enrol(password_login("lena"), lena)
    admin = Client()
    admin.force_login(org.admin)
    device = TOTPDevice.objects.get(user=lena)
    delete = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    assert admin.post(delete, {"post": "yes"}).status_code == 302
    client = password_login("lena")
    assert client.get(HOME).status_code == 200


def test_new_recovery_codes_replace_the_old_ones(lena):
    client = password_login("lena")
    old = enrol(client, lena)
    response = client.post(reverse("two-factor-codes"))
    new = response.context["recovery_codes"]
    assert set(new).isdisjoint(old)
    assert password_login("lena").post(VERIFY, {"code": new[1]}).status_code == 302
    assert password_login("lena").post(VERIFY, {"code": old[1]}).status_code == 200
