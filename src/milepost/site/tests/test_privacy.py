"""Personal data rights (issue 11, item 11): export, erasure that keeps the figures, retention
for leavers, and no more hard deletes that lose history or fail half-way."""

from __future__ import annotations

import datetime
import io
import json
import zipfile

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from milepost.accounts.models import ApiToken, Notification, User
from milepost.accounts.services import issue_api_token, notify
from milepost.insights import gaps
from milepost.needs.models import Need
from milepost.people.models import Assessment, Employee
from milepost.reviews.models import Objective
from milepost.site import privacy

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(org, claims_profile):
    """The motor handler with a rating (and a comment about them), a need, a token, a message."""
    handler = org.motor_handler
    Assessment.objects.create(
        employee=handler,
        competency=claims_profile.negotiation,
        kind=Assessment.Kind.AGREED,
        level=2,
        assessed_on=datetime.date(2026, 3, 1),
        assessed_by=org.claims_manager,
        note="Struggles with angry brokers; family troubles this spring.",
    )
    Objective.objects.create(employee=handler, title="Close 90 % of claims in 30 days", weight=40)
    Need.objects.create(
        title="Calming angry callers",
        description="Our handlers struggle with angry callers since the new policy wording.",
        unit=org.motor_team,
        requester=org.employee_user,
        requester_name="Mo Handler",
    )
    issue_api_token(acting_user=org.employee_user, name="my script")
    notify(recipient=org.employee_user, message="Your review is due.")
    return handler


def archive_of(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def test_the_export_holds_everything_about_the_person_and_no_secret(person, org):
    files = archive_of(privacy.export_zip(person))
    assert {"README.txt", "personal-data.json", "assessments.csv", "needs_raised.csv"} <= set(files)
    data = json.loads(files["personal-data.json"])
    assert data["employee"][0]["employee_id"] == person.employee_id
    assert data["assessments"][0]["note"].startswith("Struggles with angry brokers")
    assert data["needs_raised"][0]["title"] == "Calming angry callers"
    assert data["notifications"][0]["message"] == "Your review is due."
    assert data["api_tokens"][0]["name"] == "my script"
    assert "digest" not in data["api_tokens"][0]
    assert "password" not in data["login"][0]
    assert "Calming angry callers" in files["needs_raised.csv"]


def test_the_person_downloads_their_own_data(person, org, login):
    response = login(org.employee_user).get(reverse("my-data"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "personal-data.json" in archive_of(response.content)


def test_an_administrator_may_export_and_a_manager_may_not(person, org, login):
    url = reverse("personal-data-export", args=[person.pk])
    assert login(org.claims_manager).get(url).status_code == 403
    admin = User.objects.create_user("dpo.admin", role="admin")
    assert login(admin).get(url).status_code == 200


def test_erasure_removes_what_identifies_and_keeps_every_figure(person, org, claims_profile):
    before = gaps.current_gaps().engine.organisation_summary()
    user = org.employee_user
    report = privacy.erase_person(acting_user=None, employee=person, reason="DSAR-2026-014")
    person.refresh_from_db()
    assert (person.first_name, person.email, person.employee_id) == (
        "Erased",
        "",
        f"erased-{person.pk}",
    )
    assert person.user is None and person.erased_at is not None
    rating = Assessment.objects.get(employee=person)
    assert (rating.level, rating.kind, rating.note) == (2, "agreed", "")
    assert Objective.objects.get(employee=person).title == privacy.ERASED_TEXT
    user.refresh_from_db()
    assert user.username == f"erased-user-{user.pk}" and not user.is_active
    assert not user.has_usable_password() and user.email == ""
    assert not ApiToken.objects.filter(user=user).exists()
    assert not Notification.objects.filter(user=user).exists()
    need = Need.objects.get()
    assert need.requester == user and need.requester_name == ""  # the unit's demand stays
    after = gaps.current_gaps().engine.organisation_summary()
    figures = ("headcount", "weighted_gap", "unassessed")
    assert [getattr(after, name) for name in figures] == [getattr(before, name) for name in figures]
    assert "assessment notes cleared: 1" in report.lines()


def test_erasure_needs_a_reason_an_administrator_and_happens_once(person, org):
    with pytest.raises(Exception, match="reason"):
        privacy.erase_person(acting_user=None, employee=person, reason=" ")
    with pytest.raises(Exception, match="administrator"):
        privacy.erase_person(acting_user=org.coordinator, employee=person, reason="x")
    privacy.erase_person(acting_user=None, employee=person, reason="DSAR-1")
    with pytest.raises(Exception, match="already erased"):
        privacy.erase_person(acting_user=None, employee=person, reason="DSAR-1")


def test_the_erase_page_asks_for_the_employee_id(person, org, login):
    admin = User.objects.create_user("dpo.admin", role="admin")
    url = reverse("personal-data-erase", args=[person.pk])
    client = login(admin)
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "DSAR-7", "confirm": "wrong"})
    assert "Type the employee ID" in response.content.decode()
    assert Employee.objects.get(pk=person.pk).erased_at is None
    response = client.post(url, {"reason": "DSAR-7", "confirm": person.employee_id})
    assert response.status_code == 302
    assert Employee.objects.get(pk=person.pk).erased_at is not None
    assert login(org.coordinator).get(url).status_code == 403


def test_the_admin_site_no_longer_hard_deletes_people_logins_or_ratings(org):
    request = RequestFactory().get("/")
    request.user = User.objects.create_superuser("root", password="x" * 16)
    for model in (Employee, User, Assessment):
        assert not admin_site._registry[model].has_delete_permission(request)


def test_deactivating_sets_the_leaving_date_and_rehiring_clears_it(org):
    handler = org.motor_handler
    handler.is_active = False
    handler.save(update_fields=["is_active"])
    handler.refresh_from_db()
    assert handler.left_on == timezone.localdate()
    handler.is_active = True
    handler.save()
    handler.refresh_from_db()
    assert handler.left_on is None


def leave(employee: Employee, days_ago: int) -> None:
    Employee.objects.filter(pk=employee.pk).update(
        is_active=False, left_on=timezone.localdate() - datetime.timedelta(days=days_ago)
    )


def test_retention_erases_leavers_past_the_period_only(person, org, settings):
    leave(person, 40)
    leave(org.underwriter, 20)
    settings.RETENTION_LEAVER_DAYS = 0
    assert privacy.apply_retention() == []
    settings.RETENTION_LEAVER_DAYS = 30
    erased = privacy.apply_retention()
    assert [report.employee_id for report in erased] == [person.pk]
    assert Employee.objects.get(pk=org.underwriter.pk).erased_at is None


def test_the_retention_command_lists_queues_and_runs(person, settings, capsys):
    leave(person, 400)
    settings.RETENTION_LEAVER_DAYS = 365
    call_command("retention", "--dry-run")
    assert person.employee_id in capsys.readouterr().out
    call_command("retention")  # queued; the immediate backend in tests runs it at once
    assert "Queued the retention task (1 due)" in capsys.readouterr().out
    assert Employee.objects.get(pk=person.pk).erased_at is not None


def test_the_personal_data_command_exports_and_erases(person, tmp_path, capsys):
    target = tmp_path / "data.zip"
    call_command("personal_data", "export", person.employee_id, str(target))
    assert "personal-data.json" in archive_of(target.read_bytes())
    call_command("personal_data", "erase", person.employee_id, "--reason", "DSAR-9")
    assert "assessment notes cleared: 1" in capsys.readouterr().out


def test_a_login_without_an_employee_record_downloads_its_own_data(org, login):
    response = login(org.coordinator).get(reverse("my-data"))
    assert response.status_code == 200
    data = json.loads(archive_of(response.content)["personal-data.json"])
    assert data["login"][0]["username"] == "coordinator" and "employee" not in data


def test_an_employer_contacts_export_and_erasure_cover_their_client_contact(org):
    from milepost.clients.models import Contact
    from milepost.site.privacy import Erasure, _erase_login, personal_data
    from milepost.testing.factories import ClientFactory, PortalContactFactory

    contact = PortalContactFactory.create(
        client=ClientFactory.create(name="Harbour Brokers"),
        user=org.employer_contact,
        email="hana@harbour.test",
    )
    tables = personal_data(None, org.employer_contact)
    assert [row["email"] for row in tables["client_contact"]] == ["hana@harbour.test"]
    report = Erasure(employee_id=0)
    _erase_login(org.employer_contact, report)
    contact = Contact.objects.get(pk=contact.pk)
    assert (contact.email, contact.user_id) == ("", None)
