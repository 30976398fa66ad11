"""The courses and qualifications booklet: its content, its filters, its PDF and its page."""

from __future__ import annotations

import io
import subprocess
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from milepost.catalogue.booklet import (
    BookletOptions,
    BookletScopeError,
    build_booklet,
    local_only_url_fetcher,
    render_booklet_html,
    render_booklet_pdf,
)
from milepost.catalogue.models import Course, Qualification, Track, TrackStep
from milepost.frameworks.models import JobProfile
from milepost.testing.factories import (
    CompetencyFactory,
    CourseFactory,
    JobProfileFactory,
    QualificationFactory,
    RequirementFactory,
    outcome,
)

pytestmark = pytest.mark.django_db


@dataclass
class Offer:
    handler: JobProfile
    underwriter: JobProfile
    negotiation: Course
    empathy: Course
    risk: Course
    certificate: Qualification
    track: Track


@pytest.fixture
def offer(org: Any) -> Offer:
    """Claims handlers (motor team) need negotiation and empathy; underwriters need risk."""
    negotiation_skill = CompetencyFactory.create(name="Negotiation")
    empathy_skill = CompetencyFactory.create(name="Empathy")
    risk_skill = CompetencyFactory.create(name="Risk assessment")
    handler = JobProfileFactory.create(code="HANDLER", title="Claims handler")
    underwriter = JobProfileFactory.create(code="UNDERWRITER", title="Underwriter")
    RequirementFactory.create(job_profile=handler, competency=negotiation_skill, required_level=3)
    RequirementFactory.create(job_profile=handler, competency=empathy_skill, required_level=2)
    RequirementFactory.create(job_profile=underwriter, competency=risk_skill, required_level=3)
    org.motor_handler.job_profile = handler
    org.motor_handler.save()
    org.underwriter.job_profile = underwriter
    org.underwriter.save()

    negotiation = CourseFactory.create(
        code="NEG-1",
        title="Negotiation skills",
        audience="Claims handlers",
        cost_per_person=Decimal("250"),
        provider_name="Calm Calls Ltd",
        provider_kind="external",
    )
    empathy = CourseFactory.create(
        code="EMP-1",
        title="Empathy on the phone",
        audience="Claims handlers",
        modality="online",
        cost_per_person=Decimal("120"),
    )
    empathy.prerequisites.add(negotiation)
    risk = CourseFactory.create(
        code="RISK-1", title="Risk assessment basics", audience="Underwriters", cost_per_person=400
    )
    retired = CourseFactory.create(
        code="OLD-1", title="Retired negotiation course", is_active=False
    )
    outcome(negotiation, negotiation_skill, 3)
    outcome(empathy, empathy_skill, 2)
    outcome(risk, risk_skill, 3)
    outcome(retired, negotiation_skill, 2)
    certificate = QualificationFactory.create(
        code="CII-CERT",
        title="Certificate in Insurance",
        credits=40,
        guided_learning_hours=120,
        funding_eligible=True,
        validity_months=36,
        cost_per_person=Decimal("975"),
    )
    outcome(certificate, risk_skill, 3)
    outcome(
        QualificationFactory.create(code="CII-OLD", title="Withdrawn diploma", is_active=False),
        risk_skill,
        4,
    )
    track = Track.objects.create(code="HANDLER-TRACK", title="Handler induction")
    TrackStep.objects.create(track=track, position=1, course=negotiation)
    TrackStep.objects.create(track=track, position=2, course=empathy)
    return Offer(handler, underwriter, negotiation, empathy, risk, certificate, track)


def _pdf_text(pdf: bytes, tmp_path: Path) -> tuple[int, str]:
    """The page count (pdfinfo) and the text (pdftotext, pages split by form feeds)."""
    path = tmp_path / "booklet.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", path], check=True, capture_output=True, text=True).stdout
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    text = subprocess.run(
        ["pdftotext", "-layout", path, "-"], check=True, capture_output=True, text=True
    ).stdout
    return pages, text


def test_pdf_has_a_cover_contents_sections_and_a_page_per_course(
    org: Any, offer: Offer, tmp_path: Path
) -> None:
    booklet = build_booklet(org.coordinator, options=BookletOptions())
    pdf = render_booklet_pdf(booklet)
    assert pdf.startswith(b"%PDF")
    pages, text = _pdf_text(pdf, tmp_path)
    # cover, contents, track page + 2 courses, "Underwriters" with its course, qualifications
    assert pages == 7
    page_texts = text.split("\f")
    assert "Courses and qualifications" in page_texts[0] and "Group" in page_texts[0]
    assert "The whole catalogue" in page_texts[0]
    contents = page_texts[1]
    for entry in ("Training track: Handler induction", "For: Underwriters", "Qualifications"):
        assert entry in contents
    # target-counter put the page of each course in the contents
    assert any(
        "Risk assessment basics" in line and line.rstrip().endswith("6")
        for line in contents.splitlines()
    )
    assert "Page 2 of 7" in page_texts[1]
    assert "Negotiation skills" in page_texts[3] and "Calm Calls Ltd" in page_texts[3]
    assert "Prerequisites" in page_texts[4] and "Negotiation skills" in page_texts[4]
    assert "For: Underwriters" in page_texts[5] and "Risk assessment basics" in page_texts[5]
    assert "Certificate in Insurance" in page_texts[6] and "36 months" in page_texts[6]
    assert "Retired negotiation course" not in text and "Withdrawn diploma" not in text
    assert "GBP" not in text and "975" not in text


def test_prices_show_only_when_asked(org: Any, offer: Offer, tmp_path: Path) -> None:
    CourseFactory.create(code="FREE-1", title="Free induction", cost_per_person=Decimal("0"))
    booklet = build_booklet(org.coordinator, options=BookletOptions(prices=True))
    _, text = _pdf_text(render_booklet_pdf(booklet), tmp_path)
    assert "GBP 250.00 a person" in text and "No charge" in text
    assert "975.00" in text and "Price" in text and "(GBP)" in text


def test_the_cover_renders_as_an_image(org: Any, offer: Offer, tmp_path: Path) -> None:
    path = tmp_path / "booklet.pdf"
    path.write_bytes(render_booklet_pdf(build_booklet(org.coordinator, options=BookletOptions())))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", path, tmp_path / "cover"],
        check=True,
    )
    (image,) = tmp_path.glob("cover*.png")
    assert image.read_bytes().startswith(b"\x89PNG")
    assert image.stat().st_size > 500


def test_unit_filter_keeps_the_courses_its_job_profiles_need(org: Any, offer: Offer) -> None:
    booklet = build_booklet(org.coordinator, options=BookletOptions(unit=org.claims))
    assert [s.track.code for s in booklet.tracks] == ["HANDLER-TRACK"]
    assert [c.code for c in booklet.tracks[0].courses] == ["NEG-1", "EMP-1"]
    assert booklet.audiences == [] and booklet.qualifications == []
    underwriting = build_booklet(org.coordinator, options=BookletOptions(unit=org.underwriting))
    assert underwriting.tracks == []
    assert [c.code for s in underwriting.audiences for c in s.courses] == ["RISK-1"]
    assert [q.code for q in underwriting.qualifications] == ["CII-CERT"]


def test_job_profile_and_audience_filters_narrow_the_pdf(
    org: Any, offer: Offer, tmp_path: Path
) -> None:
    by_profile = build_booklet(org.coordinator, options=BookletOptions(job_profile=offer.handler))
    assert by_profile.course_count == 2 and by_profile.qualifications == []
    by_audience = build_booklet(org.coordinator, options=BookletOptions(audience="underwriter"))
    pages, text = _pdf_text(render_booklet_pdf(by_audience), tmp_path)
    assert pages == 3  # cover, contents, "Underwriters" with its course
    assert "Risk assessment basics" in text and "Negotiation skills" not in text
    assert "Audience: \u201cunderwriter\u201d" in text


def test_track_steps_keep_their_order_and_a_shared_course_prints_once(
    org: Any, offer: Offer
) -> None:
    second = Track.objects.create(code="A-REFRESH", title="A refresher")
    TrackStep.objects.create(track=second, position=1, course=offer.empathy)
    TrackStep.objects.create(track=second, position=2, qualification=offer.certificate)
    booklet = build_booklet(org.coordinator, options=BookletOptions())
    assert [s.track.code for s in booklet.tracks] == ["A-REFRESH", "HANDLER-TRACK"]
    refresher, induction = booklet.tracks
    assert [step.position for step in refresher.steps] == [1, 2]
    assert [c.code for c in refresher.courses] == ["EMP-1"]
    assert [c.code for c in induction.courses] == ["NEG-1"]
    html = render_booklet_html(booklet)
    assert html.count(f'id="course-{offer.empathy.pk}"') == 1


def test_line_manager_cannot_narrow_to_a_unit_outside_theirs(org: Any, offer: Offer) -> None:
    with pytest.raises(BookletScopeError, match="unit UW"):
        build_booklet(org.claims_manager, options=BookletOptions(unit=org.underwriting))
    assert build_booklet(org.claims_manager, options=BookletOptions(unit=org.claims)).tracks


def test_page_shows_the_same_sections_and_links_the_pdf(org: Any, offer: Offer, login: Any) -> None:
    client = login(org.employee_user)
    page = client.get(reverse("catalogue:booklet"), {"job_profile": "HANDLER"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "Training track: Handler induction" in body
    assert "Empathy on the phone" in body and "Risk assessment basics" not in body
    assert f"{reverse('catalogue:booklet-pdf')}?job_profile=HANDLER" in body
    listing = client.get(reverse("catalogue:course-list")).content.decode()
    assert reverse("catalogue:booklet") in listing


def test_pdf_download_is_an_attachment_named_with_the_date(
    org: Any, offer: Offer, login: Any
) -> None:
    response = login(org.employee_user).get(reverse("catalogue:booklet-pdf"), {"prices": "on"})
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="milepost-booklet-20')
    assert response.content.startswith(b"%PDF")


def test_employer_contact_is_offered_no_unit(org: Any, offer: Offer, login: Any) -> None:
    client = login(org.employer_contact)
    page = client.get(reverse("catalogue:booklet"))
    # No internal unit to choose: no empty "Business unit" filter either.
    assert "unit" not in page.context["form"].fields
    assert b"Business unit" not in page.content
    refused = client.get(reverse("catalogue:booklet-pdf"), {"unit": "CLM"})
    assert refused.status_code == 400
    assert b"unit" in refused.content


def test_page_query_count_does_not_grow_with_the_catalogue(
    org: Any, offer: Offer, login: Any
) -> None:
    client = login(org.coordinator)
    url = reverse("catalogue:booklet")
    client.get(url)  # warm the session and the user
    with CaptureQueriesContext(connection) as small:
        client.get(url, {"prices": "on"})
    competency = CompetencyFactory.create(name="Filing")
    for number in range(5):
        course = CourseFactory.create(
            code=f"MORE-{number}", title=f"More {number}", audience=f"Team {number}"
        )
        outcome(course, competency, 2)
        course.prerequisites.add(offer.negotiation)
        TrackStep.objects.create(track=offer.track, position=10 + number, course=course)
    outcome(QualificationFactory.create(code="MORE-Q"), competency, 2)
    with CaptureQueriesContext(connection) as large:
        client.get(url, {"prices": "on"})
    assert len(large) == len(small)


def test_command_writes_the_pdf_for_a_job_profile(org: Any, offer: Offer, tmp_path: Path) -> None:
    target = tmp_path / "handlers.pdf"
    out = io.StringIO()
    call_command("booklet", str(target), "--profile", "HANDLER", "--prices", stdout=out)
    pages, text = _pdf_text(target.read_bytes(), tmp_path)
    assert pages == 5  # cover, contents, the track page and its two courses
    assert "GBP 250.00" in text and "Risk assessment basics" not in text
    assert "2 courses" in out.getvalue()
    with pytest.raises(CommandError, match="no unit with code 'NOPE'"):
        call_command("booklet", str(target), "--unit", "NOPE")


def test_pdf_printer_fetches_nothing_from_the_network() -> None:
    fetcher = local_only_url_fetcher()
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher.fetch("https://fonts.example.com/font.woff2")
