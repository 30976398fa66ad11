"""`milepost backup` and `milepost restore`: the demo comes back row for row and file for file;
damaged, newer or misplaced archives are refused and leave the database as it was."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.db.utils import load_backend

from milepost.accounts.models import User
from milepost.people.models import Assessment, Employee
from milepost.site.backup.archive import backed_up_models, columns, media_files

pytestmark = pytest.mark.django_db

SMALL_DEMO = 60  # the demo's fastest size (site/demo/tests/test_demo.py)


def table_rows(using: str = "default") -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows as value tuples in primary-key order."""
    return {
        model._meta.label_lower: list(
            model._base_manager.using(using)
            .order_by("pk")
            .values_list(*[column.attname for column in columns(model)])
        )
        for model in backed_up_models(using)
    }


def media_hashes(root: Path) -> dict[str, str]:
    return {
        relative: hashlib.sha256(path.read_bytes()).hexdigest()
        for relative, path in media_files(root)
    }


def run(command: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def rewrite(
    archive: Path, change: Callable[[str, bytes], bytes | None], name: str = "changed.zip"
) -> Path:
    """A copy of the archive with each member passed through change (None drops it)."""
    changed = archive.with_name(name)
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(changed, "w") as target:
        for name in source.namelist():
            content = change(name, source.read(name))
            if content is not None:
                target.writestr(name, content, zipfile.ZIP_DEFLATED)
    return changed


def edit_manifest(archive: Path, edit: Callable[[dict[str, Any]], None]) -> Path:
    def change(name: str, content: bytes) -> bytes:
        if name != "manifest.json":
            return content
        manifest = json.loads(content)
        edit(manifest)
        return json.dumps(manifest).encode()

    return rewrite(archive, change)


@pytest.fixture
def media_root(tmp_path: Path, settings: Any) -> Path:
    root = tmp_path / "media"
    (root / "evidence" / "2026").mkdir(parents=True)
    certificate = root / "evidence" / "2026" / "certificate-Zoë.pdf"
    certificate.write_bytes(b"%PDF-1.7 " + bytes(range(256)))
    (root / "photo.png").write_bytes(hashlib.sha256(b"seed").digest() * 4000)
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def empty_database(db: None, tmp_path: Path) -> Iterator[str]:
    """A second, freshly migrated database: a new SQLite file, or a new PostgreSQL database on
    the test server (dropped afterwards)."""
    alias = "restored"
    config = copy.deepcopy(connections.settings["default"])
    if connection.vendor == "sqlite":
        config["NAME"] = str(tmp_path / "restored.sqlite3")
    else:
        config["NAME"] = f"{connection.settings_dict['NAME']}_restored"
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}"')
            cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
    # Registered as a connection but not as a setting: Django's test case lets a connection
    # made during the test through, and refuses the aliases it knew at its start.
    connections[alias] = load_backend(config["ENGINE"]).DatabaseWrapper(config, alias)
    try:
        call_command("migrate", database=alias, verbosity=0)
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]
        if connection.vendor == "postgresql":
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}"')


def test_the_demo_restores_into_an_empty_database_with_every_row_and_file_equal(
    media_root: Path, empty_database: str, tmp_path: Path, settings: Any
) -> None:
    run("demo", "--size", str(SMALL_DEMO))
    archive = tmp_path / "demo.zip"
    backup_output = run("backup", str(archive))
    settings.MEDIA_ROOT = tmp_path / "restored-media"

    restore_output = run("restore", str(archive), "--database", empty_database)

    original, restored = table_rows(), table_rows(empty_database)
    assert original.keys() == restored.keys()
    for label, rows in original.items():
        assert restored[label] == rows, label
    assert len(original["people.assessment"]) == Assessment.objects.count() > 100
    assert len(original["people.employee"]) == Employee.objects.count() >= SMALL_DEMO
    assert media_hashes(tmp_path / "restored-media") == media_hashes(media_root)
    assert len(media_hashes(media_root)) == 2
    total = sum(len(rows) for rows in original.values())
    assert f"{total:,} rows" in backup_output and f"{total:,} rows" in restore_output
    assert "every table and media file matches its SHA-256" in restore_output
    # The sequences moved past the restored keys: new rows get new ids.
    newcomer = User.objects.db_manager(empty_database).create_user("newcomer", password="x" * 12)
    assert newcomer.pk > max(row[0] for row in original["accounts.user"])


def test_the_manifest_lists_migrations_row_counts_and_hashes(
    org: Any, media_root: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "org.zip"
    run("backup", str(archive))

    with zipfile.ZipFile(archive) as opened:
        manifest = json.loads(opened.read("manifest.json"))
        users = opened.read("data/accounts.user.jsonl")
    assert manifest["format_version"] == 1
    assert manifest["database_vendor"] == connection.vendor
    assert "0001_initial" in manifest["migrations"]["people"]
    assert manifest["tables"]["accounts.user"]["rows"] == User.objects.count()
    assert manifest["tables"]["accounts.user"]["sha256"] == hashlib.sha256(users).hexdigest()
    assert set(manifest["media"]) == {"evidence/2026/certificate-Zoë.pdf", "photo.png"}
    assert archive.stat().st_mode & 0o077 == 0, "only its owner may read the archive"


def test_restore_refuses_a_database_that_is_not_empty_and_force_replaces_it(
    org: Any, media_root: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "org.zip"
    run("backup", str(archive))
    before, files_before = table_rows(), media_hashes(media_root)
    User.objects.create_user("after.the.backup", password="x" * 12)
    org.underwriter.delete()
    (media_root / "photo.png").write_bytes(b"changed")
    changed, files_changed = table_rows(), media_hashes(media_root)

    with pytest.raises(CommandError) as refused:
        run("restore", str(archive))

    assert "not empty" in str(refused.value) and "accounts.user" in str(refused.value)
    assert "--force" in str(refused.value)
    assert table_rows() == changed and media_hashes(media_root) == files_changed

    run("restore", str(archive), "--force")

    assert table_rows() == before
    assert media_hashes(media_root) == files_before


def test_restore_refuses_an_archive_from_a_newer_milepost(org: Any, tmp_path: Path) -> None:
    archive = tmp_path / "org.zip"
    run("backup", str(archive))
    newer = edit_manifest(
        archive, lambda manifest: manifest["migrations"]["people"].append("0999_from_the_future")
    )
    before = table_rows()

    with pytest.raises(CommandError) as refused:
        run("restore", str(newer), "--force")

    assert "newer Milepost" in str(refused.value)
    assert "people.0999_from_the_future" in str(refused.value)
    assert table_rows() == before


def _flip_a_byte(member: str) -> Callable[[str, bytes], bytes]:
    def change(name: str, content: bytes) -> bytes:
        if name != member:
            return content
        return content[:10] + bytes([content[10] ^ 1]) + content[11:]

    return change


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (_flip_a_byte("data/people.employee.jsonl"), "data/people.employee.jsonl has SHA-256"),
        (_flip_a_byte("media/photo.png"), "media/photo.png has SHA-256"),
        (lambda name, content: None if name == "media/photo.png" else content, "is missing"),
        (lambda name, content: None if name == "manifest.json" else content, "manifest.json is"),
        (
            lambda name, content: content + b"[]\n" if name.endswith("user.jsonl") else content,
            "data/accounts.user.jsonl has SHA-256",
        ),
        (
            lambda name, content: b"{" if name == "manifest.json" else content,
            "manifest.json is damaged",
        ),
    ],
    ids=[
        "table-bytes",
        "media-bytes",
        "media-missing",
        "no-manifest",
        "extra-row",
        "bad-manifest",
    ],
)
def test_restore_refuses_a_damaged_archive_naming_what_is_wrong(
    org: Any,
    media_root: Path,
    tmp_path: Path,
    damage: Callable[[str, bytes], bytes | None],
    expected: str,
) -> None:
    archive = tmp_path / "org.zip"
    run("backup", str(archive))
    damaged = rewrite(archive, damage)
    before, files_before = table_rows(), media_hashes(media_root)

    with pytest.raises(CommandError) as refused:
        run("restore", str(damaged), "--force")

    assert expected in str(refused.value)
    assert table_rows() == before and media_hashes(media_root) == files_before


def test_restore_refuses_a_row_count_that_does_not_match_the_manifest(
    org: Any, tmp_path: Path
) -> None:
    archive = tmp_path / "org.zip"
    run("backup", str(archive))
    with zipfile.ZipFile(archive) as opened:
        users = opened.read("data/accounts.user.jsonl")
    fewer = b"".join(users.splitlines(keepends=True)[1:])

    def drop_first_user(manifest: dict[str, Any]) -> None:
        manifest["tables"]["accounts.user"]["sha256"] = hashlib.sha256(fewer).hexdigest()

    damaged = rewrite(
        edit_manifest(archive, drop_first_user),
        lambda name, content: fewer if name == "data/accounts.user.jsonl" else content,
        name="fewer.zip",
    )

    with pytest.raises(CommandError) as refused:
        run("restore", str(damaged), "--force")

    assert f"holds {User.objects.count() - 1:,} rows" in str(refused.value)


def test_restore_refuses_a_file_that_is_not_an_archive(tmp_path: Path) -> None:
    not_an_archive = tmp_path / "notes.zip"
    not_an_archive.write_text("hello")

    with pytest.raises(CommandError, match="not a readable zip archive"):
        run("restore", str(not_an_archive))


def test_a_failure_while_loading_leaves_the_database_as_it_was(
    org: Any, media_root: Path, tmp_path: Path
) -> None:
    """Every check passes, but one employee points at a unit that does not exist: the load
    fails on the foreign key, and the flush before it is undone."""
    archive = tmp_path / "org.zip"
    run("backup", str(archive))
    with zipfile.ZipFile(archive) as opened:
        manifest = json.loads(opened.read("manifest.json"))
        employees = opened.read("data/people.employee.jsonl").splitlines(keepends=True)
    unit_column = manifest["tables"]["people.employee"]["columns"].index("unit_id")
    first = json.loads(employees[0])
    first[unit_column] = 10**9
    broken = (json.dumps(first) + "\n").encode() + b"".join(employees[1:])
    manifest["tables"]["people.employee"]["sha256"] = hashlib.sha256(broken).hexdigest()
    damaged = rewrite(
        archive,
        lambda name, content: (
            broken
            if name == "data/people.employee.jsonl"
            else json.dumps(manifest).encode()
            if name == "manifest.json"
            else content
        ),
    )
    User.objects.create_user("after.the.backup", password="x" * 12)
    (media_root / "photo.png").write_bytes(b"changed")
    before, files_before = table_rows(), media_hashes(media_root)

    with pytest.raises(CommandError) as refused:
        run("restore", str(damaged), "--force")

    assert "left as it was" in str(refused.value)
    assert table_rows() == before
    assert media_hashes(media_root) == files_before
    assert not list(tmp_path.glob(".media.*")), "the unpacked media files were cleaned up"


def test_restore_of_an_older_archive_says_how_to_migrate_back_first(
    org: Any, tmp_path: Path
) -> None:
    archive = tmp_path / "org.zip"
    run("backup", str(archive))
    with zipfile.ZipFile(archive) as opened:
        *earlier, latest = json.loads(opened.read("manifest.json"))["migrations"]["people"]
    older = edit_manifest(archive, lambda manifest: manifest["migrations"]["people"].remove(latest))
    before = table_rows()

    with pytest.raises(CommandError) as refused:
        run("restore", str(older), "--force")

    assert f"made before migrations this database has (people.{latest})" in str(refused.value)
    assert f"`milepost migrate people {earlier[-1]}`" in str(refused.value)
    assert table_rows() == before


def test_restore_refuses_a_media_path_that_leaves_media_root(
    org: Any, media_root: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "org.zip"
    run("backup", str(archive))

    def escape(manifest: dict[str, Any]) -> None:
        manifest["media"]["../outside.txt"] = manifest["media"].pop("photo.png")

    escaping = edit_manifest(archive, escape)

    with pytest.raises(CommandError, match="points outside MEDIA_ROOT"):
        run("restore", str(escaping), "--force")
    assert not (tmp_path / "outside.txt").exists()
