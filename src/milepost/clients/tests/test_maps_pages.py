"""Stakeholder map pages: the map with its table and consensus, downloads, forms, answers,
history, and names with HTML in them escaped in the page, the SVG and the PDF."""

from __future__ import annotations

import subprocess

import pytest
from django.test import Client
from django.urls import reverse

from milepost.accounts.models import Role
from milepost.clients.models import MapReview, MapStatus, ReviewAnswer
from milepost.clients.services import maps
from milepost.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
NASTY = '<script>alert("x")</script> & Co'


def _browser(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


@pytest.fixture
def harbour_map(book):
    stakeholder_map = maps.get_client_map(acting_user=book.account_manager, client=book.harbour)
    maps.add_stakeholder(
        acting_user=book.account_manager,
        stakeholder_map=stakeholder_map,
        body_name=NASTY,
        body_type="regulator",
        power=5,
        interest=2,
        legitimate=True,
        wants="Evidence <b>that</b> training works",
    )
    maps.add_stakeholder(
        acting_user=book.account_manager,
        stakeholder_map=stakeholder_map,
        contact=book.harbour_contact,
        power=4,
        interest=5,
        urgent=True,
    )
    return stakeholder_map


def test_the_map_page_draws_the_svg_the_table_and_escapes_names(book, harbour_map):
    response = _browser(book.account_manager).get(reverse("clients:map", args=[harbour_map.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in html
    assert "<svg" in html
    assert '<title id="stakeholder-map-title">Stakeholder map of Harbour' in html
    assert "Keep satisfied" in html and "Manage closely" in html  # both quadrants named
    assert "Hana Harbour" in html and "Dangerous" in html  # contact: power 4, urgent
    assert "Evidence &lt;b&gt;that&lt;/b&gt; training works" in html
    assert "Nobody has been asked to confirm this map yet" in html
    assert reverse("clients:stakeholder-add", args=[harbour_map.pk]) in html


def test_svg_download_is_a_standalone_escaped_svg(book, harbour_map):
    response = _browser(book.quality_lead).get(
        reverse("clients:map-download", args=[harbour_map.pk]), {"format": "svg"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert 'filename="stakeholder-map-of-harbour-brokers.svg"' in response["Content-Disposition"]
    svg = response.content.decode()
    assert svg.startswith('<?xml version="1.0"')
    assert "<script" not in svg and "&lt;script&gt;" in svg
    assert "<desc" in svg and "keep satisfied:" in svg


def test_png_download_is_a_png_picture(book, harbour_map):
    response = _browser(book.account_manager).get(
        reverse("clients:map-download", args=[harbour_map.pk]), {"format": "png"}
    )
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(response.content[16:20], "big")
    assert width > 1000  # drawn at twice the SVG's size


def test_pdf_download_holds_the_names_as_text_escaped_not_run(book, harbour_map, tmp_path):
    response = _browser(book.account_manager).get(
        reverse("clients:map-download", args=[harbour_map.pk]), {"format": "pdf"}
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    pdf = tmp_path / "map.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert '<script>alert("x")</script> & Co' in text  # shown literally, as typed
    assert "Hana Harbour" in text and "Stakeholder map of Harbour Brokers" in text


def test_unknown_download_format_is_not_found(book, harbour_map):
    response = _browser(book.account_manager).get(
        reverse("clients:map-download", args=[harbour_map.pk]), {"format": "exe"}
    )
    assert response.status_code == 404


def test_adding_a_stakeholder_through_the_form_and_its_errors(book, harbour_map, org):
    browser = _browser(book.account_manager)
    url = reverse("clients:stakeholder-add", args=[harbour_map.pk])
    page = browser.get(url).content.decode()
    assert "Nick Gate" not in page  # another client's contact is not offered
    refused = browser.post(url, {"contact": book.northgate_contact.pk, "power": 3, "interest": 3})
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    too_high = browser.post(url, {"body_name": "FCA", "body_type": "regulator", "power": 6})
    assert too_high.status_code == 200 and "Select a valid choice" in too_high.content.decode()
    no_type = browser.post(url, {"body_name": "FCA", "power": 3, "interest": 3})
    assert "Say what kind of body it is" in no_type.content.decode()
    added = browser.post(url, {"person": org.coordinator.pk, "power": "2", "interest": "4"})
    assert added.status_code == 302
    assert harbour_map.stakeholders.filter(person=org.coordinator).exists()


def test_editing_and_removing_a_stakeholder(book, harbour_map):
    browser = _browser(book.account_manager)
    stakeholder = harbour_map.stakeholders.get(contact=book.harbour_contact)
    edit = reverse("clients:stakeholder-edit", args=[stakeholder.pk])
    assert 'value="4" selected' in browser.get(edit).content.decode()
    changed = browser.post(
        edit, {"contact": book.harbour_contact.pk, "power": 1, "interest": 1, "wants": "Quiet"}
    )
    assert changed.status_code == 302
    stakeholder.refresh_from_db()
    assert (stakeholder.power, stakeholder.wants) == (1, "Quiet")
    removed = browser.post(reverse("clients:stakeholder-remove", args=[stakeholder.pk]))
    assert removed.status_code == 302
    assert not harbour_map.stakeholders.filter(pk=stakeholder.pk).exists()


def test_ask_answer_and_the_consensus_panel(book, harbour_map, org):
    agreeing = UserFactory.create(username="agree", role=Role.COORDINATOR, first_name="Ada")
    challenging = UserFactory.create(
        username="challenge", role=Role.EMPLOYEE, first_name="Cy", last_name=NASTY
    )
    waiting = UserFactory.create(username="wait", role=Role.EXECUTIVE, first_name="Wanda")
    owner = _browser(book.account_manager)
    ask = reverse("clients:map-ask", args=[harbour_map.pk])
    offered = owner.get(ask).content.decode()
    assert "Ann Mills (Account manager)" not in offered  # the owner is not offered
    assert "Ada" in offered and "Wanda" in offered
    asked = owner.post(
        ask,
        {
            "colleagues": [agreeing.pk, challenging.pk, waiting.pk],
            "agreement_share": 60,
            "note": "Please check",
        },
    )
    assert asked.status_code == 302
    reviews = {r.colleague_id: r for r in MapReview.objects.filter(version__map=harbour_map)}

    # A colleague who only reads nothing else of clients still opens the map they were asked on.
    challenger = _browser(challenging)
    review_url = reverse("clients:map-review", args=[reviews[challenging.pk].pk])
    page = challenger.get(review_url)
    assert page.status_code == 200 and "<script>alert" not in page.content.decode()
    assert challenger.get(reverse("clients:map", args=[harbour_map.pk])).status_code == 200
    empty = challenger.post(review_url, {"answer": "challenged", "comment": ""})
    assert "a challenge needs a comment" in empty.content.decode()
    challenger.post(review_url, {"answer": "challenged", "comment": "Add the <FCA>"})
    _browser(agreeing).post(
        reverse("clients:map-review", args=[reviews[agreeing.pk].pk]), {"answer": "agreed"}
    )
    harbour_map.refresh_from_db()
    assert harbour_map.status == MapStatus.IN_REVIEW  # 1 of 3 agreed; 2 needed

    panel = owner.get(reverse("clients:map", args=[harbour_map.pk])).content.decode()
    assert "1 of 2 needed agree (60%)" in panel
    assert "Ada" in panel and "Wanda" in panel and "Add the &lt;FCA&gt;" in panel
    assert "<script>alert" not in panel
    # Nobody else opens a colleague's request.
    other = _browser(waiting).get(review_url)
    assert other.status_code == 404


def test_sign_off_shows_on_the_map_and_the_history_keeps_versions(book, harbour_map, org):
    colleague = UserFactory.create(username="conf", role=Role.COORDINATOR)
    maps.ask_colleagues(
        acting_user=book.account_manager,
        stakeholder_map=harbour_map,
        colleagues=[colleague],
        agreement_share=100,
    )
    review = MapReview.objects.get(colleague=colleague)
    maps.answer_review(acting_user=colleague, review=review, answer=ReviewAnswer.AGREED)
    owner = _browser(book.account_manager)
    page = owner.get(reverse("clients:map", args=[harbour_map.pk])).content.decode()
    assert "Signed off" in page and "review by" in page
    maps.update_stakeholder(
        acting_user=book.account_manager,
        stakeholder=harbour_map.stakeholders.first(),
        interest=1,
    )
    history = owner.get(reverse("clients:map-history", args=[harbour_map.pk])).content.decode()
    assert "Version 1" in history and "signed off" in history
    assert "now at version 2 (draft)" in history
    assert "&lt;script&gt;" in history and "<script>alert" not in history


def test_the_own_map_opens_from_the_client_list_and_for_readers_only(book, org):
    coordinator = _browser(org.coordinator)
    page = coordinator.get(reverse("clients:own-map"))
    assert page.status_code == 200
    assert "Stakeholder map of Our organisation" in page.content.decode()
    assert reverse("clients:own-map") in coordinator.get(reverse("clients:list")).content.decode()
    assert _browser(org.employee_user).get(reverse("clients:own-map")).status_code == 403
    line_manager = _browser(org.claims_manager)
    assert line_manager.get(reverse("clients:own-map")).status_code == 200
    harbour = maps.get_client_map(acting_user=org.coordinator, client=book.harbour)
    assert line_manager.get(reverse("clients:map", args=[harbour.pk])).status_code == 404


def test_the_map_page_and_svg_take_the_same_queries_for_5_or_25_stakeholders(book, org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    stakeholder_map = maps.get_client_map(acting_user=book.account_manager, client=book.harbour)
    browser = _browser(book.account_manager)
    counts = []
    for total in (5, 25):
        while stakeholder_map.stakeholders.count() < total:
            n = stakeholder_map.stakeholders.count()
            person = UserFactory.create(username=f"p{n}", role=Role.EMPLOYEE)
            maps.add_stakeholder(
                acting_user=book.account_manager,
                stakeholder_map=stakeholder_map,
                person=person,
                power=1 + n % 5,
                interest=1 + (n * 3) % 5,
            )
        with CaptureQueriesContext(connection) as page:
            assert browser.get(reverse("clients:map", args=[stakeholder_map.pk])).status_code == 200
        with CaptureQueriesContext(connection) as svg:
            browser.get(reverse("clients:map-download", args=[stakeholder_map.pk]))
        counts.append((len(page), len(svg)))
    assert counts[0] == counts[1], counts
