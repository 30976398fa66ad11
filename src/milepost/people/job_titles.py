"""Job titles to job profiles: the titles nobody's profile covers, suggestions, confirmation.

An HRIS export often carries a job title but no job profile code. The importer matches a title
exactly against profile titles and alternative titles; what is left is listed here with the
closest profiles from the matching engine's job-title index, for a coordinator to confirm.
One job-profile index per process, rebuilt when job profiles change (with MATCH_CACHE_DIR set,
a rebuild embeds only new or changed titles).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, QuerySet

from milepost.accounts.access import AnyUser, can_administer_people, require
from milepost.engines.matching import (
    Embedder,
    MatchIndex,
    build_job_profile_index,
    shared_embedder,
    suggest_job_profiles,
)
from milepost.engines.matching import job_profile as job_profile_document
from milepost.frameworks.models import JobProfile
from milepost.lib.signals import mark_structure_changed
from milepost.people.models import Employee
from milepost.people.selectors import visible_employees

SUGGESTIONS = 5
# Hybrid scores below this are noise. Measured leave-one-out on the 63 demo alternative titles
# (each left out of its profile and looked up): the right profile, when in the top 5, scored
# 0.45 or more; wrong ones at rank 2-5 mostly 0.34-0.87 (related insurance roles), so this only
# drops unrelated profiles. Lexical-only suggestions always share a word with the title.
MIN_SCORE = 0.4
CONFIRM_PERMISSION = "Only an L&D coordinator or an administrator may assign job profiles."


class Suggestion(NamedTuple):
    job_profile: JobProfile
    score: float
    matched_terms: tuple[str, ...]


@dataclass
class UnmatchedTitle:
    """A job title held by active employees without a job profile, and the profiles it may be."""

    job_title: str
    employees: int
    suggestions: list[Suggestion] = field(default_factory=list)


# --- reads -------------------------------------------------------------------------------------


def _without_profile(user: AnyUser) -> QuerySet[Employee]:
    return visible_employees(user).filter(is_active=True, job_profile__isnull=True)


def unmatched_titles(user: AnyUser) -> QuerySet[Employee, dict[str, object]]:
    """Distinct job titles of visible active employees with no job profile, most held first.

    Rows are dicts {"job_title", "employees"}; one aggregate query (plus a count when paged).
    """
    return (
        _without_profile(user)
        .exclude(job_title="")
        .values("job_title")
        .annotate(employees=Count("pk"))
        .order_by("-employees", "job_title")
    )


def has_unmatched_titles(user: AnyUser) -> bool:
    """One EXISTS query: is there any title left to match (for a link on the people list)?"""
    return _without_profile(user).exclude(job_title="").exists()


def assignable_profiles() -> QuerySet[JobProfile]:
    """The job profiles a coordinator may assign: the active ones, by title."""
    return JobProfile.objects.filter(is_active=True).order_by("title", "code")


def chosen_profile(*, profile_id: str = "", choice: str = "") -> JobProfile:
    """The active profile a coordinator picked: by id (a suggestion's button) or as typed,
    "Title (code)" as the page's list offers it, a code, or a title only one profile has."""
    if profile_id:
        found = None
        if profile_id.isdigit():
            found = assignable_profiles().filter(pk=int(profile_id)).first()
        if found is None:
            raise ValidationError("That job profile no longer exists or is inactive; pick another.")
        return found
    choice = choice.strip()
    if not choice:
        raise ValidationError("Pick a job profile from the list.")
    codes = [choice]
    if choice.endswith(")") and " (" in choice:
        codes.insert(0, choice[:-1].rsplit(" (", 1)[1])
    by_code = {profile.code: profile for profile in assignable_profiles().filter(code__in=codes)}
    for code in codes:
        if code in by_code:
            return by_code[code]
    titled = list(assignable_profiles().filter(title__iexact=choice)[:2])
    if len(titled) == 1:
        return titled[0]
    if titled:
        raise ValidationError(
            f"Several job profiles are called '{choice}'; pick one from the list (they differ "
            "by code)."
        )
    raise ValidationError(f"No active job profile is called '{choice}'; pick one from the list.")


# --- the job-profile index ---------------------------------------------------------------------


def _embedder() -> Embedder | None:
    return shared_embedder(enabled=settings.MATCH_DENSE)


class _JobProfileIndex:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._index: MatchIndex | None = None
        self._version: tuple[object, ...] | None = None

    def _current_version(self) -> tuple[object, ...]:
        stats = assignable_profiles().aggregate(
            count=Count("pk"), latest=Max("updated_at"), last=Max("pk")
        )
        model = _embedder()
        return (stats["count"], stats["latest"], stats["last"], model.name if model else None)

    def get(self) -> MatchIndex:
        version = self._current_version()
        with self._lock:
            if self._index is None or version != self._version:
                self._index = self._build()
                self._version = version
            return self._index

    def _build(self) -> MatchIndex:
        documents = [
            job_profile_document(str(pk), title, alt_titles.splitlines(), description)
            for pk, title, alt_titles, description in assignable_profiles()
            .order_by("pk")
            .values_list("pk", "title", "alt_titles", "description")
            .iterator(chunk_size=2000)
        ]
        cache_dir: Path | None = settings.MATCH_CACHE_DIR
        directory = cache_dir / "job-profiles" if cache_dir else None
        return build_job_profile_index(documents, embedder=_embedder(), cache_dir=directory)

    def reset(self) -> None:
        with self._lock:
            self._index = None
            self._version = None


job_profile_index = _JobProfileIndex()


def suggest_profiles(title: str, k: int = SUGGESTIONS) -> list[Suggestion]:
    """The job profiles closest to a job title, best first, with score and matched words."""
    return suggestions_for([title], k=k)[title]


def suggestions_for(titles: Sequence[str], *, k: int = SUGGESTIONS) -> dict[str, list[Suggestion]]:
    """Suggestions for several titles: one version check and one query for the profiles."""
    index = job_profile_index.get()
    matches = {}
    for title in titles:
        found = suggest_job_profiles(index, title, k)
        if index.embedder is not None:
            found = [match for match in found if match.score >= MIN_SCORE]
        matches[title] = found
    wanted = {int(match.id) for found in matches.values() for match in found}
    by_id = JobProfile.objects.in_bulk(wanted) if wanted else {}
    return {
        title: [
            Suggestion(by_id[int(match.id)], round(match.score, 3), match.matched_terms)
            for match in found
            if int(match.id) in by_id
        ]
        for title, found in matches.items()
    }


def with_suggestions(rows: Iterable[dict[str, object]]) -> list[UnmatchedTitle]:
    """Rows of `unmatched_titles` (one page of them) with their suggestions."""
    titles = [UnmatchedTitle(str(row["job_title"]), int(str(row["employees"]))) for row in rows]
    if not titles:
        return []  # no index to build or load for an empty page
    suggestions = suggestions_for([row.job_title for row in titles])
    for row in titles:
        row.suggestions = suggestions[row.job_title]
    return titles


# --- writes ------------------------------------------------------------------------------------


@transaction.atomic
def confirm_job_title(
    *, acting_user: AnyUser, job_title: str, job_profile: JobProfile, remember: bool = True
) -> int:
    """Give every visible active employee holding `job_title` without a profile `job_profile`.

    With `remember`, the title becomes one of the profile's alternative titles, so the next
    people import matches it. Returns how many employees were updated.
    """
    require(can_administer_people(acting_user), CONFIRM_PERMISSION)
    if not job_title.strip():
        raise ValidationError("Give the job title to match (it is empty).")
    if not job_profile.is_active:
        raise ValidationError(
            f"Job profile '{job_profile.title}' is inactive; activate it or pick another one."
        )
    holders = _without_profile(acting_user).filter(job_title=job_title)
    updated = holders.update(job_profile=job_profile)
    if not updated:
        raise ValidationError(
            f"No active employee without a job profile has the job title '{job_title}'; "
            "it may have been matched already."
        )
    mark_structure_changed()  # a queryset update sends no signal: tell the gap engine
    if remember:
        remember_title(job_profile, job_title)
    return updated


def remember_title(job_profile: JobProfile, job_title: str) -> None:
    """Add `job_title` to the profile's alternative titles unless it already answers to it."""
    # Re-read under a row lock: two coordinators confirming at once must not lose a title.
    locked = JobProfile.objects.select_for_update().get(pk=job_profile.pk)
    alt_titles = [line.strip() for line in locked.alt_titles.splitlines() if line.strip()]
    known = {name.casefold() for name in [locked.title, *alt_titles]}
    if job_title.strip().casefold() in known:
        return
    locked.alt_titles = "\n".join([*alt_titles, job_title.strip()])
    locked.save(update_fields=["alt_titles", "updated_at"])
    job_profile.alt_titles = locked.alt_titles
