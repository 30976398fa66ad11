"""Plain words on the pages new users found cryptic: no "gap index", no "weighted gap 39,519.5 of
a possible 65,234", no bare "pull ratio", no "Toward competencies None", no "---------"."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from milepost.catalogue.models import Track
from milepost.insights.gaps import forget_cached_gaps
from milepost.testing.factories import JobProfileFactory, RequirementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_gaps() -> Any:
    forget_cached_gaps()
    yield
    forget_cached_gaps()


def test_gap_figures_are_named_and_explained_in_plain_words(org: Any, login: Any) -> None:
    profile = JobProfileFactory.create()
    RequirementFactory.create(job_profile=profile, required_level=3)
    org.motor_handler.job_profile = profile
    org.motor_handler.save()
    client = login(org.coordinator)
    for url in (
        reverse("insights:gap-overview"),
        reverse("insights:unit-gaps", args=[org.claims.pk]),
        reverse("insights:person-gaps", args=[org.motor_handler.pk]),
    ):
        page = client.get(url, {"unassessed": "count"}).content.decode()
        assert "Gap index" not in page and "of a possible" not in page, url
        assert "Gap still open" in page, url
        assert "weighted by the requirement's importance" in page, url


def test_the_pull_ratio_says_what_it_is(org: Any, login: Any) -> None:
    page = login(org.coordinator).get(reverse("needs:dashboard")).content.decode()
    assert "<h2>Pull ratio</h2>" not in page
    assert "Training that answers a request" in page


def test_a_track_without_a_target_does_not_say_none(org: Any, login: Any) -> None:
    track = Track.objects.create(code="OPEN", title="Open track")
    page = login(org.coordinator).get(reverse("catalogue:track-detail", args=[track.pk]))
    text = page.content.decode()
    assert "Toward competencies" not in text and ">None<" not in text
    assert "Builds competencies" in text


def test_no_drop_down_offers_dashes_for_a_choice(org: Any, login: Any) -> None:
    client = login(org.coordinator)
    for url in (reverse("catalogue:track-create"), reverse("needs:need-create")):
        assert "---------" not in client.get(url).content.decode(), url
