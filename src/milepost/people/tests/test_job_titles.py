"""Job titles to job profiles: suggestions, confirming, the importer's title match, the page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from milepost.frameworks.models import JobProfile
from milepost.people import job_titles
from milepost.people.importers import import_people_csv
from milepost.people.models import Employee
from milepost.testing.factories import EmployeeFactory, JobProfileFactory

pytestmark = pytest.mark.django_db

URL = reverse("people:job-titles")
CONFIRM_URL = reverse("people:job-title-confirm")
MOTOR_TITLE = "Senior Claims Handler (Motor)"
PEOPLE_HEADER = (
    "employee_id,first_name,last_name,email,unit,manager_id,job_title,job_profile_code,start_date"
)


@pytest.fixture(autouse=True)
def fresh_index() -> Iterator[None]:
    # The index is process-wide; each test's profiles live in a rolled-back transaction.
    job_titles.job_profile_index.reset()
    yield
    job_titles.job_profile_index.reset()


@pytest.fixture
def profiles(org) -> dict[str, JobProfile]:
    """Three profiles; the org fixture's four employees are "Claims handler" with none."""
    return {
        "claims": JobProfileFactory.create(
            code="claims-handler",
            title="Claims Handler",
            description="Handles insurance claims from first notice of loss to settlement.",
        ),
        "underwriter": JobProfileFactory.create(
            code="underwriter",
            title="Underwriter",
            description="Assesses insurance risks and sets premiums.",
        ),
        "developer": JobProfileFactory.create(
            code="software-developer",
            title="Software Developer",
            alt_titles="Programmer\nJava developer",
            description="Designs, writes and tests software.",
        ),
    }


def people_csv(path: Path, *rows: str) -> Path:
    path.write_text("\n".join([PEOPLE_HEADER, *rows]) + "\n", encoding="utf-8")
    return path


# --- suggestions -------------------------------------------------------------------------------


@pytest.mark.parametrize("ranking", ["default", "lexical only"])
def test_suggestions_rank_the_right_profile_first(profiles, monkeypatch, ranking):
    if ranking == "lexical only":
        monkeypatch.setattr(job_titles, "_embedder", lambda: None)

    suggestions = job_titles.suggest_profiles(MOTOR_TITLE)

    best = suggestions[0]
    assert best.job_profile == profiles["claims"]
    assert set(best.matched_terms) == {"claims", "handler"}
    assert all(best.score > other.score for other in suggestions[1:])


def test_suggestions_use_alternative_titles(profiles):
    assert job_titles.suggest_profiles("Programmer (m/f/d)")[0].job_profile == profiles["developer"]


def test_index_is_rebuilt_when_a_profile_changes(profiles):
    before = job_titles.suggest_profiles("Loss adjuster", k=1)
    assert [s.job_profile for s in before] != [profiles["underwriter"]]
    profiles["underwriter"].alt_titles = "Loss adjuster"
    profiles["underwriter"].save()

    after = job_titles.suggest_profiles("Loss adjuster", k=1)
    assert after[0].job_profile == profiles["underwriter"]


def test_inactive_profiles_are_not_suggested(profiles):
    profiles["claims"].is_active = False
    profiles["claims"].save()

    suggested = {s.job_profile for s in job_titles.suggest_profiles(MOTOR_TITLE)}

    assert profiles["claims"] not in suggested


# --- unmatched titles --------------------------------------------------------------------------


def test_unmatched_titles_count_active_holders_without_a_profile_most_held_first(org, profiles):
    EmployeeFactory.create_batch(5, unit=org.motor_team, job_title=MOTOR_TITLE)
    EmployeeFactory(unit=org.motor_team, job_title=MOTOR_TITLE, is_active=False)
    EmployeeFactory(unit=org.motor_team, job_title=MOTOR_TITLE, job_profile=profiles["claims"])
    EmployeeFactory(unit=org.underwriting, job_title="")

    rows = list(job_titles.unmatched_titles(org.coordinator))

    assert rows == [
        {"job_title": MOTOR_TITLE, "employees": 5},
        {"job_title": "Claims handler", "employees": 4},
    ]


def test_line_manager_counts_only_their_units(org, profiles):
    EmployeeFactory(unit=org.underwriting, job_title="Risk analyst")

    titles = {row["job_title"] for row in job_titles.unmatched_titles(org.claims_manager)}

    assert titles == {"Claims handler"}


# --- confirming --------------------------------------------------------------------------------


def test_confirm_updates_every_holder_and_remembers_the_title(org, profiles):
    holders = [
        EmployeeFactory.create(unit=org.motor_team, job_title=MOTOR_TITLE),
        EmployeeFactory.create(unit=org.underwriting, job_title=MOTOR_TITLE),
    ]
    inactive = EmployeeFactory.create(unit=org.motor_team, job_title=MOTOR_TITLE, is_active=False)
    other_title = EmployeeFactory.create(unit=org.motor_team, job_title=f"{MOTOR_TITLE} lead")

    updated = job_titles.confirm_job_title(
        acting_user=org.coordinator, job_title=MOTOR_TITLE, job_profile=profiles["claims"]
    )

    assert updated == 2
    for employee in holders:
        employee.refresh_from_db()
        assert employee.job_profile == profiles["claims"]
    for employee in (inactive, other_title):
        employee.refresh_from_db()
        assert employee.job_profile is None
    profiles["claims"].refresh_from_db()
    assert profiles["claims"].alt_titles.splitlines() == [MOTOR_TITLE]


def test_confirm_remembers_a_title_once_and_never_the_profiles_own_title(org, profiles):
    EmployeeFactory(unit=org.motor_team, job_title=MOTOR_TITLE)
    job_titles.confirm_job_title(
        acting_user=org.coordinator, job_title=MOTOR_TITLE, job_profile=profiles["claims"]
    )
    EmployeeFactory(unit=org.motor_team, job_title=MOTOR_TITLE.upper())
    job_titles.confirm_job_title(
        acting_user=org.coordinator, job_title=MOTOR_TITLE.upper(), job_profile=profiles["claims"]
    )
    job_titles.confirm_job_title(
        acting_user=org.coordinator, job_title="Claims handler", job_profile=profiles["claims"]
    )

    profiles["claims"].refresh_from_db()
    assert profiles["claims"].alt_titles == MOTOR_TITLE


def test_confirm_without_remember_leaves_alternative_titles_alone(org, profiles):
    updated = job_titles.confirm_job_title(
        acting_user=org.admin,
        job_title="Claims handler",
        job_profile=profiles["underwriter"],
        remember=False,
    )

    assert updated == 4
    profiles["underwriter"].refresh_from_db()
    assert profiles["underwriter"].alt_titles == ""


def test_confirm_of_a_title_nobody_holds_says_so(org, profiles):
    with pytest.raises(ValidationError, match="No active employee without a job profile has the"):
        job_titles.confirm_job_title(
            acting_user=org.coordinator, job_title="Astronaut", job_profile=profiles["claims"]
        )


@pytest.mark.parametrize("role", ["claims_manager", "employee_user", "executive"])
def test_only_coordinators_and_admins_may_confirm(org, profiles, role):
    with pytest.raises(PermissionDenied):
        job_titles.confirm_job_title(
            acting_user=getattr(org, role),
            job_title="Claims handler",
            job_profile=profiles["claims"],
        )

    assert not Employee.objects.filter(job_profile__isnull=False).exists()


# --- the importer ------------------------------------------------------------------------------


def test_import_matches_titles_and_alternative_titles_in_any_case(org, profiles, tmp_path):
    report = import_people_csv(
        people_csv(
            tmp_path / "people.csv",
            "N1,Ann,Adams,,CLM-MOT,,CLAIMS HANDLER,,",
            "N2,Ben,Brown,,UW,,java developer,,",
            "N3,Cy,Clark,,UW,,Actuary,,",
            "N4,Di,Dean,,UW,,Actuary,,",
            "N5,Ed,Evans,,UW,,,,",
        )
    )

    profile_of = dict(Employee.objects.values_list("employee_id", "job_profile__code"))
    assert profile_of["N1"] == "claims-handler"
    assert profile_of["N2"] == "software-developer"
    assert profile_of["N3"] is None and profile_of["N5"] is None
    assert report.notes == [
        "1 job title matches no job profile (2 employees): see /people/job-titles/"
    ]


def test_import_leaves_a_title_two_profiles_share_for_a_person_to_pick(org, profiles, tmp_path):
    JobProfileFactory(code="claims-handler-2", title="Claims handler")

    import_people_csv(people_csv(tmp_path / "people.csv", "N1,Ann,Adams,,CLM,,Claims handler,,"))

    assert Employee.objects.get(employee_id="N1").job_profile is None


def test_reimport_matches_a_confirmed_title_by_its_alternative_title(org, profiles, tmp_path):
    first = people_csv(
        tmp_path / "first.csv",
        f'N1,Ann,Adams,,CLM-MOT,,"{MOTOR_TITLE}",,',
        f'N2,Ben,Brown,,CLM-MOT,,"{MOTOR_TITLE}",,',
    )
    assert import_people_csv(first).notes == [
        "1 job title matches no job profile (2 employees): see /people/job-titles/"
    ]
    job_titles.confirm_job_title(
        acting_user=org.coordinator, job_title=MOTOR_TITLE, job_profile=profiles["claims"]
    )

    report = import_people_csv(
        people_csv(tmp_path / "second.csv", f'N3,Cy,Clark,,CLM,,"{MOTOR_TITLE.lower()}",,')
    )

    assert Employee.objects.get(employee_id="N3").job_profile == profiles["claims"]
    assert report.notes == []
    assert not import_people_csv(first).changed


def test_reimport_keeps_a_profile_confirmed_without_remembering(org, profiles, tmp_path):
    people = people_csv(tmp_path / "people.csv", "N1,Ann,Adams,,CLM,,Loss adjuster,,")
    import_people_csv(people)
    job_titles.confirm_job_title(
        acting_user=org.coordinator,
        job_title="Loss adjuster",
        job_profile=profiles["claims"],
        remember=False,
    )

    assert not import_people_csv(people).changed
    assert Employee.objects.get(employee_id="N1").job_profile == profiles["claims"]

    import_people_csv(people_csv(tmp_path / "moved.csv", "N1,Ann,Adams,,CLM,,Astronaut,,"))
    assert Employee.objects.get(employee_id="N1").job_profile is None


# --- the page ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["claims_manager", "employee_user", "executive", "employer_contact"]
)
def test_other_roles_get_403_on_get_and_post(org, profiles, login, role):
    client = login(getattr(org, role))

    assert client.get(URL).status_code == 403
    response = client.post(
        CONFIRM_URL, {"job_title": "Claims handler", "job_profile": profiles["claims"].pk}
    )

    assert response.status_code == 403
    assert not Employee.objects.filter(job_profile__isnull=False).exists()


def test_page_lists_titles_with_head_counts_and_suggestions(org, profiles, login):
    EmployeeFactory.create_batch(2, unit=org.motor_team, job_title=MOTOR_TITLE)

    response = login(org.coordinator).get(URL)

    assert response.status_code == 200
    rows = response.context["titles"]
    assert [(row.job_title, row.employees) for row in rows] == [
        ("Claims handler", 4),
        (MOTOR_TITLE, 2),
    ]
    assert rows[1].suggestions[0].job_profile == profiles["claims"]
    content = response.content.decode()
    assert "claims, handler" in content
    assert 'list="job-profile-choices"' in content
    assert "Claims Handler (claims-handler)" in content  # in the datalist


def test_confirm_button_updates_holders_and_redirects_with_a_message(org, profiles, login):
    client = login(org.coordinator)

    response = client.post(
        CONFIRM_URL,
        {
            "job_title": "Claims handler",
            "job_profile": profiles["claims"].pk,
            "remember": "1",
            "page": "1",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"{URL}?page=1"
    assert Employee.objects.filter(job_profile=profiles["claims"]).count() == 4
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "4 employees with job title 'Claims handler' now have job profile 'Claims Handler'. "
        "The next people import will match this title too."
    ]


def test_another_profile_can_be_picked_by_typing_it(org, profiles, login):
    client = login(org.admin)

    client.post(
        CONFIRM_URL,
        {"job_title": "Claims handler", "job_profile_choice": "Underwriter (underwriter)"},
    )

    assert Employee.objects.filter(job_profile=profiles["underwriter"]).count() == 4
    profiles["underwriter"].refresh_from_db()
    assert profiles["underwriter"].alt_titles == ""  # the box was unticked


def test_an_unknown_typed_profile_is_an_error_message(org, profiles, login):
    response = login(org.coordinator).post(
        CONFIRM_URL, {"job_title": "Claims handler", "job_profile_choice": "Astronaut"}, follow=True
    )

    assert "No active job profile is called &#x27;Astronaut&#x27;" in response.content.decode()
    assert not Employee.objects.filter(job_profile__isnull=False).exists()


def test_page_runs_a_fixed_number_of_queries(org, profiles, login, django_assert_num_queries):
    client = login(org.coordinator)
    client.get(URL)  # builds the index once per process; not part of every request
    EmployeeFactory.create_batch(2, unit=org.motor_team, job_title=MOTOR_TITLE)

    # session + user, count, one page of titles, index version, suggested profiles, datalist,
    # the layout's unread notifications
    with django_assert_num_queries(8):
        small = client.get(URL)
    for number in range(30):
        EmployeeFactory(unit=org.underwriting, job_title=f"Underwriter grade {number}")
    with django_assert_num_queries(8):
        large = client.get(URL)

    assert len(small.context["titles"]) == 2
    assert len(large.context["titles"]) == 20
    assert large.context["page_obj"].paginator.num_pages == 2


def test_empty_state_when_every_employee_has_a_profile(org, profiles, login):
    Employee.objects.update(job_profile=profiles["claims"])

    response = login(org.coordinator).get(URL)

    assert response.context["titles"] == []
    assert b"empty-state" in response.content


def test_people_list_links_here_for_coordinators_while_titles_are_unmatched(org, profiles, login):
    link = URL.encode()
    assert link in login(org.coordinator).get(reverse("people:employee-list")).content
    assert link not in login(org.claims_manager).get(reverse("people:employee-list")).content

    Employee.objects.update(job_profile=profiles["claims"])

    assert link not in login(org.coordinator).get(reverse("people:employee-list")).content
