"""`milepost match_index`: build or refresh the on-disk matching indexes.

Run it after a large import (ESCO has 13,896 skills: about two minutes from scratch on two
cores) so the first need raised afterwards does not wait for the build; later refreshes reuse
every cached vector and take seconds.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from milepost.needs.matching import competency_index


class Command(BaseCommand):
    help = "Build or refresh the competency matching index on disk (MATCH_CACHE_DIR)."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        index = competency_index.get()
        where = settings.MATCH_CACHE_DIR or "memory only (MATCH_CACHE_DIR is not set)"
        self.stdout.write(
            f"competency index: {len(index):,} competencies, rankers "
            f"{' + '.join(index.rankers)}, {time.perf_counter() - started:.1f} s, in {where}"
        )
