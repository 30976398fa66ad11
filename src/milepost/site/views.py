"""The home page and the about page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from milepost.site import selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "site/home.html", {"page": selectors.home_page(request.user)})


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "site/about.html")
