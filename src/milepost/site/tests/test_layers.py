"""The app layering (docs/architecture.md) as a test: walks every module's imports with `ast`.

An app may import only from its own floor or below, and two apps on one floor may not import
each other (one direction only). `lib` and `engines` import no app; `engines` not even Django.
Tests follow the same rule as their app, plus the shared test support in `milepost.testing`.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]  # src/milepost

FLOORS: dict[str, int] = {
    "lib": 0,
    "engines": 0,
    "accounts": 1,
    "frameworks": 2,
    "people": 3,
    "reviews": 3,
    "catalogue": 3,
    "needs": 3,
    "clients": 3,
    "proposals": 3,
    "delivery": 3,
    "insights": 4,
    "evaluation": 4,
    "compliance": 4,
    "quality": 4,
    "site": 5,
}
# Project modules beside the apps: settings are read through django.conf, never imported;
# `testing` holds the factories, for tests only.
PROJECT_MODULES = {"settings", "cli", "wsgi", "testing", "__init__"}
TEST_SUPPORT = "testing"


@dataclass(frozen=True)
class Import:
    source: str  # the importing app (first part of the module path under milepost/)
    target: str  # the imported app or project module
    file: str  # path under src/milepost
    line: int
    statement: str
    in_tests: bool


def _owner(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    return parts[0].removesuffix(".py")


def _imported_modules(tree: ast.AST) -> list[tuple[str, int]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "milepost":  # `from milepost import x`
                found += [(f"milepost.{alias.name}", node.lineno) for alias in node.names]
            else:
                found.append((node.module, node.lineno))
    return found


def all_imports() -> list[Import]:
    imports = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        source = _owner(path)
        lines = path.read_text(encoding="utf-8").splitlines()
        for module, line in _imported_modules(ast.parse(path.read_text(encoding="utf-8"))):
            parts = module.split(".")
            if parts[0] == "milepost" and len(parts) > 1:
                target = parts[1]
            elif parts[0] == "django" and source == "engines":
                target = "django"
            else:
                continue
            if target != source:
                imports.append(
                    Import(
                        source=source,
                        target=target,
                        file=str(relative),
                        line=line,
                        statement=lines[line - 1].strip(),
                        in_tests="tests" in relative.parts,
                    )
                )
    return imports


def test_every_package_states_its_floor():
    packages = {_owner(path) for path in PACKAGE.glob("*") if path.suffix in ("", ".py")}
    packages -= {"__pycache__", "templates", "static"}
    unknown = sorted(packages - FLOORS.keys() - PROJECT_MODULES)
    assert not unknown, f"add these to FLOORS here and in docs/architecture.md: {unknown}"


def describe(found: Import) -> str:
    return f"{found.file}:{found.line}: {found.statement}"


def test_no_app_imports_a_higher_floor():
    wrong = []
    for found in all_imports():
        if found.source in PROJECT_MODULES:
            continue
        if found.target == "django":
            wrong.append(f"{describe(found)} (engines are plain Python: no Django)")
        elif found.target == TEST_SUPPORT:
            if not found.in_tests:
                wrong.append(f"{describe(found)} (test support is for tests only)")
        elif found.target == "settings":
            wrong.append(f"{describe(found)} (read settings through django.conf)")
        elif found.target in PROJECT_MODULES:
            if found.source != "site":
                wrong.append(f"{describe(found)} (only the site app may use {found.target})")
        elif FLOORS[found.target] > FLOORS[found.source]:
            wrong.append(
                f"{describe(found)} ({found.source} is on floor {FLOORS[found.source]}, "
                f"{found.target} on floor {FLOORS[found.target]})"
            )
        elif FLOORS[found.source] == 0 and found.target not in ("lib", "engines"):
            wrong.append(f"{describe(found)} (floor 0 imports no app)")
    assert not wrong, "imports from a higher floor:\n" + "\n".join(wrong)


def test_apps_on_one_floor_import_each_other_in_one_direction_only():
    edges: dict[tuple[str, str], list[Import]] = defaultdict(list)
    for found in all_imports():
        if (
            found.source in FLOORS
            and found.target in FLOORS
            and FLOORS[found.source] == FLOORS[found.target]
        ):
            edges[(found.source, found.target)].append(found)
    circles = []
    for (source, target), there in sorted(edges.items()):
        if source < target and (target, source) in edges:
            back = edges[(target, source)]
            circles.append(f"{source} <-> {target}: {describe(there[0])} and {describe(back[0])}")
    assert not circles, "apps on one floor importing each other:\n" + "\n".join(circles)


@pytest.mark.parametrize(
    "statement, expected",
    [
        ("from milepost.insights.gaps import x", "milepost.insights.gaps"),
        ("import milepost.needs.models", "milepost.needs.models"),
        ("from milepost import exports", "milepost.exports"),
    ],
)
def test_the_walker_sees_every_import_form(statement, expected):
    assert [module for module, _ in _imported_modules(ast.parse(statement))] == [expected]
