"""`milepost demo`: structure, idempotence, reset and determinism of the demo organisation."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import Count, Max
from django.test import RequestFactory, override_settings

from milepost.accounts.access import unit_filter
from milepost.accounts.models import OrgUnit, Role, User
from milepost.frameworks.models import (
    Competency,
    CompetencyLevel,
    Framework,
    JobProfile,
)
from milepost.people.models import Assessment, Employee
from milepost.reviews.models import ReviewCycle, ReviewParticipant
from milepost.site.demo import catalogue
from milepost.site.demo.assessments import plan_assessments
from milepost.site.demo.build import DEMO_PASSWORD, LOGINS
from milepost.site.demo.organisation import (
    DEMO_EMPLOYEE_TEAM,
    ROOT_CODE,
    allocate,
    minimum_size,
    plan_people,
)
from milepost.site.demo.profiles import PROFILES

SMALL = 60


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def small_demo(shared_demo: str, db: None) -> str:
    """The demo of this package's conftest.py, built once; each test's writes rolled back."""
    return shared_demo


# Pure planning: no database.


def test_every_profile_requirement_names_a_framework_competency_on_the_scale():
    codes = {spec.code for spec, *_ in catalogue.walk() if spec.kind != catalogue.GROUP}
    for profile in PROFILES:
        assert 8 <= len(profile.requirements) <= 14, profile.key
        required = [requirement.competency_code for requirement in profile.requirements]
        assert len(set(required)) == len(required), f"{profile.key} repeats a competency"
        for requirement in profile.requirements:
            assert requirement.competency_code in codes, (profile.key, requirement)
            assert 1 <= requirement.level <= 5 and 1 <= requirement.importance <= 5


def test_catalogue_has_unique_codes_and_three_indicators_a_level():
    nodes = catalogue.walk()
    assert len({spec.code for spec, *_ in nodes}) == len(nodes)
    competencies = [spec for spec, *_ in nodes if spec.kind != catalogue.GROUP]
    assert 40 <= len(competencies) <= 50
    for spec in competencies:
        assert spec.alt_labels and spec.description.endswith(".")
        for level in range(1, 6):
            indicators = spec.level_indicators(level)
            assert len(indicators) == 3 and len(set(indicators)) == 3


def test_people_plan_is_deterministic_and_seed_dependent():
    first = plan_people(size=SMALL, seed=7)
    assert first == plan_people(size=SMALL, seed=7)
    assert [p.first_name for p in first] != [p.first_name for p in plan_people(size=SMALL, seed=8)]
    assert len(first) == SMALL
    assert len({p.email for p in first}) == SMALL


def test_managers_always_come_before_their_reports():
    people = plan_people(size=2000, seed=1)
    assert len(people) == 2000
    assert people[0].manager_index is None
    assert all(p.manager_index is not None and p.manager_index < p.index for p in people[1:])


def test_plan_refuses_a_size_too_small_for_the_leadership():
    with pytest.raises(ValueError, match="at least"):
        plan_people(size=minimum_size() - 1, seed=1)


def test_allocate_splits_exactly_and_in_proportion():
    # Ties in the remainder go to the earlier team, so the split never depends on luck.
    assert allocate(10, [1, 1, 2]) == [3, 2, 5]
    assert sum(allocate(1933, [170, 150, 3, 0, 12])) == 1933


def test_assessment_history_has_both_rounds_and_all_three_kinds():
    people = plan_people(size=400, seed=3)
    plans = list(plan_assessments(people, seed=3))
    assert {plan.kind for plan in plans} == {"self", "manager", "agreed"}
    assert {plan.assessed_on.year for plan in plans} == {2025, 2026}
    assert all(1 <= plan.level <= 5 for plan in plans)
    profiled = [p for p in people if p.profile_key]
    assessed = {plan.person_index for plan in plans}
    assert 0.3 * len(profiled) < len(assessed) < 0.7 * len(profiled)


# The command against the database.


def test_small_demo_has_the_expected_structure(small_demo):
    root = OrgUnit.objects.get(code=ROOT_CODE)
    assert root.kind == OrgUnit.Kind.ORGANISATION
    units = root.subtree()
    assert units.filter(kind=OrgUnit.Kind.BUSINESS_UNIT, depth=1).count() == 6
    assert units.aggregate(Max("depth"))["depth__max"] >= 3
    for business_unit in units.filter(kind=OrgUnit.Kind.BUSINESS_UNIT):
        departments = business_unit.children.filter(kind=OrgUnit.Kind.DEPARTMENT).count()
        assert 1 <= departments <= 4, business_unit.name
    assert Employee.objects.count() == SMALL
    assert "Loaded in" in small_demo and "http://127.0.0.1:8000/" in small_demo


def test_small_demo_framework_has_levels_and_indicators(small_demo):
    framework = Framework.objects.get(code="northwind")
    assert framework.name == "Northwind Competency Framework"
    assert list(framework.scale.levels.values_list("name", flat=True)) == [
        "Awareness",
        "Foundation",
        "Practitioner",
        "Advanced",
        "Expert",
    ]
    competencies = framework.competencies.exclude(kind=Competency.Kind.GROUP)
    assert 40 <= competencies.count() <= 50
    assert framework.competencies.filter(kind=Competency.Kind.GROUP, depth=0).count() == 6
    assert framework.competencies.aggregate(Max("depth"))["depth__max"] >= 3
    assert not competencies.annotate(n=Count("levels")).exclude(n=5).exists()
    for level in CompetencyLevel.objects.filter(competency__framework=framework):
        assert len(level.indicator_list) >= 2
    python = framework.competencies.get(code="DAT-PY")
    assert python.parent is not None
    assert python.path.startswith(python.parent.path) and python.children.count() == 2


def test_small_demo_every_profile_has_requirements(small_demo):
    profiles = JobProfile.objects.filter(code__startswith="northwind-")
    assert profiles.count() == len(PROFILES)
    counts = profiles.annotate(n=Count("requirements")).values_list("n", flat=True)
    assert all(8 <= n <= 14 for n in counts)


def test_small_demo_managers_form_a_tree_without_cycles(small_demo):
    manager_of = dict(Employee.objects.values_list("pk", "manager_id"))
    roots = [pk for pk, manager in manager_of.items() if manager is None]
    assert len(roots) == 1
    for pk in manager_of:
        seen = set()
        while pk is not None:
            assert pk not in seen, "cycle in the management chain"
            seen.add(pk)
            pk = manager_of[pk]


def test_small_demo_has_a_login_for_every_role(small_demo):
    users = User.objects.filter(username__in=[login.username for login in LOGINS])
    assert set(users.values_list("role", flat=True)) == set(Role.values)
    admin = users.get(role=Role.ADMIN)
    assert admin.is_superuser and admin.is_staff
    # The lockout backend (django-axes) needs the request it guards.
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username="employee", password=DEMO_PASSWORD) is not None
    assert DEMO_PASSWORD in small_demo


def test_line_manager_heads_claims_and_sees_the_demo_employee(small_demo):
    line_manager = User.objects.get(role=Role.LINE_MANAGER, username="line.manager")
    claims = OrgUnit.objects.get(code="NW-CLM")
    assert line_manager.employee.unit == claims
    assert line_manager.employee.job_title == "Claims Director"
    handler = User.objects.get(username="employee").employee
    assert handler.job_profile is not None
    assert handler.job_profile.code == "northwind-claims-handler"
    assert handler.unit.code == DEMO_EMPLOYEE_TEAM
    assert handler.unit.path.startswith(claims.path)
    visible = OrgUnit.objects.filter(unit_filter(line_manager))
    assert visible.filter(pk=handler.unit_id).exists()
    assert not visible.filter(code="NW-CO").exists()
    # The demo employee has a history: two rounds of self, manager and agreed ratings.
    dates = set(handler.assessments.values_list("assessed_on__year", "kind"))
    assert {(2025, "self"), (2026, "agreed")} <= dates


def test_running_twice_changes_nothing_and_prints_the_logins(small_demo):
    counts = (Employee.objects.count(), Assessment.objects.count(), User.objects.count())
    output = run_demo("--size", str(SMALL))
    assert "already loaded" in output and "line.manager" in output
    assert (Employee.objects.count(), Assessment.objects.count(), User.objects.count()) == counts
    assert OrgUnit.objects.filter(code=ROOT_CODE).count() == 1


def test_reset_rebuilds_the_same_people(small_demo):
    before = list(Employee.objects.values_list("employee_id", "first_name", "last_name", "email"))
    assessments = Assessment.objects.count()
    output = run_demo("--reset", "--size", str(SMALL))
    assert "Deleted the demo data" in output
    after = list(Employee.objects.values_list("employee_id", "first_name", "last_name", "email"))
    assert sorted(after) == sorted(before)
    assert Assessment.objects.count() == assessments
    assert User.objects.filter(username="line.manager").count() == 1


def test_reset_leaves_other_data_alone(small_demo, org):
    run_demo("--reset", "--size", str(SMALL))
    assert OrgUnit.objects.filter(code="CLM").exists()
    assert User.objects.filter(username="claims.manager").exists()


def test_refuses_to_take_over_an_existing_non_demo_user(db):
    User.objects.create_user(username="admin", email="real.admin@corp.test", password="x" * 12)
    with pytest.raises(CommandError, match="User 'admin' already exists"):
        run_demo("--size", str(SMALL))
    assert not OrgUnit.objects.filter(code=ROOT_CODE).exists()


@override_settings(DEBUG=False, TESTING=False)
def test_refuses_without_debug_unless_asked(db):
    with pytest.raises(CommandError, match="DEBUG is off"):
        run_demo("--size", str(SMALL))
    run_demo("--size", str(SMALL), "--allow-without-debug")
    assert OrgUnit.objects.filter(code=ROOT_CODE).exists()


def test_demo_reviews_link_the_annual_rounds_and_leave_one_cycle_open(small_demo):
    handler = User.objects.get(username="employee").employee
    closed = ReviewCycle.objects.filter(status=ReviewCycle.Status.CLOSED)
    assert set(closed.values_list("name", flat=True)) == {
        "2025 annual review",
        "2026 annual review",
    }
    annual = ReviewParticipant.objects.get(cycle__name="2026 annual review", employee=handler)
    assert annual.stage == ReviewParticipant.Stage.AGREED
    in_round = handler.assessments.filter(assessed_on__year=2026)
    assert set(in_round.values_list("cycle__name", "source")) == {("2026 annual review", "review")}
    check_in = ReviewCycle.objects.get(status=ReviewCycle.Status.OPEN)
    waiting = check_in.participants.get(employee=handler)
    assert waiting.stage == ReviewParticipant.Stage.SELF
    assert not check_in.participants.exclude(employee__unit=handler.unit).exists()


# The catalogue (demo/offers.py)


def test_demo_offer_names_framework_competencies_profiles_and_known_steps():
    from milepost.site.demo.offers import COURSES, QUALIFICATIONS, TRACKS, _outcomes

    codes = {spec.code for spec, *_ in catalogue.walk() if spec.kind != catalogue.GROUP}
    course_codes = [course.code for course in COURSES]
    offer_codes = set(course_codes) | {q.code for q in QUALIFICATIONS}
    assert len(set(course_codes)) == len(COURSES) >= 40 and len(QUALIFICATIONS) >= 6
    outcome_cells = [(c.code, c.outcomes) for c in COURSES]
    outcome_cells += [(q.code, q.outcomes) for q in QUALIFICATIONS]
    for offer_code, cell in outcome_cells:
        outcomes = _outcomes(cell)
        assert outcomes, offer_code
        assert all(code in codes and 1 <= level <= 5 for code, level in outcomes), offer_code
    for course in COURSES:
        assert set(course.prerequisites) <= set(course_codes) - {course.code}
    profile_keys = {profile.key for profile in PROFILES}
    for track in TRACKS:
        assert track.profile_key in profile_keys and set(track.steps) <= offer_codes


def test_demo_loads_the_catalogue_with_enforced_tracks_in_order(small_demo: str):
    from milepost.catalogue.models import Course, LearningOutcome, Qualification, Track
    from milepost.catalogue.services import track_order_problems
    from milepost.site.demo.offers import COURSES, QUALIFICATIONS

    assert "catalogue" in small_demo
    assert Course.objects.count() == len(COURSES)
    assert Qualification.objects.count() == len(QUALIFICATIONS)
    assert not LearningOutcome.objects.filter(competency__kind=catalogue.GROUP).exists()
    tracks = list(Track.objects.all())
    assert len(tracks) == 3 and all(track.job_profile_id for track in tracks)
    assert sum(track.enforce_order for track in tracks) == 2
    assert [problem for track in tracks for problem in track_order_problems(track)] == []
    run_demo("--reset", "--size", str(SMALL))
    assert Course.objects.count() == len(COURSES)


def test_building_the_demo_sends_no_email_but_fills_the_inboxes(
    db: None, django_capture_on_commit_callbacks
):
    from django.core import mail

    from milepost.accounts.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        run_demo("--size", str(SMALL))
    assert Notification.objects.exists()  # review cycle opened, needs raised and moved on
    assert mail.outbox == []
