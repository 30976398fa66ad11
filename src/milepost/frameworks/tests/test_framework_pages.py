"""Framework list, framework detail with its lazily loaded tree, and framework exports."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from milepost.frameworks import selectors
from milepost.testing.factories import CompetencyFactory, FrameworkFactory

pytestmark = pytest.mark.django_db


def test_anonymous_user_is_sent_to_login(client, tree):
    for url in (
        reverse("frameworks:framework-list"),
        reverse("frameworks:framework-detail", args=[tree.framework.pk]),
        reverse("frameworks:competency-children", args=[tree.data.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_framework_list_counts_competencies_and_groups(org, tree, login):
    response = login(org.employee_user).get(reverse("frameworks:framework-list"))
    assert response.status_code == 200
    framework = next(iter(response.context["frameworks"]))
    assert (framework.competency_count, framework.group_count) == (3, 2)
    assert b"<h1>Competency frameworks</h1>" in response.content


def test_framework_list_shows_an_empty_state(org, login):
    response = login(org.employee_user).get(reverse("frameworks:framework-list"))
    assert b"No frameworks yet" in response.content


def test_framework_list_exports_csv(org, tree, login):
    response = login(org.executive).get(reverse("frameworks:framework-list"), {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[1].startswith("digital,Digital skills framework")


def test_detail_renders_a_small_tree_whole(org, tree, login):
    response = login(org.employer_contact).get(
        reverse("frameworks:framework-detail", args=[tree.framework.pk])
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Build pivot tables" in content
    assert reverse("frameworks:competency-detail", args=[tree.pivot_tables.pk]) in content
    assert "hx-get" not in content


def test_detail_of_a_big_tree_renders_top_levels_and_lazy_loads_the_rest(
    org, tree, login, monkeypatch
):
    monkeypatch.setattr(selectors, "FIRST_RENDER_NODES", 3)
    response = login(org.employer_contact).get(
        reverse("frameworks:framework-detail", args=[tree.framework.pk])
    )
    content = response.content.decode()
    assert "Digital skills" in content and "Data handling" in content
    assert "Use spreadsheets" not in content
    assert f'hx-get="{reverse("frameworks:competency-children", args=[tree.data.pk])}"' in content
    assert 'hx-trigger="toggle once"' in content
    assert reverse("frameworks:competency-detail", args=[tree.coding.pk]) in content


def test_detail_always_renders_the_roots(org, tree, login, monkeypatch):
    monkeypatch.setattr(selectors, "FIRST_RENDER_NODES", 1)
    CompetencyFactory.create(framework=tree.framework, name="Second root")
    response = login(org.employee_user).get(
        reverse("frameworks:framework-detail", args=[tree.framework.pk])
    )
    assert [node.competency.name for node in response.context["tree"]] == [
        "Digital skills",
        "Second root",
    ]


def test_detail_page_query_count_does_not_grow_with_the_tree(
    org, tree, login, django_assert_num_queries
):
    client = login(org.coordinator)
    url = reverse("frameworks:framework-detail", args=[tree.framework.pk])
    # session, user, framework, level sizes, top levels
    with django_assert_num_queries(6):
        client.get(url)
    for index in range(300):
        CompetencyFactory.create(framework=tree.framework, parent=tree.digital, code=f"X{index}")
    with django_assert_num_queries(6):
        response = client.get(url)
    assert len(response.context["tree"][0].children) == 0  # too many to render: lazy


def test_children_partial_returns_one_level_below_the_node(org, tree, login):
    response = login(org.employee_user).get(
        reverse("frameworks:competency-children", args=[tree.data.pk]), HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert "Use spreadsheets" in content
    assert "Build pivot tables" not in content
    assert reverse("frameworks:competency-children", args=[tree.spreadsheets.pk]) in content


def test_children_partial_of_a_leaf_says_nothing_is_below(org, tree, login):
    response = login(org.employee_user).get(
        reverse("frameworks:competency-children", args=[tree.pivot_tables.pk])
    )
    assert b"Nothing below Build pivot tables" in response.content


def test_framework_competencies_export_as_xlsx_in_tree_order(org, tree, login):
    FrameworkFactory.create()  # another framework's rows must not leak in
    response = login(org.employee_user).get(
        reverse("frameworks:framework-detail", args=[tree.framework.pk]), {"export": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Code", "Name")
    assert [row[0] for row in rows[1:]] == ["D", "D.1", "D.1.1", "D.1.1.1", "D.2"]
    spreadsheets = rows[3]
    assert spreadsheets[4] == "D.1"
    assert spreadsheets[5] == "Excel skills; working with worksheets"


def test_framework_competencies_export_as_csv(org, tree, login):
    response = login(org.employee_user).get(
        reverse("frameworks:framework-detail", args=[tree.framework.pk]), {"export": "csv"}
    )
    assert response["Content-Disposition"] == 'attachment; filename="digital-competencies.csv"'
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 6


def test_unknown_framework_is_404(org, login):
    response = login(org.coordinator).get(reverse("frameworks:framework-detail", args=[999]))
    assert response.status_code == 404


def test_a_branch_exports_alone(org, tree, login):
    response = login(org.employee_user).get(
        reverse("frameworks:framework-detail", args=[tree.framework.pk]),
        {"export": "csv", "under": tree.data.pk},
    )
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["D.1", "D.1.1", "D.1.1.1"]


def test_a_branch_of_another_framework_is_404(org, tree, login):
    other = CompetencyFactory.create()
    response = login(org.employee_user).get(
        reverse("frameworks:framework-detail", args=[tree.framework.pk]),
        {"export": "csv", "under": other.pk},
    )
    assert response.status_code == 404
