"""The files in deploy/ stay true to the code: the commands they run exist, and the environment
example carries every production variable docs/security.md documents."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.management import get_commands

REPO = Path(__file__).resolve().parents[4]
DEPLOY = REPO / "deploy"


def _documented_production_variables() -> set[str]:
    text = (REPO / "docs" / "security.md").read_text()
    block = text.split("<!-- production-env -->")[1].split("```")[1]
    return {line.split("=", 1)[0] for line in block.splitlines() if "=" in line}


def test_environment_example_sets_every_documented_production_variable() -> None:
    example = (DEPLOY / "milepost.env.example").read_text()
    names = {line.split("=", 1)[0] for line in example.splitlines() if re.match(r"^[A-Z_]+=", line)}
    missing = _documented_production_variables() - names
    assert not missing, f"deploy/milepost.env.example lacks {sorted(missing)}"
    assert "TASKS_BACKEND" in names


def test_deploy_files_run_commands_that_exist() -> None:
    texts = [path.read_text() for path in DEPLOY.rglob("*") if path.is_file()]
    invocation = re.compile(r'(?:bin/|\["|^\s+)milepost(?: |", ")([a-z_]+)', re.MULTILINE)
    used = {m for text in texts for m in invocation.findall(text)}
    commands = set(get_commands())
    assert {"migrate", "db_worker", "collectstatic"} <= used
    assert used <= commands, f"unknown commands: {sorted(used - commands)}"
    assert any("gunicorn milepost.wsgi" in text or '"milepost.wsgi"' in text for text in texts)
