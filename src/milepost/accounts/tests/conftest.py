from __future__ import annotations

import pytest
from django.test import Client

from milepost.accounts.models import User


@pytest.fixture
def login(client: Client):
    """`login(user)` returns the test client signed in as `user`."""

    def sign_in(user: User) -> Client:
        client.force_login(user)
        return client

    return sign_in
