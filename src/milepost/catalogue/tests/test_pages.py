from __future__ import annotations

import csv
import html
import io
from typing import Any

import pytest
from django.urls import reverse

from milepost.catalogue.models import Course, Qualification, Track
from milepost.frameworks.forms import competency_label
from milepost.lib.exports import XLSX_TYPE
from milepost.testing.factories import (
    CompetencyFactory,
    CourseFactory,
    QualificationFactory,
    outcome,
)

pytestmark = pytest.mark.django_db


def _csv(response: Any) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_course_list_searches_and_exports(org: Any, login: Any) -> None:
    CourseFactory.create(code="XLS-1", title="Excel basics", modality="online")
    CourseFactory.create(code="NEG-1", title="Negotiation")
    client = login(org.employer_contact)
    page = client.get(reverse("catalogue:course-list"), {"q": "excel"})
    assert [c.code for c in page.context["page_obj"]] == ["XLS-1"]
    assert "<caption>" in page.content.decode()
    rows = _csv(client.get(reverse("catalogue:course-list"), {"export": "csv"}))
    assert rows[0][:2] == ["Code", "Title"] and "Cost per person (GBP)" in rows[0]
    assert {row[0] for row in rows[1:]} == {"XLS-1", "NEG-1"}
    xlsx = client.get(reverse("catalogue:qualification-list"), {"export": "xlsx"})
    assert xlsx["Content-Type"] == XLSX_TYPE


def test_course_list_filters_by_competency_picked(org: Any, login: Any) -> None:
    competency = CompetencyFactory.create(name="Negotiation")
    outcome(CourseFactory.create(code="NEG-1"), competency, 3)
    CourseFactory.create(code="OTHER")
    page = login(org.employee_user).get(
        reverse("catalogue:course-list"), {"competency": competency_label(competency)}
    )
    assert [c.code for c in page.context["page_obj"]] == ["NEG-1"]


def test_empty_catalogue_tells_an_editor_how_to_start(org: Any, login: Any) -> None:
    page = login(org.coordinator).get(reverse("catalogue:course-list")).content.decode()
    assert "Add the first course" in page and "milepost import catalogue" in page
    page = login(org.employee_user).get(reverse("catalogue:course-list")).content.decode()
    assert "Add the first course" not in page


def test_course_list_query_count_does_not_grow_with_rows(
    org: Any, login: Any, django_assert_max_num_queries: Any
) -> None:
    competency = CompetencyFactory.create()
    for number in range(30):
        outcome(CourseFactory.create(code=f"C{number:02d}"), competency, 2)
    client = login(org.employee_user)
    client.get(reverse("catalogue:course-list"))  # warm the session and caches
    # session, user, employee (menu), count, page, unread notifications
    with django_assert_max_num_queries(7):
        response = client.get(reverse("catalogue:course-list"))
    assert len(response.context["page_obj"]) == 30


def test_course_detail_shows_outcomes_prerequisites_and_tracks(org: Any, login: Any) -> None:
    competency = CompetencyFactory.create(name="Negotiation")
    basics = CourseFactory.create(code="B", title="Basics")
    course = CourseFactory.create(code="A", title="Advanced", cost_per_run=500)
    course.prerequisites.add(basics)
    outcome(course, competency, 4)
    track = Track.objects.create(code="T", title="Negotiator track")
    track.steps.create(position=1, course=course)
    page = login(org.employer_contact).get(reverse("catalogue:course-detail", args=[course.pk]))
    text = page.content.decode()
    assert "Negotiation" in text and "4 of 5" in text
    assert "Basics" in text and "Negotiator track" in text and "per run" in text
    assert "Edit course" not in text


def test_coordinator_creates_a_course_with_an_outcome(org: Any, login: Any) -> None:
    competency = CompetencyFactory.create()
    basics = CourseFactory.create(code="B")
    response = login(org.coordinator).post(
        reverse("catalogue:course-create"),
        {
            "code": "NEW-1",
            "title": "New course",
            "modality": "coaching",
            "duration_hours": "3.5",
            "cost_per_person": "120",
            "cost_per_run": "0",
            "provider_kind": "external",
            "provider_name": "Acme Training",
            "prerequisites": [basics.pk],
            "is_active": "on",
            "outcomes-TOTAL_FORMS": "1",
            "outcomes-INITIAL_FORMS": "0",
            "outcomes-0-competency": competency_label(competency),
            "outcomes-0-raises_to_level": "3",
        },
    )
    course = Course.objects.get(code="NEW-1")
    assert response.url == reverse("catalogue:course-detail", args=[course.pk])
    assert list(course.prerequisites.all()) == [basics]
    assert course.outcomes.get().raises_to_level == 3


def test_an_outcome_off_the_scale_saves_nothing_and_says_why(org: Any, login: Any) -> None:
    competency = CompetencyFactory.create(name="Negotiation")
    response = login(org.coordinator).post(
        reverse("catalogue:course-create"),
        {
            "code": "NEW-1",
            "title": "New course",
            "modality": "online",
            "duration_hours": "1",
            "cost_per_person": "0",
            "cost_per_run": "0",
            "provider_kind": "internal",
            "outcomes-TOTAL_FORMS": "1",
            "outcomes-INITIAL_FORMS": "0",
            "outcomes-0-competency": competency_label(competency),
            "outcomes-0-raises_to_level": "7",
        },
    )
    assert response.status_code == 200
    assert "level 7 is not on scale" in response.content.decode()
    assert not Course.objects.exists()


def test_coordinator_edits_a_qualification(org: Any, login: Any) -> None:
    qualification = QualificationFactory.create(code="CII-CERT")
    response = login(org.coordinator).post(
        reverse("catalogue:qualification-edit", args=[qualification.pk]),
        {
            "code": "CII-CERT",
            "title": "Certificate in Insurance",
            "awarding_body": "Chartered Insurance Institute",
            "level_framework": "RQF",
            "level": "3",
            "credits": "40",
            "validity_months": "36",
            "cost_per_person": "650",
            "is_active": "on",
            "outcomes-TOTAL_FORMS": "0",
            "outcomes-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    qualification = Qualification.objects.get()
    assert (qualification.title, qualification.credits, qualification.validity_months) == (
        "Certificate in Insurance",
        40,
        36,
    )


def test_track_builder_adds_moves_and_refuses_an_order_break(org: Any, login: Any) -> None:
    basics, advanced = (
        CourseFactory.create(code="B", title="Basics"),
        CourseFactory.create(code="A", title="Advanced"),
    )
    advanced.prerequisites.add(basics)
    track = Track.objects.create(code="T", title="Route")
    client = login(org.coordinator)
    for course in (advanced, basics):
        client.post(
            reverse("catalogue:track-step-add", args=[track.pk]), {"offer": f"course:{course.pk}"}
        )
    assert [step.course for step in track.steps.all()] == [advanced, basics]
    response = client.post(
        reverse("catalogue:track-enforce-order", args=[track.pk]),
        {"enforce_order": "on"},
        follow=True,
    )
    assert "'Advanced' requires 'Basics'" in html.unescape(response.content.decode())
    track.refresh_from_db()
    assert not track.enforce_order
    second = track.steps.get(course=basics)
    client.post(
        reverse("catalogue:track-step-move", args=[track.pk, second.pk]), {"direction": "up"}
    )
    client.post(reverse("catalogue:track-enforce-order", args=[track.pk]), {"enforce_order": "on"})
    track.refresh_from_db()
    assert track.enforce_order
    assert [step.course for step in track.steps.all()] == [basics, advanced]


def test_track_pages_show_steps_and_only_editors_get_the_builder(org: Any, login: Any) -> None:
    track = Track.objects.create(code="T", title="Route")
    track.steps.create(
        position=1, qualification=QualificationFactory.create(code="Q", title="Cert")
    )
    reader = login(org.employee_user).get(reverse("catalogue:track-detail", args=[track.pk]))
    assert "Cert" in reader.content.decode() and reader.context["step_form"] is None
    editor = login(org.coordinator).get(reverse("catalogue:track-detail", args=[track.pk]))
    assert "Add step" in editor.content.decode()
    listing = login(org.employer_contact).get(reverse("catalogue:track-list"))
    assert [t.step_count for t in listing.context["page_obj"]] == [1]


def test_catalogue_is_in_everyones_menu(org: Any, login: Any) -> None:
    menu = login(org.employer_contact).get(reverse("catalogue:course-list")).context["nav_items"]
    assert {"label": "Catalogue", "url": reverse("catalogue:course-list"), "active": True} in menu


def test_course_detail_query_count_does_not_grow_with_outcomes(
    org: Any, login: Any, django_assert_max_num_queries: Any
) -> None:
    course = CourseFactory.create(code="C")
    for number in range(12):
        outcome(course, CompetencyFactory.create(), 1 + number % 5)
        course.prerequisites.add(CourseFactory.create(code=f"P{number:02d}"))
    client = login(org.employee_user)
    client.get(reverse("catalogue:course-detail", args=[course.pk]))
    # session, user, employee (menu), course, outcomes, prerequisites, leads on to, steps, unread
    with django_assert_max_num_queries(9):
        response = client.get(reverse("catalogue:course-detail", args=[course.pk]))
    assert response.content.decode().count("of 5</td>") == 12


def test_places_per_run_are_shown_edited_and_cleared(org: Any, login: Any) -> None:
    course = CourseFactory.create(code="CLS-1", title="Classroom", places_per_run=12)
    client = login(org.coordinator)
    page = client.get(reverse("catalogue:course-detail", args=[course.pk])).content.decode()
    assert "Places per run</dt><dd>12</dd>" in page
    form = {
        "code": "CLS-1",
        "title": "Classroom",
        "modality": "classroom",
        "duration_hours": "7",
        "cost_per_person": "0",
        "cost_per_run": "1200",
        "provider_kind": "internal",
        "is_active": "on",
        "outcomes-TOTAL_FORMS": "0",
        "outcomes-INITIAL_FORMS": "0",
    }
    edit_url = reverse("catalogue:course-edit", args=[course.pk])
    assert 'name="places_per_run" value="12"' in client.get(edit_url).content.decode()
    refused = client.post(edit_url, {**form, "places_per_run": "0"})
    assert refused.status_code == 200
    assert "greater than or equal to 1" in refused.content.decode()
    client.post(edit_url, {**form, "places_per_run": ""})
    course.refresh_from_db()
    assert course.places_per_run is None
    page = client.get(reverse("catalogue:course-detail", args=[course.pk])).content.decode()
    assert "Places per run</dt><dd>No limit</dd>" in page


def test_course_list_and_page_price_a_seat_not_only_the_per_person_price(
    org: Any, login: Any
) -> None:
    course = CourseFactory.create(
        code="DESC-1",
        title="De-escalating difficult calls",
        cost_per_person=0,
        cost_per_run=2100,
        places_per_run=16,
    )
    client = login(org.employee_user)
    page = client.get(reverse("catalogue:course-list")).content.decode()
    assert '<th scope="col">Seat cost</th>' in page
    assert "131.25" in page and "GBP 2,100 a run for 16" in page
    assert "Cost per person" not in page
    detail = client.get(reverse("catalogue:course-detail", args=[course.pk])).content.decode()
    assert "Seat cost</dt><dd>GBP 131.25" in detail
    rows = _csv(client.get(reverse("catalogue:course-list"), {"export": "csv"}))
    assert rows[1][rows[0].index("Seat cost (GBP)")] == "131.25"
