"""The production server starts with DEBUG off on PostgreSQL, logs people in and serves the
main pages, static files, security headers and the API."""

from __future__ import annotations

import re

import requests

from milepost.site.demo.build import DEMO_PASSWORD

MAIN_PAGES = [
    "/",
    "/frameworks/",
    "/people/units/",
    "/people/employees/",
    "/people/reviews/",
    "/frameworks/profiles/",
    "/needs/",
    "/needs/board/",
    "/needs/themes/",
    "/insights/gaps/",
    "/catalogue/",
    "/accounts/notifications/",
    "/accounts/tokens/",
]


def _csrf(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "no CSRF token in the form"
    return match.group(1)


def _log_in(url: str, username: str) -> requests.Session:
    session = requests.Session()
    form = session.get(f"{url}/accounts/login/", timeout=30)
    assert form.status_code == 200
    response = session.post(
        f"{url}/accounts/login/",
        data={
            "username": username,
            "password": DEMO_PASSWORD,
            "csrfmiddlewaretoken": _csrf(form.text),
        },
        headers={"Referer": f"{url}/accounts/login/"},
        timeout=30,
    )
    assert response.status_code == 200, response.text[:500]
    assert response.url == f"{url}/", "the log-in did not reach the home page"
    return session


def test_coordinator_logs_in_and_loads_the_main_pages(server: str) -> None:
    session = _log_in(server, "coordinator")
    for page in MAIN_PAGES:
        response = session.get(f"{server}{page}", timeout=60)
        assert response.status_code == 200, f"{page} answered {response.status_code}"
        assert "Traceback" not in response.text
        headers = response.headers
        assert "script-src 'self'" in headers["Content-Security-Policy"], page
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "camera=()" in headers["Permissions-Policy"]
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', session.get(f"{server}/").text)
    assert stylesheet, "the home page links no stylesheet"
    assert session.get(f"{server}{stylesheet.group(1)}", timeout=30).status_code == 200


def test_wrong_password_is_refused_and_errors_hide_the_debug_page(server: str) -> None:
    session = requests.Session()
    form = session.get(f"{server}/accounts/login/", timeout=30)
    refused = session.post(
        f"{server}/accounts/login/",
        data={"username": "employee", "password": "wrong", "csrfmiddlewaretoken": _csrf(form.text)},
        headers={"Referer": f"{server}/accounts/login/"},
        timeout=30,
    )
    assert refused.status_code == 200 and "/accounts/login/" in refused.url
    missing = _log_in(server, "employee").get(f"{server}/no-such-page/", timeout=30)
    assert missing.status_code == 404
    assert "Traceback" not in missing.text and "DEBUG = True" not in missing.text


def test_api_works_with_a_token_made_on_the_tokens_page(server: str) -> None:
    session = _log_in(server, "coordinator")
    page = session.get(f"{server}/accounts/tokens/", timeout=30)
    created = session.post(
        f"{server}/accounts/tokens/",
        data={
            "name": "smoke",
            "scope": "read",
            "lifetime": "7",
            "csrfmiddlewaretoken": _csrf(page.text),
        },
        headers={"Referer": f"{server}/accounts/tokens/"},
        timeout=30,
    )
    token = re.search(r'<code id="new-token">([^<]+)</code>', created.text)
    assert token, "the tokens page showed no new token"
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {token.group(1)}"
    courses = api.get(f"{server}/api/v1/courses", timeout=30)
    assert courses.status_code == 200 and courses.headers["Content-Type"].startswith(
        "application/json"
    )
    missing = api.get(f"{server}/api/v1/needs/999999", timeout=30)
    assert missing.status_code == 404
    assert missing.headers["Content-Type"].startswith("application/json")
    assert "message" in missing.json()
    refused = api.post(f"{server}/api/v1/needs", json={"title": "x"}, timeout=30)
    assert refused.status_code == 403, "a read-only token wrote"
