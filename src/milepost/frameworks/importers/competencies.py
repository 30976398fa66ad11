"""Write a framework's competency tree from parsed records: validate, then bulk create/update.

Used by the ESCO, O*NET and CSV importers. Rows are matched on (framework, code); rows that are
the same as in the database are not written; tree paths are recomputed once at the end.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from milepost.frameworks.models import (
    Competency,
    CompetencyLevel,
    Framework,
    ProficiencyScale,
    ScaleLevel,
)
from milepost.frameworks.tree import TreeCycleError, rebuild_competency_paths
from milepost.lib.tabular import (
    BATCH_SIZE,
    Counts,
    Progress,
    RowErrors,
    chunked,
    depths,
    find_cycles,
    no_progress,
)

CORE_SCALE_NAME = "Core 1-5"
CORE_SCALE_LEVELS = {
    1: ("Awareness", "Knows what it is and why it matters; needs guidance to apply it."),
    2: ("Basic", "Applies it in simple, routine situations with some support."),
    3: ("Proficient", "Applies it independently in the usual situations of the role."),
    4: ("Advanced", "Handles complex or unusual situations and coaches others."),
    5: ("Expert", "Recognised authority; shapes practice across the organisation."),
}

_COMPARED_FIELDS = ("name", "kind", "description", "alt_labels", "sort_key", "parent_id")


def core_scale() -> ProficiencyScale:
    """The default 'Core 1-5' scale (Awareness..Expert), created with its levels if missing."""
    scale, _ = ProficiencyScale.objects.get_or_create(
        name=CORE_SCALE_NAME, defaults={"min_level": 1, "max_level": 5}
    )
    existing = set(scale.levels.values_list("value", flat=True))
    ScaleLevel.objects.bulk_create(
        ScaleLevel(scale=scale, value=value, name=name, description=description)
        for value, (name, description) in CORE_SCALE_LEVELS.items()
        if value not in existing and scale.min_level <= value <= scale.max_level
    )
    return scale


def release_framework(
    code: str, *, name: str, description: str, source: str, version: str
) -> Framework:
    """The framework a published release (ESCO, O*NET) goes into; new ones get 'Core 1-5'."""
    framework, _ = Framework.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "description": description,
            "source": source,
            "version": version,
            "scale": core_scale(),
        },
    )
    return framework


def stamp_release(framework: Framework, *, source: str, version: str) -> None:
    """Record which release the framework now holds (a framework just created already does)."""
    if (framework.version, framework.source) != (version, source):
        framework.version, framework.source = version, source
        framework.save(update_fields=["version", "source", "updated_at"])


@dataclass
class CompetencyRecord:
    """One competency as the source file describes it; `row` is where, for error messages."""

    code: str
    name: str
    kind: str
    parent_code: str | None
    file: str
    row: int | None
    description: str = ""
    alt_labels: str = ""  # one a line, as the model stores them
    sort_key: str = ""
    # level -> indicators (one a line); None when the source has no level columns
    levels: dict[int, str] | None = None
    # Where the parent link was read, when another file holds it (ESCO's broader relations).
    parent_file: str | None = None
    parent_row: int | None = None

    @property
    def parent_location(self) -> tuple[str, int | None]:
        if self.parent_file is not None:
            return self.parent_file, self.parent_row
        return self.file, self.row


@dataclass
class _Existing:
    pk: int
    values: tuple[str, str, str, str, str, int | None]


class CompetencyPlan:
    """Validated changes to one framework's competencies, ready to `write()`."""

    def __init__(
        self,
        *,
        framework: Framework,
        records: Sequence[CompetencyRecord],
        errors: RowErrors,
        parent_field: str = "parent_code",
        code_field: str = "code",
    ) -> None:
        self.framework = framework
        self.records: dict[str, CompetencyRecord] = {}
        self.existing: dict[str, _Existing] = {}
        existing_code_of: dict[int, str] = {}
        existing_parent_of: dict[str, int | None] = {}
        rows = Competency.objects.filter(framework=framework).values_list(
            "pk", "code", "name", "kind", "description", "alt_labels", "sort_key", "parent_id"
        )
        for pk, code, name, kind, description, alt_labels, sort_key, parent_id in rows:
            self.existing[code] = _Existing(
                pk, (name, kind, description, alt_labels, sort_key, parent_id)
            )
            existing_code_of[pk] = code
            existing_parent_of[code] = parent_id

        for record in records:
            first = self.records.get(record.code)
            if first is not None:
                errors.add(
                    record.file,
                    record.row,
                    code_field,
                    f"competency code '{record.code}' appears twice (also on row {first.row}); "
                    "codes must be unique within a framework",
                )
                continue
            self.records[record.code] = record

        # The tree after the import: the database's links, overridden by the file's.
        self.parent_of: dict[str, str | None] = {
            code: existing_code_of.get(parent_id) if parent_id else None
            for code, parent_id in existing_parent_of.items()
        }
        for record in self.records.values():
            parent = record.parent_code or None
            if parent is not None and parent not in self.records and parent not in self.existing:
                errors.add(
                    *record.parent_location,
                    parent_field,
                    f"parent '{parent}' of competency '{record.code}' is neither in the file nor "
                    f"in framework '{framework.code}'; add a row for it or correct the code",
                )
                parent = None
            self.parent_of[record.code] = parent
        for cycle in find_cycles(self.parent_of):
            in_file = next((code for code in cycle if code in self.records), cycle[0])
            on_file = self.records.get(in_file)
            errors.add(
                *(on_file.parent_location if on_file else (framework.code, None)),
                parent_field,
                f"competency '{in_file}' is in a cycle of parents "
                f"({' -> '.join([*cycle, cycle[0]])}); point one of them at another parent "
                "or leave its parent empty",
            )

    def write(self, progress: Progress = no_progress) -> tuple[Counts, dict[str, int]]:
        """Create and update rows, then rebuild tree paths. Returns counts and code -> pk."""
        counts = Counts()
        pk_of = {code: row.pk for code, row in self.existing.items()}
        new = [record for code, record in self.records.items() if code not in self.existing]
        # Parents first, so every new row is inserted with its parent already known.
        depth_of = depths(self.parent_of)
        new.sort(key=lambda record: depth_of[record.code])
        tracked = iter(progress(new, desc="competencies: create", total=len(new)))
        for _, depth_run in itertools.groupby(new, key=lambda record: depth_of[record.code]):
            depth_batch = list(depth_run)
            for batch in chunked(depth_batch, BATCH_SIZE):
                objects = [
                    Competency(
                        framework=self.framework,
                        code=record.code,
                        name=record.name,
                        kind=record.kind,
                        description=record.description,
                        alt_labels=record.alt_labels,
                        sort_key=record.sort_key,
                        parent_id=pk_of[record.parent_code] if record.parent_code else None,
                    )
                    for record in batch
                ]
                Competency.objects.bulk_create(objects)
                for obj in objects:
                    pk_of[obj.code] = obj.pk
                    next(tracked, None)
                _set_new_paths([obj.pk for obj in objects])
        counts.created = len(new)

        now = timezone.now()
        changed: list[Competency] = []
        kept = [record for code, record in self.records.items() if code in self.existing]
        for record in progress(kept, desc="competencies: compare", total=len(kept)):
            current = self.existing[record.code]
            parent_id = pk_of[record.parent_code] if record.parent_code else None
            wanted = (
                record.name,
                record.kind,
                record.description,
                record.alt_labels,
                record.sort_key,
                parent_id,
            )
            if wanted == current.values:
                counts.unchanged += 1
                continue
            changed.append(
                Competency(pk=current.pk, **dict(zip(_COMPARED_FIELDS, wanted, strict=True)))
            )
            changed[-1].updated_at = now
        Competency.objects.bulk_update(
            changed, [*_COMPARED_FIELDS[:-1], "parent", "updated_at"], batch_size=BATCH_SIZE
        )
        counts.updated = len(changed)
        try:
            rebuild_competency_paths(self.framework.pk)
        except TreeCycleError as exc:  # validated above; kept as a last line of defence
            raise AssertionError(str(exc)) from exc
        return counts, pk_of

    @property
    def missing_from_file(self) -> int:
        return sum(1 for code in self.existing if code not in self.records)

    def write_levels(self, pk_of: dict[str, int]) -> Counts:
        """Sync level indicators for records that carry them (CSV frameworks)."""
        counts = Counts()
        with_levels = {
            pk_of[code]: record.levels
            for code, record in self.records.items()
            if record.levels is not None
        }
        if not with_levels:
            return counts
        existing = {
            (competency_id, level): (pk, indicators)
            for pk, competency_id, level, indicators in CompetencyLevel.objects.filter(
                competency__framework=self.framework
            ).values_list("pk", "competency_id", "level", "indicators")
        }
        to_create: list[CompetencyLevel] = []
        to_update: list[CompetencyLevel] = []
        for competency_id, levels in with_levels.items():
            for level, indicators in levels.items():
                current = existing.get((competency_id, level))
                if current is None:
                    if indicators:
                        to_create.append(
                            CompetencyLevel(
                                competency_id=competency_id, level=level, indicators=indicators
                            )
                        )
                elif current[1] != indicators:
                    to_update.append(CompetencyLevel(pk=current[0], indicators=indicators))
                else:
                    counts.unchanged += 1
        CompetencyLevel.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
        CompetencyLevel.objects.bulk_update(to_update, ["indicators"], batch_size=BATCH_SIZE)
        counts.created, counts.updated = len(to_create), len(to_update)
        return counts


def _set_new_paths(pks: list[int]) -> None:
    """Give freshly inserted rows their path in one UPDATE (parents are already placed).

    rebuild_competency_paths then finds them right and only rewrites rows that moved; doing
    all 14k ESCO rows through its bulk_update would cost most of the import time.
    """
    parent = Competency.objects.filter(pk=OuterRef("parent_id"))
    own = Concat(Cast("pk", output_field=CharField()), Value("/"))
    Competency.objects.filter(pk__in=pks).update(
        path=Concat(
            Coalesce(Subquery(parent.values("path")[:1]), Value("/")),
            own,
            output_field=CharField(),
        ),
        depth=Coalesce(Subquery(parent.values("depth")[:1]) + 1, 0),
    )
