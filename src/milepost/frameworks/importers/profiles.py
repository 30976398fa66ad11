"""Write job profiles and their requirements from parsed records, in bulk and only what changed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils import timezone

from milepost.frameworks.models import Framework, JobProfile, JobProfileRequirement
from milepost.lib.signals import mark_structure_changed
from milepost.lib.tabular import (
    BATCH_SIZE,
    Counts,
    Progress,
    chunked,
    no_progress,
)


@dataclass
class ProfileRecord:
    code: str
    title: str
    file: str
    row: int | None
    # None leaves the stored value alone (the generic CSV format has no description column).
    description: str | None = None
    alt_titles: str | None = None


# (required_level, importance, essential)
RequirementValues = tuple[int, int, bool]


def write_profiles(
    records: Sequence[ProfileRecord], *, source: str, set_source_on_update: bool
) -> tuple[Counts, dict[str, int]]:
    """Create or update profiles matched on code. Returns counts and code -> pk for every record."""
    counts = Counts()
    codes = [record.code for record in records]
    existing: dict[str, tuple[int, str, str, str, str]] = {}
    for batch in chunked(codes, BATCH_SIZE):
        for pk, code, title, description, alt_titles, current_source in JobProfile.objects.filter(
            code__in=batch
        ).values_list("pk", "code", "title", "description", "alt_titles", "source"):
            existing[code] = (pk, title, description, alt_titles, current_source)

    to_create: list[JobProfile] = []
    to_update: list[JobProfile] = []
    now = timezone.now()
    for record in records:
        current = existing.get(record.code)
        if current is None:
            to_create.append(
                JobProfile(
                    code=record.code,
                    title=record.title,
                    description=record.description or "",
                    alt_titles=record.alt_titles or "",
                    source=source,
                )
            )
            continue
        pk, title, description, alt_titles, current_source = current
        wanted = (
            record.title,
            description if record.description is None else record.description,
            alt_titles if record.alt_titles is None else record.alt_titles,
            source if set_source_on_update else current_source,
        )
        if wanted == (title, description, alt_titles, current_source):
            counts.unchanged += 1
            continue
        profile = JobProfile(
            pk=pk,
            title=wanted[0],
            description=wanted[1],
            alt_titles=wanted[2],
            source=wanted[3],
        )
        profile.updated_at = now
        to_update.append(profile)
    JobProfile.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    JobProfile.objects.bulk_update(
        to_update,
        ["title", "description", "alt_titles", "source", "updated_at"],
        batch_size=BATCH_SIZE,
    )
    counts.created, counts.updated = len(to_create), len(to_update)
    pk_of = {code: values[0] for code, values in existing.items()}
    pk_of.update({profile.code: profile.pk for profile in to_create})
    return counts, pk_of


def write_requirements(
    desired: dict[tuple[int, int], RequirementValues],
    *,
    existing_rows: Iterable[tuple[int, int, int, int, int, bool]],
    removable: Callable[[int], bool],
    progress: Progress = no_progress,
) -> Counts:
    """Make the requirements match `desired`, keyed by (profile pk, competency pk).

    `existing_rows` are (pk, profile, competency, level, importance, essential) tuples in scope;
    an existing requirement not desired is deleted when `removable(profile pk)` is true.
    """
    counts = Counts()
    to_update: list[JobProfileRequirement] = []
    stale: list[int] = []
    seen: set[tuple[int, int]] = set()
    for pk, profile_id, competency_id, level, importance, essential in existing_rows:
        key = (profile_id, competency_id)
        wanted = desired.get(key)
        if wanted is None:
            if removable(profile_id):
                stale.append(pk)
            continue
        seen.add(key)
        if wanted == (level, importance, essential):
            counts.unchanged += 1
        else:
            to_update.append(
                JobProfileRequirement(
                    pk=pk, required_level=wanted[0], importance=wanted[1], essential=wanted[2]
                )
            )
    new = [(key, values) for key, values in desired.items() if key not in seen]
    for batch in chunked(progress(new, desc="requirements", total=len(new)), 2000):
        JobProfileRequirement.objects.bulk_create(
            JobProfileRequirement(
                job_profile_id=profile_id,
                competency_id=competency_id,
                required_level=level,
                importance=importance,
                essential=essential,
            )
            for (profile_id, competency_id), (level, importance, essential) in batch
        )
    JobProfileRequirement.objects.bulk_update(
        to_update, ["required_level", "importance", "essential"], batch_size=BATCH_SIZE
    )
    for pks in chunked(stale, BATCH_SIZE):
        JobProfileRequirement.objects.filter(pk__in=pks).delete()
    if new or to_update or stale:
        mark_structure_changed()  # bulk writes send no signals: the gap engines reload
    counts.created, counts.updated, counts.removed = len(new), len(to_update), len(stale)
    return counts


def write_release_profiles(
    profiles: Sequence[ProfileRecord],
    requirements: Mapping[tuple[str, str], RequirementValues],
    *,
    framework: Framework,
    competency_pk: Mapping[str, int],
    source: str,
    progress: Progress = no_progress,
) -> tuple[Counts, Counts]:
    """Write a release's job profiles and their requirements, keyed by profile and competency code.

    Requirements of these profiles into `framework` that the release no longer has are removed.
    """
    profile_counts, profile_pk = write_profiles(profiles, source=source, set_source_on_update=True)
    desired = {
        (profile_pk[profile], competency_pk[competency]): values
        for (profile, competency), values in requirements.items()
    }
    imported = set(profile_pk.values())
    requirement_counts = write_requirements(
        desired,
        existing_rows=JobProfileRequirement.objects.filter(competency__framework=framework)
        .values_list(
            "pk", "job_profile_id", "competency_id", "required_level", "importance", "essential"
        )
        .iterator(chunk_size=5000),
        removable=imported.__contains__,
        progress=progress,
    )
    return profile_counts, requirement_counts
