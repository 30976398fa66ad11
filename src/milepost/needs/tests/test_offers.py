"""What the catalogue offers for needs and themes: matching courses, qualifications and tracks,
the gap in the catalogue, on the need and theme pages, the board, its filter and its export."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from milepost.catalogue.models import Course, LearningOutcome, Qualification, Track, TrackStep
from milepost.engines.demand.priority import Weights
from milepost.needs import demand, offers
from milepost.needs.models import Need, NeedCompetency
from milepost.testing.factories import (
    CompetencyFactory,
    DemandThemeFactory,
    JobProfileFactory,
    NeedCompetencyFactory,
    NeedFactory,
    RequirementFactory,
)

pytestmark = pytest.mark.django_db

BOARD = reverse("needs:board")


def make_need(org, title: str = "A need", **fields: Any) -> Need:
    return NeedFactory.create(
        title=title,
        description=f"{title}: people struggle with this since the spring.",
        unit=fields.pop("unit", org.claims),
        requester=fields.pop("requester", org.coordinator),
        **fields,
    )


def map_to(need: Need, competency, *, rank: int = 1, **flags: bool) -> NeedCompetency:
    return NeedCompetencyFactory.create(need=need, competency=competency, rank=rank, **flags)


def course(code: str, *, cost: str = "250", active: bool = True, **levels: Any) -> Course:
    item = Course.objects.create(
        code=code,
        title=f"Course {code}",
        modality="classroom",
        cost_per_person=Decimal(cost),
        is_active=active,
    )
    for competency, level in levels.get("raises", []):
        LearningOutcome.objects.create(course=item, competency=competency, raises_to_level=level)
    return item


def qualification(code: str, *, cost: str = "900", active: bool = True, raises=()) -> Qualification:
    item = Qualification.objects.create(
        code=code,
        title=f"Qualification {code}",
        awarding_body="CII",
        level=3,
        cost_per_person=Decimal(cost),
        is_active=active,
    )
    for competency, level in raises:
        LearningOutcome.objects.create(
            qualification=item, competency=competency, raises_to_level=level
        )
    return item


def track(code: str, *, steps=(), active: bool = True, **fields: Any) -> Track:
    item = Track.objects.create(code=code, title=f"Track {code}", is_active=active, **fields)
    for position, offer in enumerate(steps, start=1):
        owner = {"course": offer} if isinstance(offer, Course) else {"qualification": offer}
        TrackStep.objects.create(track=item, position=position, **owner)
    return item


def answer_for(org, *needs: Need) -> offers.CatalogueAnswer:
    fresh = demand.board_needs(org.coordinator, status="").filter(pk__in=[n.pk for n in needs])
    return offers.catalogue_answer(org.coordinator, fresh)


# --- matching --------------------------------------------------------------------------------


def test_confirmed_competencies_decide_what_is_matched(org):
    excel = CompetencyFactory.create(name="Excel modelling")
    negotiation = CompetencyFactory.create(name="Negotiation")
    need = make_need(org, "Pivot tables")
    map_to(need, excel, rank=2, confirmed_by_requester=True)
    map_to(need, negotiation, rank=1)  # the engine's best guess, not confirmed
    course("XL", raises=[(excel, 3)])
    course("NEG", raises=[(negotiation, 2)])
    answer = answer_for(org, need)
    assert answer.competency_names == ["Excel modelling"]
    assert [match.code for match in answer.offers] == ["XL"]
    assert answer.offers[0].raises_label == "Excel modelling to level 3"
    assert not answer.is_gap


def test_top_suggestions_count_when_nothing_is_confirmed(org):
    excel = CompetencyFactory.create(name="Excel modelling")
    need = make_need(org, "Pivot tables")
    map_to(need, excel, rank=1)
    course("XL", raises=[(excel, 2)])
    assert [match.code for match in answer_for(org, need).offers] == ["XL"]


def test_offers_are_ranked_by_competencies_covered_then_cost(org):
    excel = CompetencyFactory.create(name="Excel modelling")
    negotiation = CompetencyFactory.create(name="Negotiation")
    need = make_need(org, "Spreadsheets and deals")
    map_to(need, excel, accepted=True)
    map_to(need, negotiation, accepted=True, rank=2)
    course("CHEAP", cost="100", raises=[(excel, 2)])
    course("DEAR", cost="400", raises=[(excel, 2)])
    course("BOTH", cost="900", raises=[(excel, 3), (negotiation, 3)])
    qualification("Q", cost="50", raises=[(negotiation, 4)])
    answer = answer_for(org, need)
    assert [match.code for match in answer.offers] == ["BOTH", "Q", "CHEAP", "DEAR"]
    assert answer.offers[0].covered == 2
    assert answer.best is not None and answer.best.code == "BOTH"
    assert answer.offers[1].url == reverse(
        "catalogue:qualification-detail", args=[answer.offers[1].pk]
    )


def test_inactive_courses_qualifications_and_tracks_are_left_out(org):
    excel = CompetencyFactory.create(name="Excel modelling")
    need = make_need(org, "Pivot tables")
    map_to(need, excel, accepted=True)
    retired = course("OLD", active=False, raises=[(excel, 3)])
    qualification("OLDQ", active=False, raises=[(excel, 3)])
    old_track = track("T-OLD", active=False)
    old_track.competencies.add(excel)
    track("T-STEP", steps=[retired])  # active track, but its only step is retired
    answer = answer_for(org, need)
    assert answer.offers == ()
    assert answer.tracks == ()
    assert answer.is_gap


def test_a_need_no_offer_answers_is_a_gap_naming_its_competencies(org, login):
    complaints = CompetencyFactory.create(name="Complaints handling")
    need = make_need(org, "Complaints backlog")
    map_to(need, complaints, accepted=True)
    course("XL", raises=[(CompetencyFactory.create(name="Excel modelling"), 2)])
    response = login(org.coordinator).get(reverse("needs:need-detail", args=[need.pk]))
    assert response.context["answer"].is_gap
    content = response.content.decode()
    assert "What the catalogue offers" in content
    assert (
        "<strong>Gap in the catalogue:</strong> no course, qualification or track answers "
        "these competencies: Complaints handling." in content
    )


def test_a_need_without_competencies_is_not_a_gap(org):
    need = make_need(org, "Something vague")
    answer = answer_for(org, need)
    assert answer.competencies == ()
    assert not answer.is_gap
    assert answer.summary == ""


# --- tracks ----------------------------------------------------------------------------------


def test_tracks_are_suggested_by_their_steps_targets_and_job_profile(org):
    excel = CompetencyFactory.create(name="Excel modelling")
    negotiation = CompetencyFactory.create(name="Negotiation")
    need = make_need(org, "Spreadsheets and deals")
    map_to(need, excel, accepted=True)
    map_to(need, negotiation, accepted=True, rank=2)
    by_steps = track(
        "T-STEPS",
        steps=[
            course("XL", cost="100", raises=[(excel, 2)]),
            course("XL2", cost="50", raises=[(excel, 4)]),
        ],
    )
    by_target = track("T-TARGET")
    by_target.competencies.add(negotiation)
    profile = JobProfileFactory.create(title="Broker manager")
    RequirementFactory.create(job_profile=profile, competency=negotiation, required_level=3)
    RequirementFactory.create(job_profile=profile, competency=excel, required_level=2)
    track("T-PROFILE", job_profile=profile)
    track("T-UNRELATED").competencies.add(CompetencyFactory.create())
    tracks = {match.code: match for match in answer_for(org, need).tracks}
    assert set(tracks) == {"T-STEPS", "T-TARGET", "T-PROFILE"}
    assert tracks["T-STEPS"].raises_label == "Excel modelling to level 4"
    assert tracks["T-STEPS"].seat_cost == Decimal("150.00")
    assert tracks["T-TARGET"].raises_label == "Negotiation (a target of the track)"
    assert tracks["T-PROFILE"].covered == 2
    assert answer_for(org, need).tracks[0].code == "T-PROFILE"
    assert tracks["T-STEPS"].url == reverse("catalogue:track-detail", args=[by_steps.pk])


def test_a_track_alone_means_no_gap(org):
    complaints = CompetencyFactory.create(name="Complaints handling")
    need = make_need(org, "Complaints backlog")
    map_to(need, complaints, accepted=True)
    track("T").competencies.add(complaints)
    answer = answer_for(org, need)
    assert not answer.is_gap
    assert answer.best is not None and answer.best.kind == "track"


# --- pages -----------------------------------------------------------------------------------


def test_need_page_lists_offers_with_levels_costs_and_links(org, login):
    excel = CompetencyFactory.create(name="Excel modelling")
    need = make_need(org, "Pivot tables", requester=org.employee_user, unit=org.motor_team)
    map_to(need, excel, confirmed_by_requester=True)
    item = course("XL", cost="120.50", raises=[(excel, 3)])
    content = login(org.employee_user).get(reverse("needs:need-detail", args=[need.pk])).content
    text = content.decode()
    assert reverse("catalogue:course-detail", args=[item.pk]) in text
    assert "Excel modelling to level 3" in text
    assert "120.50" in text
    assert "Gap in the catalogue" not in text


def test_theme_page_answers_the_competencies_of_all_its_needs(org, login):
    excel = CompetencyFactory.create(name="Excel modelling")
    negotiation = CompetencyFactory.create(name="Negotiation")
    theme = DemandThemeFactory.create(title="Commercial skills")
    map_to(make_need(org, "Pivot tables", theme=theme), excel, accepted=True)
    map_to(make_need(org, "Deals", theme=theme), negotiation, accepted=True)
    course("NEG", raises=[(negotiation, 2)])
    response = login(org.coordinator).get(reverse("needs:theme-detail", args=[theme.pk]))
    answer = response.context["answer"]
    assert answer.competency_names == ["Excel modelling", "Negotiation"]
    assert [match.code for match in answer.offers] == ["NEG"]
    assert answer.unanswered_names == ["Excel modelling"]
    assert "Not answered by anything in the catalogue:</strong> Excel modelling" in (
        response.content.decode()
    )


def test_theme_page_flags_a_gap(org, login):
    theme = DemandThemeFactory.create(title="Complaints")
    map_to(make_need(org, "Backlog", theme=theme), CompetencyFactory.create(), accepted=True)
    response = login(org.coordinator).get(reverse("needs:theme-detail", args=[theme.pk]))
    assert "<strong>Gap in the catalogue:</strong>" in response.content.decode()


# --- the board -------------------------------------------------------------------------------


def _board_with_a_gap_and_an_offer(org) -> None:
    excel = CompetencyFactory.create(name="Excel modelling")
    theme = DemandThemeFactory.create(title="Spreadsheets")
    map_to(make_need(org, "Pivot tables", theme=theme, impact=5), excel, accepted=True)
    map_to(make_need(org, "Lookups", theme=theme), excel, accepted=True)
    course("XL", raises=[(excel, 3)])
    course("XL-ADV", cost="900", raises=[(excel, 4)])
    gap = make_need(org, "Complaints backlog", impact=1)
    map_to(gap, CompetencyFactory.create(name="Complaints handling"), accepted=True)


def test_board_rows_show_offers_or_a_gap_badge(org, login):
    _board_with_a_gap_and_an_offer(org)
    response = login(org.coordinator).get(BOARD)
    rows = list(response.context["page_obj"].object_list)
    assert [(row.title, row.catalogue.count, row.catalogue.is_gap) for row in rows] == [
        ("Spreadsheets", 2, False),
        ("Complaints backlog", 0, True),
    ]
    text = response.content.decode()
    assert '<th scope="col">Offers</th>' in text
    assert ">Course XL</a>" in text
    assert ">Gap in the catalogue</span>" in text


def test_board_filter_keeps_only_gaps_in_the_catalogue(org, login):
    _board_with_a_gap_and_an_offer(org)
    response = login(org.coordinator).get(BOARD, {"gaps": "on"})
    rows = list(response.context["page_obj"].object_list)
    assert [(row.rank, row.title) for row in rows] == [(1, "Complaints backlog")]
    assert response.context["filtered"]


def test_board_export_has_an_offers_column(org, login):
    _board_with_a_gap_and_an_offer(org)
    client = login(org.coordinator)
    response = client.get(BOARD, {"export": "csv"})
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    column = lines[0].index("Offers")
    assert lines[0][column:] == ["Offers", "Best offer fit (%)", "Best offer seat cost (GBP)"]
    assert [line[column:] for line in lines[1:]] == [
        ["2: Course Course XL (XL)", "100", "250.00"],
        ["Gap in the catalogue", "", ""],
    ]
    sheet = load_workbook(io.BytesIO(client.get(BOARD, {"export": "xlsx"}).content)).active
    values = list(sheet.values)
    assert values[0][column] == "Offers"
    assert values[2][column] == "Gap in the catalogue"


# --- a seat's cost: the one costing rule (catalogue.costing.seat_cost) -----------------------


def _internal_course_for_a_theme(org) -> tuple[Need, Course]:
    """An internal course priced by the run only: GBP 2,100 a run for 16 places."""
    calls = CompetencyFactory.create(name="Customer empathy and de-escalation")
    theme = DemandThemeFactory.create(title="Difficult customer conversations")
    need = make_need(org, "Angry callers", theme=theme)
    map_to(need, calls, accepted=True)
    item = course("DESC", cost="0", raises=[(calls, 3)])
    item.title = "De-escalating difficult calls"
    item.cost_per_run = Decimal("2100")
    item.places_per_run = 16
    item.save()
    return need, item


def test_a_course_priced_by_the_run_costs_a_seat_not_nothing(org, login):
    need, _ = _internal_course_for_a_theme(org)
    answer = answer_for(org, need)
    assert answer.offers[0].seat_cost == Decimal("131.25")
    client = login(org.coordinator)
    pages = {
        "need": client.get(reverse("needs:need-detail", args=[need.pk])),
        "theme": client.get(reverse("needs:theme-detail", args=[need.theme_id])),
        "board": client.get(BOARD),
    }
    for name, response in pages.items():
        text = response.content.decode()
        assert "GBP 131.25" in text, name
        assert "GBP 0.00" not in text, name
    assert "GBP 2,100 a run for 16" in pages["need"].content.decode()


def test_board_exports_price_the_best_offer_by_the_seat(org, login):
    _internal_course_for_a_theme(org)
    client = login(org.coordinator)
    response = client.get(BOARD, {"export": "csv"})
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    column = lines[0].index("Best offer seat cost (GBP)")
    assert lines[1][column] == "131.25"
    sheet = load_workbook(io.BytesIO(client.get(BOARD, {"export": "xlsx"}).content)).active
    values = list(sheet.values)
    assert Decimal(str(values[1][column])) == Decimal("131.25")


def test_a_track_costs_the_seats_of_its_active_steps(org):
    excel = CompetencyFactory.create(name="Excel modelling")
    need = make_need(org, "Pivot tables")
    map_to(need, excel, accepted=True)
    internal = course("XL", cost="0", raises=[(excel, 2)])
    internal.cost_per_run = Decimal("1200")
    internal.places_per_run = 12
    internal.save()
    track("T", steps=[internal, course("XL2", cost="50"), course("OLD", cost="999", active=False)])
    assert answer_for(org, need).tracks[0].seat_cost == Decimal("150.00")  # 100 + 50


# --- fit: what an offer teaches against what the need asks -----------------------------------


def test_a_narrow_course_that_fits_beats_a_broad_track_covering_six_more(org, login):
    calls = CompetencyFactory.create(name="Customer empathy and de-escalation")
    need = make_need(org, "Angry callers")
    map_to(need, calls, accepted=True)
    course("NARROW", cost="400", raises=[(calls, 3)])
    others = [CompetencyFactory.create(name=f"Claims step {n}") for n in range(6)]
    first = course("YEAR-1", cost="10", raises=[(calls, 2), *((c, 2) for c in others[:3])])
    later = [course(f"YEAR-{n}", cost="10", raises=[(c, 2)]) for n, c in enumerate(others[3:], 2)]
    track("FIRST-YEAR", steps=[first, *later])  # the need's competency and six more
    answer = answer_for(org, need)
    assert answer.tracks[0].code == "FIRST-YEAR"
    assert answer.tracks[0].fit == Fraction(1, 7)
    assert answer.tracks[0].seat_cost == Decimal("40.00")  # cheaper than the narrow course
    assert [(match.code, match.fit) for match in answer.offers] == [
        ("NARROW", 1),
        ("YEAR-1", Fraction(1, 4)),
    ]
    assert answer.best is not None and answer.best.code == "NARROW"
    response = login(org.coordinator).get(BOARD)
    assert response.context["page_obj"][0].catalogue.best.code == "NARROW"


def test_a_broad_course_fits_less_than_a_narrow_one_even_when_cheaper(org):
    calls = CompetencyFactory.create(name="Customer empathy and de-escalation")
    need = make_need(org, "Angry callers")
    map_to(need, calls, accepted=True)
    course("BROAD", cost="50", raises=[(calls, 3), (CompetencyFactory.create(), 2)])
    course("NARROW", cost="300", raises=[(calls, 3)])
    course("CHEAPER-NARROW", cost="200", raises=[(calls, 2)])
    answer = answer_for(org, need)
    assert [match.code for match in answer.offers] == ["CHEAPER-NARROW", "NARROW", "BROAD"]
    assert answer.offers[2].fit == 0.5
    assert answer.offers[2].extra == 1


def _catalogue_and_needs(org, count: int) -> None:
    """`count` rows, half themed, each about its own competency, each answered by a course,
    a qualification and a track (more rows, more offers: the query count must not move)."""
    theme = DemandThemeFactory.create(title="Theme")
    for index in range(count):
        competency = CompetencyFactory.create()
        need = make_need(org, f"Need {index}", theme=theme if index % 2 else None)
        map_to(need, competency, accepted=True)
        item = course(f"C{index}", raises=[(competency, 2)])
        qualification(f"Q{index}", raises=[(competency, 3)])
        track(f"T{index}", steps=[item]).competencies.add(competency)


@pytest.mark.parametrize("count", [2, 20])
def test_board_query_count_stays_fixed_as_rows_and_offers_grow(
    org, django_assert_num_queries, count
):
    _catalogue_and_needs(org, count)
    # needs, mappings, business unit names (3), then the catalogue for every row at once:
    # courses, qualifications, outcomes, tracks, steps, targets, job profile requirements (7)
    with django_assert_num_queries(10):
        board = demand.demand_board(org.coordinator, weights=Weights())
    assert all(row.catalogue.count >= 3 for row in board.rows)


@pytest.mark.parametrize("count", [2, 20])
def test_need_page_query_count_does_not_grow_with_the_catalogue(org, login, count):
    _catalogue_and_needs(org, count)
    need = Need.objects.get(title="Need 0")
    client = login(org.coordinator)
    client.get(reverse("needs:need-detail", args=[need.pk]))
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("needs:need-detail", args=[need.pk]))
    assert response.context["answer"].count == 3
    catalogue_queries = [
        query for query in context.captured_queries if "catalogue_" in query["sql"]
    ]
    assert len(catalogue_queries) == 7
