from django.http import HttpRequest

from milepost.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """The request type of views behind the login: `user` is a real User."""

    user: User
