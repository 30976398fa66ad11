"""Stakeholder map benchmark: the SVG of a map with 30 stakeholders (budget: p95 <= 100 ms).

Makes a client with 30 stakeholders on its map (10 contacts, 10 colleagues, 10 outside bodies,
spread over the four quadrants and the eight salience types) in a throwaway SQLite database,
var/bench/map.sqlite3, then times, over --renders renders each:

- the SVG download as a browser asks for it (GET .../download/?format=svg through Django's test
  client: log-in session, access check, the stakeholders' query, layout, template);
- the drawing alone (layout and SVG template over the loaded rows);
- the PNG (CairoSVG) and PDF (WeasyPrint) downloads, over --other renders (they are seconds'
  worth of work each, and have no budget of their own).

Prints a table with the median, p95 and max of each and exits 0.

    .venv/bin/python bench/bench_map.py [--renders 200] [--other 20] [--stakeholders 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = ROOT / "var" / "bench" / "map.sqlite3"
BUDGET_MS = 100.0


def setup_django() -> None:
    DATABASE.parent.mkdir(parents=True, exist_ok=True)
    DATABASE.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("MILEPOST_HOME", str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "milepost.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def make_map(count: int) -> tuple[int, object]:
    """A client owned by an account manager, with `count` stakeholders of all three kinds."""
    from milepost.accounts.models import Role, User
    from milepost.clients.models import Client, Contact, JourneyTemplate, Stakeholder
    from milepost.clients.services.maps import get_client_map

    owner = User.objects.create_user(
        username="owner", password="x", role=Role.ACCOUNT_MANAGER, first_name="Ann"
    )
    journey = JourneyTemplate.objects.get(is_default=True)
    client = Client.objects.create(
        kind="external", name="Harbour Brokers & Partners <Ltd>", owner=owner, journey=journey
    )
    stakeholder_map = get_client_map(acting_user=owner, client=client)
    for n in range(count):
        power, interest = 1 + (n * 3) % 5, 1 + (n * 7) % 5
        fields = {
            "map": stakeholder_map,
            "power": power,
            "interest": interest,
            "legitimate": n % 2 == 0,
            "urgent": n % 3 == 0,
            "wants": "Evidence that the training changes how claims are handled.",
            "engagement": "Quarterly review meeting and a monthly note.",
        }
        if n % 3 == 0:
            contact = Contact.objects.create(client=client, name=f"Contact {n} at Harbour")
            Stakeholder.objects.create(contact=contact, **fields)
        elif n % 3 == 1:
            person = User.objects.create_user(
                username=f"colleague{n}", password="x", first_name="Colleague", last_name=str(n)
            )
            Stakeholder.objects.create(person=person, **fields)
        else:
            Stakeholder.objects.create(
                body_name=f"Outside body number {n}", body_type="regulator", **fields
            )
    return stakeholder_map.pk, owner


def timings(action: Callable[[], object], count: int) -> list[float]:
    action()  # warm: templates compiled, libraries loaded
    spent = []
    for _ in range(count):
        start = time.perf_counter()
        action()
        spent.append((time.perf_counter() - start) * 1000)
    return spent


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=200)
    parser.add_argument("--other", type=int, default=20)
    parser.add_argument("--stakeholders", type=int, default=30)
    args = parser.parse_args()
    setup_django()
    from django.test import Client
    from django.urls import reverse

    from milepost.clients import map_drawing
    from milepost.clients.models import StakeholderMap
    from milepost.clients.selectors import maps as map_selectors

    map_id, owner = make_map(args.stakeholders)
    browser = Client()
    browser.force_login(owner)  # type: ignore[arg-type]
    url = reverse("clients:map-download", args=[map_id])

    def download(kind: str) -> Callable[[], object]:
        def get() -> object:
            response = browser.get(url, {"format": kind})
            assert response.status_code == 200, response.status_code
            return response.content

        return get

    stakeholder_map = StakeholderMap.objects.select_related("client").get(pk=map_id)
    rows = list(map_selectors.stakeholders_of(stakeholder_map))

    def drawing() -> object:
        return map_drawing.render_svg(map_drawing.map_picture(stakeholder_map, rows))

    results = [
        ("SVG download (request)", timings(download("svg"), args.renders), BUDGET_MS),
        ("SVG drawing alone", timings(drawing, args.renders), None),
        ("PNG download (request)", timings(download("png"), args.other), None),
        ("PDF download (request)", timings(download("pdf"), args.other), None),
    ]
    print(f"Stakeholder map with {args.stakeholders} stakeholders (SQLite)")
    print(f"{'measure':<26} {'renders':>7} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}  budget")
    for name, spent, budget in results:
        verdict = (
            ""
            if budget is None
            else f"{budget:.0f} ms: {'met' if p95(spent) <= budget else 'NOT met'}"
        )
        print(
            f"{name:<26} {len(spent):>7} {statistics.median(spent):>10.1f} {p95(spent):>8.1f} "
            f"{max(spent):>8.1f}  {verdict}"
        )


if __name__ == "__main__":
    main()
