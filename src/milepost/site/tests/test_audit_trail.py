"""The audit trail: each kind of change is recorded with who, before and after; the page for
admins and the quality lead filters, pages and exports, and offers no way to change an entry."""

from __future__ import annotations

import csv
import datetime
import io
import json
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from milepost.accounts import audit
from milepost.accounts.models import Role
from milepost.accounts.services import issue_api_token
from milepost.catalogue.models import Course, Qualification, Track, TrackStep
from milepost.frameworks.models import Framework
from milepost.needs.models import NeedCompetency
from milepost.people.models import Assessment
from milepost.reviews.models import DevelopmentPlanItem, Objective
from milepost.site import privacy
from milepost.testing.factories import (
    CompetencyFactory,
    CourseFactory,
    DevelopmentPlanItemFactory,
    FrameworkFactory,
    NeedFactory,
    ObjectiveFactory,
    QualificationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

AUDIT = reverse("audit-trail")
CATALOGUE_FIXTURES = Path(__file__).parents[2] / "catalogue" / "tests" / "fixtures"


@pytest.fixture(autouse=True)
def keep_test_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """run_from_argv closes every connection when done, which would end the test's transaction."""
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)


def entries_for(obj: Model) -> list[LogEntry]:
    return list(
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_pk=str(obj.pk)
        ).order_by("pk")
    )


def last_entry(model: type[Model]) -> LogEntry:
    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model)).latest(
        "pk"
    )


# --- every listed kind of change is recorded --------------------------------------------------


def test_an_assessment_and_its_deletion_are_recorded(org, claims_profile, login):
    response = login(org.claims_manager).post(
        reverse("people:assessment-create", args=[org.motor_handler.pk]),
        {
            "competency": claims_profile.negotiation.pk,
            "kind": "manager",
            "level": 3,
            "assessed_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    assessment = Assessment.objects.get(employee=org.motor_handler)
    [created] = entries_for(assessment)
    assert created.actor == org.claims_manager
    assert created.changes["level"] == ["None", "3"]
    assert created.changes["kind"] == ["None", "manager"]

    # The admin site no longer deletes ratings (docs/personal-data.md); a deletion by any other
    # way (a cascade, a shell) is recorded with every value it had.
    admin = Client()
    admin.force_login(org.admin)
    response = admin.post(
        reverse("admin:people_assessment_delete", args=[assessment.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    pk = assessment.pk
    with audit.acting_as(org.admin):
        Assessment.objects.filter(pk=pk).delete()
    assert not Assessment.objects.filter(pk=pk).exists()
    deleted = entries_for(assessment)[-1]
    assert deleted.action == LogEntry.Action.DELETE
    assert deleted.actor == org.admin
    assert deleted.changes["level"] == ["3", "None"]
    assert deleted.changes["employee"] == [str(org.motor_handler.pk), "None"]


def test_objective_progress_and_development_plan_status_are_recorded(org, claims_profile, login):
    objective = ObjectiveFactory.create(employee=org.motor_handler, progress=10)
    item = DevelopmentPlanItemFactory.create(
        employee=org.motor_handler, competency=claims_profile.negotiation
    )
    client = login(org.claims_manager)
    client.post(reverse("reviews:objective-progress", args=[objective.pk]), {"progress": "50"})
    client.post(reverse("reviews:development-status", args=[item.pk]), {"status": "done"})

    progressed = last_entry(Objective)
    assert (progressed.actor, progressed.changes["progress"]) == (org.claims_manager, ["10", "50"])
    finished = last_entry(DevelopmentPlanItem)
    assert finished.actor == org.claims_manager
    assert finished.changes["status"][1] == "done"


def test_a_need_mapping_through_the_api_names_the_token_owner(org, claims_profile):
    need = NeedFactory.create(requester=org.employee_user, unit=org.motor_team)
    _, raw = issue_api_token(acting_user=org.coordinator, name="triage script")
    response = Client().put(
        f"/api/v1/needs/{need.pk}/mapping",
        json.dumps({"accepted_ids": [], "add_ids": [claims_profile.negotiation.pk]}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 200, response.content
    assert NeedCompetency.objects.filter(need=need, competency=claims_profile.negotiation).exists()
    mapped = entries_for(need)[-1]
    assert mapped.actor == org.coordinator
    assert mapped.changes == {
        "competencies mapped": ["", f"Negotiation (#{claims_profile.negotiation.pk})"]
    }


def test_a_job_profile_edit_records_the_title_before_and_after(org, claims_profile, login):
    profile = claims_profile.job_profile
    response = login(org.coordinator).patch(
        f"/api/v1/job-profiles/{profile.pk}",
        json.dumps({"title": "Senior claims handler"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    changed = entries_for(profile)[-1]
    assert changed.actor == org.coordinator
    assert changed.changes == {"title": ["Claims handler", "Senior claims handler"]}


def test_frameworks_competencies_and_the_catalogue_are_recorded(org):
    with audit.acting_as(org.coordinator):
        framework = FrameworkFactory.create(name="Service skills")
        competency = CompetencyFactory.create(framework=framework, name="Listening")
        competency.name = "Active listening"
        competency.save()
        course = CourseFactory.create(code="CALM-1", title="Calm calls")
        later = CourseFactory.create(code="CALM-2", title="Calm calls, part two")
        later.prerequisites.add(course)
        qualification = QualificationFactory.create(code="CII-CERT", title="Certificate")
        qualification.is_active = False
        qualification.save()
        track = Track.objects.create(code="HANDLER", title="Handler route")
        step = TrackStep.objects.create(track=track, position=1, course=course)
        TrackStep.objects.filter(pk=step.pk).delete()  # a queryset delete is recorded too

    assert entries_for(framework)[0].changes["name"] == ["None", "Service skills"]
    assert entries_for(competency)[-1].changes["name"] == ["Listening", "Active listening"]
    prerequisite = entries_for(later)[-1]
    assert prerequisite.changes["prerequisites"]["operation"] == "add"
    assert entries_for(qualification)[-1].changes["is_active"] == ["True", "False"]
    assert entries_for(track)[0].action == LogEntry.Action.CREATE
    assert [entry.action for entry in entries_for(step)] == [
        LogEntry.Action.CREATE,
        LogEntry.Action.DELETE,
    ]
    every = LogEntry.objects.filter(pk__in=[e.pk for e in entries_for(course)])
    assert {entry.actor for entry in every} == {org.coordinator}
    assert Framework in audit.audited_models() and Qualification in audit.audited_models()


COURSES_CSV = (
    "code,title,summary,modality,duration_hours,cost_per_person,cost_per_run,provider_kind,"
    "provider_name,audience,prerequisites,outcomes,active\n"
    "NEG-100,Negotiation basics,,classroom,7,250,0,internal,,,,,true\n"
    "NEG-200,Negotiation in practice,,classroom,7,300,0,internal,,,NEG-100,,true\n"
)


def test_an_import_run_is_one_entry_naming_who_ran_which_file_and_the_counts(org, tmp_path):
    courses = tmp_path / "courses-2026.csv"
    courses.write_text(COURSES_CSV)
    call_command(
        "import_data",
        "catalogue",
        str(courses),
        "--quiet",
        "--as",
        org.coordinator.username,
        stdout=io.StringIO(),
    )
    entry = LogEntry.objects.get(additional_data__event=audit.Event.IMPORT)
    assert entry.actor == org.coordinator
    assert entry.content_type.model_class() is Course
    details = entry.additional_data
    assert (details["file"], details["kind"], details["via"]) == (
        "courses-2026.csv",
        "catalogue",
        "command line",
    )
    assert details["counts"]["courses"]["created"] == Course.objects.count() == 2
    lines = [str(change) for change in audit.changes_of(entry)]
    assert "Courses: 2 created, 0 updated, 0 unchanged, 0 removed" in lines


def test_an_import_without_a_user_is_the_command_line_and_a_failed_one_is_recorded(org, tmp_path):
    courses = tmp_path / "courses.csv"
    courses.write_text(COURSES_CSV)
    call_command("import_data", "catalogue", str(courses), "--quiet", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command(
            "import_data",
            "catalogue",
            str(CATALOGUE_FIXTURES / "courses_bad.csv"),
            "--quiet",
            stdout=io.StringIO(),
        )
    ran = LogEntry.objects.get(additional_data__event=audit.Event.IMPORT)
    assert ran.actor is None
    assert audit.actor_of(ran) == "command line"
    failed = LogEntry.objects.get(additional_data__event=audit.Event.IMPORT_FAILED)
    assert failed.additional_data["file"] == "courses_bad.csv"
    assert "courses_bad.csv" in failed.additional_data["failure"]
    assert Course.objects.count() == 2  # the failed run changed nothing


# --- the page ---------------------------------------------------------------------------------


@pytest.fixture
def trail(org):
    """A few entries of each kind, by the coordinator and by the admin."""
    with audit.acting_as(org.coordinator):
        CourseFactory.create(code="CALM-1", title="Calm calls")
        course = CourseFactory.create(code="FRAUD-1", title="Spotting fraud")
        course.title = "Spotting fraud, 2nd edition"
        course.save()
    with audit.acting_as(org.admin):
        org.employee_user.role = Role.LINE_MANAGER
        org.employee_user.save()
    Client(REMOTE_ADDR="192.0.2.5").post(
        reverse("login"), {"username": "nobody", "password": "guess"}
    )
    return org


def page_lines(client: Client, **query: str) -> list[dict]:
    response = client.get(AUDIT, query)
    assert response.status_code == 200
    return response.context["lines"]


def test_the_page_shows_who_what_and_the_values_before_and_after(trail, login):
    response = login(trail.admin).get(AUDIT, {"q": "fraud"})
    text = response.content.decode()
    assert "Spotting fraud" in text
    assert "Spotting fraud → Spotting fraud, 2nd edition" in text
    assert "coordinator" in text


def test_the_page_filters_by_kind_record_who_dates_and_object(trail, login):
    client = login(trail.admin)
    updates = page_lines(client, kind="update", model="catalogue.course")
    assert [line["entry"].object_repr for line in updates] == [
        "Spotting fraud, 2nd edition (FRAUD-1)"
    ]
    failed = page_lines(client, kind=audit.Event.LOG_IN_FAILED)
    assert [line["changes"][0].after for line in failed] == ["nobody"]
    by_admin = page_lines(client, actor="admin")
    assert {line["entry"].actor for line in by_admin} == {trail.admin}
    assert page_lines(client, q="calm", model="catalogue.course")[0]["kind"] == "Created"
    today = timezone.localdate()
    assert len(page_lines(client, since=today.isoformat(), until=today.isoformat())) >= 5
    tomorrow = today + datetime.timedelta(days=1)
    assert page_lines(client, since=tomorrow.isoformat()) == []
    response = client.get(AUDIT, {"since": today.isoformat(), "until": "2000-01-01"})
    assert response.context["form"].errors["until"]


def test_user_text_in_an_entry_is_escaped(org, login):
    with audit.acting_as(org.coordinator):
        CourseFactory.create(code="XSS", title="<script>alert(1)</script>")
    text = login(org.admin).get(AUDIT).content.decode()
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_the_page_is_paginated_with_a_bounded_number_of_queries(
    org, login, django_assert_max_num_queries
):
    client = login(org.admin)
    client.get(AUDIT)  # content types cached, as in a running server
    with django_assert_max_num_queries(8) as few:
        client.get(AUDIT)
    with audit.acting_as(org.coordinator):
        for number in range(60):
            CourseFactory.create(code=f"MANY-{number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(AUDIT)
    assert len(response.context["lines"]) == 50
    assert response.context["page_obj"].paginator.num_pages >= 2


def test_csv_export_has_one_row_per_entry_with_the_changes(trail, login):
    response = login(trail.admin).get(AUDIT, {"export": "csv", "model": "catalogue.course"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    header, *body = rows
    assert header[:5] == ["When", "Who", "Who (e-mail)", "Kind", "Record"]
    assert len(body) == 3
    assert any("Title: Spotting fraud → Spotting fraud, 2nd edition" in row[7] for row in body)


def test_xlsx_export_opens_as_a_workbook(trail, login):
    response = login(trail.admin).get(AUDIT, {"export": "xlsx", "kind": "update"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "When"
    assert {row[3] for row in values[1:]} == {"Changed"}


@pytest.mark.parametrize(
    "role", [Role.COORDINATOR, Role.LINE_MANAGER, Role.EMPLOYEE, Role.EXECUTIVE]
)
def test_other_roles_are_refused(trail, login, role):
    response = login(UserFactory.create(role=role)).get(AUDIT, {"export": "csv"})
    assert response.status_code == 403


def test_the_quality_lead_reads_the_trail(trail, login):
    assert page_lines(login(UserFactory.create(role=Role.QUALITY_LEAD)))


# --- append-only ------------------------------------------------------------------------------


def test_the_page_offers_no_way_to_change_an_entry(trail, login):
    client = login(trail.admin)
    text = client.get(AUDIT).content.decode()
    assert 'method="post"' not in text.split("<main", 1)[1].split("</main>")[0]
    before = LogEntry.objects.count()
    assert client.post(AUDIT, {"q": "x"}).status_code == 405
    assert LogEntry.objects.count() == before


def test_the_admin_site_cannot_add_change_or_delete_entries(trail, login):
    entry = LogEntry.objects.latest("pk")
    client = login(trail.admin)  # a superuser
    assert client.get(reverse("admin:auditlog_logentry_changelist")).status_code == 200
    add = client.post(reverse("admin:auditlog_logentry_add"), {})
    change = client.post(reverse("admin:auditlog_logentry_change", args=[entry.pk]), {})
    delete = client.post(
        reverse("admin:auditlog_logentry_delete", args=[entry.pk]), {"post": "yes"}
    )
    bulk = client.post(
        reverse("admin:auditlog_logentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert add.status_code == 403
    assert change.status_code in (302, 403)
    assert delete.status_code == 403
    assert bulk.status_code in (200, 302)
    kept = LogEntry.objects.get(pk=entry.pk)  # still there, unchanged
    assert (kept.changes, kept.object_repr, kept.actor_id) == (
        entry.changes,
        entry.object_repr,
        entry.actor_id,
    )


# --- every model is audited, or says why not ---------------------------------------------------

# Models left out of the audit trail, and why. A new model must be audited (one line in its app's
# ready(): `audited(self.get_model("Name"))`) or listed here with its reason.
NOT_AUDITED = {
    "accounts.Notification": "an inbox message, not a record of the organisation",
    "needs.StatusChange": "itself the need's status history; the status is audited on the need",
    "insights.GapStructure": "a cache token of the gap engine",
    "insights.EmployeeChange": "a cache note of the gap engine",
    "catalogue.BookletPrint": "a kept PDF of the booklet, made again from the audited catalogue",
    "clients.OwnerChange": "itself the client's ownership history",
    "clients.StageChange": "itself the client's journey history",
    "clients.MapVersion": "itself the stakeholder map's version history",
    "proposals.ProposalEvent": "itself the proposal's history (sent, accepted, declined...)",
    "delivery.EnrolmentChange": "itself the enrolment's history (requested, booked, waitlisted...)",
    "clients.SurveyResponse": "the client's own answers, kept as given and never edited",
}


def test_every_milepost_model_is_audited_or_says_why_not():
    missing = [
        model._meta.label
        for model in apps.get_models()
        if model.__module__.startswith("milepost.")
        and model._meta.label not in NOT_AUDITED
        and model not in audit.audited_models()
    ]
    assert missing == [], (
        f"{missing}: add `audited(self.get_model(...))` to the app's ready() "
        "(accounts/audit.py), or list the model in NOT_AUDITED with the reason"
    )


def test_the_menu_shows_the_audit_trail_to_those_who_may_read_it(org, login):
    def menu(user) -> list[str]:
        return [item["label"] for item in login(user).get(reverse("home")).context["nav_items"]]

    assert "Audit" in menu(org.admin)
    assert "Audit" in menu(UserFactory.create(role=Role.QUALITY_LEAD))
    assert "Audit" not in menu(org.coordinator)
    assert "Audit" not in menu(org.employee_user)


# --- erasure (docs/personal-data.md) ----------------------------------------------------------


def test_erasing_a_person_leaves_nothing_of_them_in_the_trail_but_that_it_happened(
    org, claims_profile
):
    handler, user = org.motor_handler, org.employee_user
    with audit.acting_as(org.coordinator):
        handler.email = "mo.handler@example.com"
        handler.save()
        Assessment.objects.create(
            employee=handler,
            competency=claims_profile.negotiation,
            kind=Assessment.Kind.AGREED,
            level=2,
            assessed_on=datetime.date(2026, 3, 1),
            assessed_by=org.claims_manager,
            note="Family troubles this spring.",
        )
        NeedFactory.create(requester=user, unit=org.motor_team, requester_name="Mo Handler")
    Client(REMOTE_ADDR="192.0.2.7").post(
        reverse("login"), {"username": user.username, "password": "wrong-one"}
    )
    with audit.acting_as(user):
        ObjectiveFactory.create(employee=handler, title="Coach Mo's twin")
    secrets = ["Handler", "mo.handler@example.com", user.username, "Family troubles", "twin"]

    def trail_text() -> str:
        return str(
            list(
                LogEntry.objects.values_list(
                    "object_repr", "changes", "additional_data", "actor_email", "serialized_data"
                )
            )
        )

    assert all(secret in trail_text() for secret in secrets)  # recorded before the erasure

    with audit.acting_as(org.admin):
        report = privacy.erase_person(acting_user=org.admin, employee=handler, reason="DSAR-7")

    text = trail_text()
    assert [secret for secret in secrets if secret in text] == []
    erased = entries_for(handler)[-1]
    assert erased.actor == org.admin
    assert erased.changes == {"personal data": ["", "erased: DSAR-7"]}
    assert any(line.startswith("audit trail entries anonymised: ") for line in report.lines())
    # What happened stays: the rating's creation, by whom, its level.
    rating = entries_for(Assessment.objects.get(employee=handler))[0]
    assert (rating.action, rating.actor, rating.changes["level"]) == (
        LogEntry.Action.CREATE,
        org.coordinator,
        ["None", "2"],
    )
