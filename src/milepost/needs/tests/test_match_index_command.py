from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_command_builds_the_index_on_disk(service_framework, tmp_path):
    out = io.StringIO()
    with override_settings(MATCH_CACHE_DIR=tmp_path):
        call_command("match_index", stdout=out)
    assert "competency index: 4 competencies" in out.getvalue()
    assert (tmp_path / "competencies" / "manifest.json").exists()
    assert (tmp_path / "competencies" / "vectors.npy").exists()
