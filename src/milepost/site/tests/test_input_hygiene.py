"""Text that used to break storage or exports, refused or cleaned at every way in (issue 11,
defects 1, 2, 4 and 8): control characters, over-long text, NUL bytes, numbers out of range,
bodies too large, anonymous writes, files in the wrong encoding."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import openpyxl
import pytest
from django.test import Client

from milepost.catalogue.importers import import_courses_csv, import_qualifications_csv
from milepost.catalogue.models import Course, Qualification
from milepost.frameworks.importers.tabular import import_framework_csv
from milepost.lib.tabular import ImportFailed
from milepost.lib.text import clean_text
from milepost.needs.importers import import_needs_csv
from milepost.needs.models import Need
from milepost.people.importers import import_units_csv
from milepost.reviews.models import DevelopmentPlanItem, Objective, ReviewCycle
from milepost.testing.factories import CourseFactory, NeedFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"


def post(client: Client, path: str, payload: object):
    return client.post(API + path, payload, content_type="application/json")


def need_payload(org, **changes: object) -> dict[str, object]:
    payload: dict[str, object] = {
        "title": "Calls\u000bfrom bereaved customers",
        "description": "Handlers\u0000 struggle with calls from bereaved customers.",
        "unit_id": org.motor_team.pk,
    }
    payload.update(changes)
    return payload


def xlsx_texts(response) -> list[str]:
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    return [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value]


# -- defect 1: control characters ---------------------------------------------------------------


def test_clean_text_keeps_line_breaks_and_drops_control_characters():
    assert clean_text("a\tb\r\nc") == "a\tb\r\nc"
    assert clean_text("one\u000btwo\u000cthree") == "one two three"
    assert clean_text("N\u0000U\u0007L\u007f\u0085") == "NUL"


def test_api_need_with_control_characters_is_stored_clean_and_exports_work(org, login):
    client = login(org.employee_user)
    response = post(client, "/needs", need_payload(org))
    assert response.status_code == 201, response.content
    need = Need.objects.get()
    assert need.title == "Calls from bereaved customers"
    assert "\u0000" not in need.description
    coordinator = login(org.coordinator)
    for path in ("/needs/?export=xlsx", "/needs/board/?export=xlsx"):
        assert coordinator.get(path).status_code == 200, path


def test_need_form_cleans_a_vertical_tab(org, login):
    client = login(org.employee_user)
    response = client.post(
        "/needs/new/",
        {
            "title": "Angry\u000bcallers",
            "description": "Since the price rise our handlers struggle with angry callers.",
            "unit": org.motor_team.pk,
            "people_affected": 3,
            "urgency": 2,
            "impact": 2,
        },
    )
    assert response.status_code in (200, 302)
    assert Need.objects.filter(title="Angry callers").exists()


def test_exports_survive_control_characters_already_stored(org, login):
    need = NeedFactory.create(unit=org.motor_team, requester=org.employee_user)
    # Written past the guard, as rows stored before it were.
    Need.objects.filter(pk=need.pk).update(title="Old\u000btitle\u0001")
    client = login(org.coordinator)
    response = client.get("/needs/?export=xlsx")
    assert response.status_code == 200
    assert "Old title" in xlsx_texts(response)
    csv_text = b"".join(client.get("/needs/?export=csv").streaming_content).decode()
    assert "Old title" in csv_text and "\u0001" not in csv_text


# -- defect 2: length limits --------------------------------------------------------------------


def test_api_refuses_an_over_long_course_title_before_writing(org, login):
    client = login(org.coordinator)
    response = post(
        client, "/courses", {"code": "LONG", "title": "x" * 100_000, "modality": "classroom"}
    )
    assert response.status_code == 422, response.content
    body = response.json()
    assert list(body["fields"]) == ["title"]
    assert "100,000 characters" in body["fields"]["title"][0]
    assert not Course.objects.exists()
    assert client.get(API + "/courses").status_code == 200


def test_api_refuses_over_long_cycle_names_objectives_and_plan_actions(org, claims_profile, login):
    client = login(org.coordinator)
    cycle = {
        "name": "n" * 10_000,
        "opens_on": "2026-03-01",
        "self_assessment_due": "2026-03-10",
        "manager_assessment_due": "2026-03-20",
        "closes_on": "2026-03-31",
        "unit_ids": [org.motor_team.pk],
    }
    response = post(client, "/review-cycles", cycle)
    assert response.status_code == 422 and list(response.json()["fields"]) == ["name"]
    assert not ReviewCycle.objects.exists()

    manager = login(org.claims_manager)
    person = org.motor_handler.pk
    objective = {"title": "t" * 100_000, "weight": 10}
    response = post(manager, f"/employees/{person}/objectives", objective)
    assert response.status_code == 422 and list(response.json()["fields"]) == ["title"]
    assert not Objective.objects.exists()
    item = {
        "competency_id": claims_profile.negotiation.pk,
        "target_level": 3,
        "action": "a" * 100_000,
    }
    response = post(manager, f"/employees/{person}/development-plan", item)
    assert response.status_code == 422 and list(response.json()["fields"]) == ["action"]
    assert not DevelopmentPlanItem.objects.exists()


def test_web_form_refuses_an_over_long_need_title(org, login):
    client = login(org.employee_user)
    response = client.post(
        "/needs/new/",
        {
            "title": "t" * 5_000,
            "description": "Since the price rise our handlers struggle with angry callers.",
            "unit": org.motor_team.pk,
            "people_affected": 3,
            "urgency": 2,
            "impact": 2,
        },
    )
    assert response.status_code == 200
    assert "at most 200 characters" in response.content.decode()
    assert not Need.objects.exists()


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def failure(call) -> str:
    with pytest.raises(ImportFailed) as caught:
        call()
    return "\n".join(caught.value.errors)


def test_catalogue_and_qualification_imports_name_the_over_long_field(tmp_path, db):
    courses = write(tmp_path, "courses.csv", f"code,title,modality\nC1,{'x' * 100_000},classroom\n")
    message = failure(lambda: import_courses_csv(courses))
    assert "courses.csv, row 2, field title: value is 100,000 characters long" in message
    qualifications = write(tmp_path, "quals.csv", f"code,title\nQ1,{'q' * 100_000}\n")
    message = failure(lambda: import_qualifications_csv(qualifications))
    assert "quals.csv, row 2, field title" in message
    assert not Course.objects.exists() and not Qualification.objects.exists()


def test_unit_and_framework_imports_name_the_over_long_field(tmp_path, db):
    units = write(tmp_path, "units.csv", f"code,name,parent_code,kind\nU1,{'u' * 1_000},,unit\n")
    assert "units.csv, row 2, field name" in failure(lambda: import_units_csv(units))
    framework = write(tmp_path, "fw.csv", f"code,name\n{'c' * 300},Name\n")
    message = failure(lambda: import_framework_csv(framework, code="F", name="F"))
    assert "fw.csv, row 2, field code" in message


# -- defect 4: NUL bytes ------------------------------------------------------------------------


def test_imports_take_nul_bytes_out(tmp_path, db):
    courses = write(tmp_path, "courses.csv", "code,title,modality\nC1,Nul\u0000 title,classroom\n")
    import_courses_csv(courses)
    assert Course.objects.get().title == "Nul title"


def test_need_import_takes_nul_bytes_out(tmp_path, org):
    header = (
        "title,description,business_issue,unit_code,people_affected,urgency,impact,wanted_by,source"
    )
    row = "Angry\u0000 callers,Handlers struggle with angry callers,,CLM-MOT,3,medium,,,form"
    needs = write(tmp_path, "needs.csv", f"{header}\n{row}\n")
    import_needs_csv(needs, acting_user=org.coordinator)
    assert Need.objects.get().title == "Angry callers"


# -- defect 8: smaller ones ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cost", "expected"),
    [
        ("1e30", "'1e30' is too large"),
        ("NaN", "'NaN' is not a number"),
        ("-5", "'-5' is negative"),
        ("1.234", "'1.234' has more than 2 decimals"),
    ],
)
def test_course_costs_out_of_range_are_named(tmp_path, db, cost, expected):
    courses = write(
        tmp_path, "courses.csv", f"code,title,modality,cost_per_run\nC1,T,online,{cost}\n"
    )
    message = failure(lambda: import_courses_csv(courses))
    assert f"courses.csv, row 2, field cost_per_run: {expected}" in message


def test_utf16_with_a_byte_order_mark_is_read(tmp_path, db):
    courses = write(tmp_path, "courses.csv", "code,title,modality\nC1,Café,online\n", "utf-16")
    import_courses_csv(courses)
    assert Course.objects.get().title == "Café"


def test_utf16_without_a_byte_order_mark_is_named_as_utf16(tmp_path, db):
    courses = write(tmp_path, "courses.csv", "code,title,modality\nC1,T,online\n", "utf-16-le")
    message = failure(lambda: import_courses_csv(courses))
    assert "looks UTF-16 encoded" in message and "Latin-1" not in message


def test_an_unclosed_quote_is_named_not_reported_as_an_empty_field(tmp_path, db):
    text = 'code,title,modality\nC1,"Unclosed,online\nC2,Second,online\n'
    courses = write(tmp_path, "courses.csv", text)
    message = failure(lambda: import_courses_csv(courses))
    assert "courses.csv, row 2: has a quote that is never closed" in message
    assert "empty" not in message


def test_an_id_past_the_database_integers_is_a_422(org, login):
    client = login(org.coordinator)
    response = client.put(
        f"{API}/needs/{2**70}/mapping", {"accepted_ids": []}, content_type="application/json"
    )
    assert response.status_code in (404, 422), response.content
    assert response.json()["code"] in {"not_found", "out_of_range"}
    cycle = {
        "name": "Spring",
        "opens_on": "2026-03-01",
        "self_assessment_due": "2026-03-10",
        "manager_assessment_due": "2026-03-20",
        "closes_on": "2026-03-31",
        "unit_ids": [2**70],
    }
    response = post(client, "/review-cycles", cycle)
    assert response.status_code == 422, response.content


def test_a_body_over_the_limit_is_a_json_413(org, login, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = post(login(org.employee_user), "/needs", need_payload(org, description="d" * 5_000))
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_a_body_that_is_not_json_is_a_json_400(org, login):
    client = login(org.employee_user)
    response = client.post(API + "/needs", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_an_anonymous_write_is_told_to_authenticate(org):
    response = post(Client(enforce_csrf_checks=True), "/needs", need_payload(org))
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_a_session_write_without_csrf_is_still_refused(org):
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.employee_user)
    response = post(client, "/needs", need_payload(org))
    assert response.status_code == 403


def test_an_unexpected_api_error_is_json_and_logged(org, login, monkeypatch, caplog):
    from milepost.catalogue import selectors

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(selectors, "visible_courses", broken)
    CourseFactory()
    with caplog.at_level(logging.ERROR, logger="milepost.api"):
        response = login(org.coordinator).get(API + "/courses")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "server_error"
    assert "disk on fire" not in response.content.decode()
    assert any(
        "disk on fire" in record.exc_text or "" for record in caplog.records if record.exc_text
    )
