"""Competency search: matching fields, ranking, filters, htmx partial, pagination, exports."""

from __future__ import annotations

import io

import pytest
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from milepost.frameworks.forms import CompetencyPickerField, competency_label
from milepost.frameworks.models import Competency
from milepost.testing.factories import CompetencyFactory

pytestmark = pytest.mark.django_db

URL = reverse("frameworks:competency-search")


def names(response):
    return [competency.name for competency in response.context["page_obj"]]


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(URL, {"q": "excel"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_search_by_alternative_label_finds_the_competency(org, tree, login):
    response = login(org.employee_user).get(URL, {"q": "excel"})
    assert names(response) == ["Use spreadsheets"]


def test_search_by_description_finds_the_competency(org, tree, login):
    response = login(org.employee_user).get(URL, {"q": "tabular workbooks"})
    assert names(response) == ["Use spreadsheets"]


def test_name_matches_rank_before_label_and_description_matches(org, tree, login):
    framework = tree.framework
    CompetencyFactory.create(framework=framework, name="Audit", description="Reads a ledger.")
    CompetencyFactory.create(framework=framework, name="Bookkeeping", alt_labels="ledger keeping")
    CompetencyFactory.create(framework=framework, name="Maintain ledger")
    CompetencyFactory.create(framework=framework, name="Ledger reconciliation")
    response = login(org.employee_user).get(URL, {"q": "ledger"})
    assert names(response) == [
        "Ledger reconciliation",
        "Maintain ledger",
        "Bookkeeping",
        "Audit",
    ]


def test_framework_and_kind_filters_narrow_the_results(org, tree, login):
    CompetencyFactory.create(name="Data protection")  # another framework
    client = login(org.employee_user)
    everywhere = names(client.get(URL, {"q": "data"}))
    assert set(everywhere) == {"Data handling", "Data protection"}
    in_framework = names(client.get(URL, {"q": "data", "framework": tree.framework.pk}))
    assert in_framework == ["Data handling"]
    groups = names(client.get(URL, {"q": "", "kind": Competency.Kind.GROUP}))
    assert groups == ["Data handling", "Digital skills"]


def test_htmx_request_gets_only_the_results_partial(org, tree, login):
    response = login(org.employee_user).get(URL, {"q": "code"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "<html" not in content
    assert "Write code" in content
    assert "1 competency" in content


def test_no_match_shows_an_empty_state(org, tree, login):
    response = login(org.employee_user).get(URL, {"q": "underwater basket weaving"})
    assert b"No competency matches" in response.content


@override_settings(PAGE_SIZE=2)
def test_results_are_paginated(org, tree, login):
    client = login(org.employee_user)
    first = client.get(URL)
    assert len(first.context["page_obj"]) == 2
    assert first.context["page_obj"].paginator.count == 5
    third = client.get(URL, {"page": 3})
    assert names(third) == ["Write code"]


def test_search_results_export_as_csv_with_the_filters_applied(org, tree, login):
    response = login(org.employee_user).get(URL, {"q": "spreadsheets", "export": "csv"})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Framework,Code,Name")
    assert len(lines) == 2
    assert "Use spreadsheets" in lines[1]


def test_search_results_export_as_xlsx(org, tree, login):
    response = login(org.employee_user).get(URL, {"kind": "group", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[2] for row in rows[1:]] == ["Data handling", "Digital skills"]


def test_picker_options_suggest_competencies_but_not_groups(org, tree, login):
    response = login(org.coordinator).get(
        reverse("frameworks:competency-options"), {"requirements-0-competency": "data"}
    )
    assert b"Data handling" not in response.content
    response = login(org.coordinator).get(reverse("frameworks:competency-options"), {"q": "spread"})
    label = f"Use spreadsheets ({tree.spreadsheets.code}, {tree.spreadsheets.framework.name})"
    assert f'<option value="{label}">'.encode() in response.content
    assert b"#" not in response.content  # no internal ids


def test_the_picker_label_names_the_competency_and_resolves_back(tree):
    bracketed = CompetencyFactory.create(
        framework=tree.spreadsheets.framework, code="CMP-1", name="Complaints handling (FCA DISP)"
    )
    field = CompetencyPickerField()
    for competency in (tree.spreadsheets, bracketed):
        label = competency_label(competency)
        assert label == f"{competency.name} ({competency.code}, {competency.framework.name})"
        assert field.clean(label) == competency
