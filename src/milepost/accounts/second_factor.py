"""Two-factor log-in (TOTP from an authenticator app, with recovery codes), on django-otp.

After the password, a user with a confirmed authenticator (or whose role is in
`TWO_FACTOR_REQUIRED_ROLES`) is held at the verification (or enrolment) page until they give a
code: `SecondFactorMiddleware` decides from a flag put in the session at log-in, so pages cost
no extra query. Recovery codes are django-otp static tokens, each good once. An admin resets a
lost authenticator by deleting the person's devices on the admin site (django-otp's admin).
"""

from __future__ import annotations

import base64
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from milepost.accounts.models import User

# Session flag set at log-in: "verify" (has an authenticator), "enrol" (must set one up), absent.
SESSION_KEY = "milepost_second_factor_due"
VERIFY, ENROL = "verify", "enrol"
RECOVERY_CODES = 10
AUTHENTICATOR_NAME = "Authenticator app"


def is_required_for(user: User) -> bool:
    return user.role in settings.TWO_FACTOR_REQUIRED_ROLES


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def due_at_login(user: User) -> str | None:
    """What a user must do after their password: verify a code, enrol, or nothing."""
    if has_authenticator(user):
        return VERIFY
    if is_required_for(user):
        return ENROL
    return None


def note_due_at_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """user_logged_in receiver (accounts/apps.py): remember in the session what is due."""
    if request is None or not hasattr(request, "session"):
        return
    due = due_at_login(user)
    if due:
        request.session[SESSION_KEY] = due
    else:
        request.session.pop(SESSION_KEY, None)


def due_for(request: HttpRequest) -> str | None:
    """What the signed-in user of this request still has to do (None: nothing)."""
    user = request.user
    if not user.is_authenticated:
        return None
    due = request.session.get(SESSION_KEY)
    if due and getattr(user, "is_verified", lambda: False)():
        return None
    return due


def hide_unverified_user(request: HttpRequest) -> None:
    """The API must not accept a session that has only passed the password."""
    request.user = AnonymousUser()


# --- enrolment ---------------------------------------------------------------------------------


def pending_authenticator(*, acting_user: User) -> TOTPDevice:
    """The authenticator being set up (a new secret the first time, the same one on reloads)."""
    device = TOTPDevice.objects.filter(user=acting_user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=acting_user, name=AUTHENTICATOR_NAME, confirmed=False
        )
    return device


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URL as an SVG QR code, drawn here (nothing fetched), as a data: URI."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode("ascii")


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for apps that cannot scan."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def confirm_authenticator(*, acting_user: User, request: HttpRequest, code: str) -> list[str]:
    """Confirm the pending authenticator with a code from it; returns new recovery codes.

    The session counts as verified from then on.
    """
    pending = TOTPDevice.objects.select_for_update().filter(user=acting_user, confirmed=False)
    device = pending.first()
    if device is None:
        raise ValidationError({"code": ["Open this page again to get a new QR code."]})
    if not device.verify_token(code.replace(" ", "")):
        raise ValidationError(
            {"code": ["That code is not right: type the 6 digits your app shows now."]}
        )
    TOTPDevice.objects.filter(user=acting_user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = replace_recovery_codes(acting_user=acting_user)
    otp_login(request, device)
    request.session.pop(SESSION_KEY, None)
    return codes


@transaction.atomic
def replace_recovery_codes(*, acting_user: User) -> list[str]:
    """New recovery codes (the old ones stop working); each logs in once without the app."""
    device, _ = StaticDevice.objects.get_or_create(
        user=acting_user, defaults={"name": "Recovery codes", "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


# --- verification ------------------------------------------------------------------------------


def verify_second_factor(*, acting_user: User, request: HttpRequest, code: str) -> None:
    """Accept a code from the authenticator app or an unused recovery code for this session."""
    device = match_token(acting_user, code.replace(" ", "").strip())
    if device is None:
        raise ValidationError(
            {
                "code": [
                    "That code is not right. Type the 6 digits your app shows now, or one of "
                    "your recovery codes; after several wrong codes each try waits longer."
                ]
            }
        )
    otp_login(request, device)
    request.session.pop(SESSION_KEY, None)


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def authenticators_of(user: User) -> list[Any]:
    return list(devices_for_user(user, confirmed=True))
