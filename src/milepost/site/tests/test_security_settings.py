"""Deployment settings: security headers on every page, HTTPS from the environment, a strong
SECRET_KEY, and `check --deploy` clean in the production configuration docs/security.md gives.

Settings are read once at start-up, so the start-up tests run Django in a child process with
the environment under test (and without PYTEST_VERSION, which would mean "tests").
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

SRC = Path(settings.BASE_DIR).parent
SECURITY_DOC = SRC.parent / "docs" / "security.md"


def run_django(code: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run `code` after django.setup() in a fresh interpreter with only `env` (and the basics)."""
    base = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(SRC),
        "DJANGO_SETTINGS_MODULE": "milepost.settings",
        "HOME": os.environ.get("HOME", "/tmp"),
    }
    script = f"import django\ndjango.setup()\n{code}"
    return subprocess.run(
        [sys.executable, "-c", script],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def documented_production_environment() -> dict[str, str]:
    """The NAME=value lines of the production block in docs/security.md; `<...>` placeholders
    get a value of the kind they ask for."""
    text = SECURITY_DOC.read_text()
    block = text.split("<!-- production-env -->")[1].split("```")[1]
    env = dict(re.findall(r"^([A-Z_]+)=(.*)$", block, flags=re.MULTILINE))
    assert env, "docs/security.md lost its production environment block"
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    return env


# --- headers -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy_and_a_permissions_policy():
    response = Client().get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_the_api_docs_relax_styles_on_their_own_page_only():
    docs = Client().get("/api/v1/docs")
    assert docs.status_code == 200
    assert "style-src 'self' 'unsafe-inline'" in docs["Content-Security-Policy"]
    assert "unsafe-inline" not in Client().get(reverse("login"))["Content-Security-Policy"]


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I), "inline script"),
    (re.compile(r"<style", re.I), "<style> block"),
    (re.compile(r"\sstyle=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+=", re.I), "inline event handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]
# Rendered to PDF by WeasyPrint, never served to a browser.
PDF_ONLY = {
    "catalogue/booklet/document.html",
    "clients/maps/map_print.html",
    "proposals/document/print.html",
}


def test_no_page_template_carries_inline_script_or_style():
    """A strict policy blocks these, so a page that used them would silently break."""
    found = []
    for template in sorted(SRC.glob("milepost/**/templates/**/*.html")):
        name = template.as_posix().split("/templates/", 1)[1]
        if name in PDF_ONLY:
            continue
        text = template.read_text()
        found += [f"{name}: {what}" for pattern, what in INLINE if pattern.search(text)]
    assert not found, "move these to static files: " + "; ".join(found)


# --- start-up ----------------------------------------------------------------------------------


def test_a_short_secret_key_refuses_to_start_and_says_how_to_make_one():
    result = run_django("", {"SECRET_KEY": "abc"})
    assert result.returncode != 0
    assert "SECRET_KEY is too weak" in result.stderr
    assert "secrets.token_urlsafe(50)" in result.stderr


def test_a_long_secret_key_of_few_characters_refuses_to_start():
    result = run_django("", {"SECRET_KEY": "ab" * 40})
    assert result.returncode != 0
    assert "5 different" in result.stderr


def test_a_weak_secret_key_is_allowed_with_debug_for_local_development():
    result = run_django("print('started')", {"SECRET_KEY": "abc", "DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_https_settings_come_from_the_environment():
    code = (
        "from django.conf import settings as s\n"
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        " s.SECURE_PROXY_SSL_HEADER)"
    )
    env = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_HSTS_SECONDS": "3600",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "yes",
        "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto: https",
    }
    result = run_django(code, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True 3600 True ('HTTP_X_FORWARDED_PROTO', 'https')"


def test_a_malformed_proxy_header_setting_says_what_it_should_look_like():
    env = {"SECRET_KEY": secrets.token_urlsafe(50), "SECURE_PROXY_SSL_HEADER": "https"}
    result = run_django("", env)
    assert result.returncode != 0
    assert "X-Forwarded-Proto: https" in result.stderr


def test_deploy_checks_are_clean_in_the_documented_production_configuration():
    env = documented_production_environment()
    code = (
        "from django.core.management import call_command\n"
        "call_command('check', deploy=True, fail_level='WARNING')\n"
    )
    result = run_django(code, env)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_checks_name_what_a_bare_production_start_lacks():
    """Without the HTTPS variables the deploy check warns: the test above is not vacuous."""
    env = {"SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "milepost.example.com"}
    code = "from django.core.management import call_command\ncall_command('check', deploy=True)\n"
    result = run_django(code, env)
    assert "security.W004" in result.stderr  # HSTS
    assert "security.W008" in result.stderr  # SSL redirect
