"""Northwind Insurance Group's organisation chart and a deterministic plan of its people.

Plain Python, no Django: `plan_people(size=..., seed=...)` returns the same people, in the
same order, with the same names, for the same arguments, and every manager comes before
their reports (so the hierarchy cannot contain a cycle).
"""

from __future__ import annotations

import datetime
import random
import re
import unicodedata
from dataclasses import dataclass

from milepost.site.demo.profiles import PROFILES

ORGANISATION = "organisation"
BUSINESS_UNIT = "business_unit"
DEPARTMENT = "department"
TEAM = "team"

ROOT_CODE = "NW"
ORGANISATION_NAME = "Northwind Insurance Group"
EMAIL_DOMAIN = "northwind.example"
EMPLOYEE_ID_PREFIX = "NW"

# The team that always holds a claims handler, for the demo's employee login.
DEMO_EMPLOYEE_TEAM = "NW-CLM-MOT-HND-MAN"
DEMO_LINE_MANAGER_UNIT = "NW-CLM"

# Titles that match no job profile: a later feature maps free-text titles to profiles.
ODD_TITLES = (
    "Claims Ninja",
    "Customer Happiness Hero",
    "Data Wizard",
    "Spreadsheet Guru",
    "Insurance Evangelist",
    "Growth Hacker",
    "Chief Listening Officer",
    "Process Jedi",
)
ODD_TITLE_SHARE = 0.012
ALT_TITLE_SHARE = 0.15

# (first leader's title, further leaders' title) for a team's leader profile.
LEADER_TITLES = {
    "team-manager": ("Team Manager", "Team Leader"),
    "claims-team-leader": ("Claims Team Manager", "Claims Team Leader"),
}
# One leader for every this many people in a team.
SPAN_OF_CONTROL = 14


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    kind: str
    children: tuple[UnitSpec, ...] = ()
    # Leaf teams only: share of the staff and the job profile mix ("key:weight key:weight").
    weight: int = 0
    mix: str = ""
    leader_profile: str = ""
    leader_title: str = ""

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def mix_weights(self) -> list[tuple[str, int]]:
        pairs = []
        for item in self.mix.split():
            key, weight = item.split(":")
            pairs.append((key, int(weight)))
        return pairs


def _team(code: str, name: str, weight: int, mix: str, leader: str = "team-manager") -> UnitSpec:
    return UnitSpec(code, name, TEAM, weight=weight, mix=mix, leader_profile=leader)


def _team_group(code: str, name: str, title: str, *teams: UnitSpec) -> UnitSpec:
    return UnitSpec(
        code, name, TEAM, children=teams, leader_profile="claims-team-leader", leader_title=title
    )


def _department(code: str, name: str, *teams: UnitSpec) -> UnitSpec:
    return UnitSpec(
        code,
        name,
        DEPARTMENT,
        children=teams,
        leader_profile="head-of-department",
        leader_title=f"Head of {name}",
    )


def _business_unit(code: str, name: str, title: str, *departments: UnitSpec) -> UnitSpec:
    return UnitSpec(
        code,
        name,
        BUSINESS_UNIT,
        children=departments,
        leader_profile="director",
        leader_title=title,
    )


CLAIMS_MIX = "claims-handler:72 senior-claims-handler:24 claims-quality-analyst:4"
CONTACT_CENTRE_MIX = "customer-service-adviser:92 policy-administrator:5 complaints-handler:3"

ORGANISATION_CHART = UnitSpec(
    ROOT_CODE,
    ORGANISATION_NAME,
    ORGANISATION,
    leader_profile="director",
    leader_title="Group Chief Executive",
    children=(
        _business_unit(
            "NW-PL",
            "Personal Lines",
            "Managing Director, Personal Lines",
            _department(
                "NW-PL-MOT",
                "Motor",
                _team(
                    "NW-PL-MOT-PRD",
                    "Motor Product",
                    12,
                    "product-manager:60 data-analyst:25 underwriter:15",
                ),
                _team(
                    "NW-PL-MOT-DIG",
                    "Motor Digital Sales",
                    40,
                    "customer-service-adviser:80 policy-administrator:20",
                ),
            ),
            _department(
                "NW-PL-HOM",
                "Home",
                _team(
                    "NW-PL-HOM-PRD",
                    "Home Product",
                    10,
                    "product-manager:60 data-analyst:25 underwriter:15",
                ),
                _team(
                    "NW-PL-HOM-PAR",
                    "Home Partnerships",
                    12,
                    "account-manager:60 product-manager:20 customer-service-adviser:20",
                ),
            ),
            _department(
                "NW-PL-PET",
                "Pet and Travel",
                _team(
                    "NW-PL-PET-PRD",
                    "Pet and Travel Product",
                    12,
                    "product-manager:50 customer-service-adviser:30 data-analyst:20",
                ),
            ),
        ),
        _business_unit(
            "NW-CL",
            "Commercial Lines",
            "Managing Director, Commercial Lines",
            _department(
                "NW-CL-SME",
                "SME and Mid-Market",
                _team(
                    "NW-CL-SME-TRD",
                    "SME Trading",
                    30,
                    "underwriter:55 senior-underwriter:20 account-manager:25",
                ),
                _team(
                    "NW-CL-SME-MID",
                    "Mid-Market Trading",
                    20,
                    "underwriter:40 senior-underwriter:30 account-manager:30",
                ),
            ),
            _department(
                "NW-CL-BRK",
                "Broker Distribution",
                _team(
                    "NW-CL-BRK-N",
                    "Broker Relationships North",
                    12,
                    "broker-relationship-manager:70 account-manager:30",
                ),
                _team(
                    "NW-CL-BRK-S",
                    "Broker Relationships South",
                    12,
                    "broker-relationship-manager:70 account-manager:30",
                ),
            ),
            _department(
                "NW-CL-SPC",
                "Specialty",
                _team(
                    "NW-CL-SPC-CYB",
                    "Cyber and Professional Indemnity",
                    12,
                    "underwriter:45 senior-underwriter:40 data-analyst:15",
                ),
                _team(
                    "NW-CL-SPC-MAR", "Marine and Cargo", 8, "underwriter:55 senior-underwriter:45"
                ),
            ),
        ),
        _business_unit(
            "NW-CLM",
            "Claims",
            "Claims Director",
            _department(
                "NW-CLM-MOT",
                "Motor Claims",
                _team_group(
                    "NW-CLM-MOT-HND",
                    "Motor Claims Handling",
                    "Motor Claims Operations Manager",
                    _team(
                        "NW-CLM-MOT-HND-MAN",
                        "Motor Claims Manchester",
                        110,
                        CLAIMS_MIX,
                        "claims-team-leader",
                    ),
                    _team(
                        "NW-CLM-MOT-HND-BRS",
                        "Motor Claims Bristol",
                        90,
                        CLAIMS_MIX,
                        "claims-team-leader",
                    ),
                ),
                _team(
                    "NW-CLM-MOT-TLS",
                    "Total Loss and Salvage",
                    30,
                    "claims-handler:60 recoveries-specialist:25 senior-claims-handler:15",
                    "claims-team-leader",
                ),
            ),
            _department(
                "NW-CLM-PRP",
                "Property Claims",
                _team(
                    "NW-CLM-PRP-HND",
                    "Property Claims Handling",
                    90,
                    "claims-handler:55 senior-claims-handler:25 property-claims-specialist:20",
                    "claims-team-leader",
                ),
                _team(
                    "NW-CLM-PRP-MAJ",
                    "Major and Complex Loss",
                    20,
                    "property-claims-specialist:70 senior-claims-handler:30",
                    "claims-team-leader",
                ),
            ),
            _department(
                "NW-CLM-FRD",
                "Counter Fraud",
                _team(
                    "NW-CLM-FRD-CLM",
                    "Claims Fraud Unit",
                    25,
                    "fraud-investigator:80 data-analyst:20",
                ),
                _team(
                    "NW-CLM-FRD-APP",
                    "Application Fraud",
                    12,
                    "fraud-investigator:70 data-analyst:30",
                ),
            ),
            _department(
                "NW-CLM-QR",
                "Claims Quality and Recoveries",
                _team(
                    "NW-CLM-QR-REC",
                    "Recoveries",
                    25,
                    "recoveries-specialist:80 claims-handler:20",
                    "claims-team-leader",
                ),
                _team("NW-CLM-QR-QA", "Claims Quality Assurance", 12, "claims-quality-analyst:100"),
            ),
        ),
        _business_unit(
            "NW-UWP",
            "Underwriting and Pricing",
            "Chief Underwriting Officer",
            _department(
                "NW-UWP-UW",
                "Underwriting",
                _team(
                    "NW-UWP-UW-PL",
                    "Personal Lines Underwriting",
                    25,
                    "underwriter:70 senior-underwriter:30",
                ),
                _team(
                    "NW-UWP-UW-CL",
                    "Commercial Underwriting",
                    20,
                    "underwriter:55 senior-underwriter:45",
                ),
            ),
            _department(
                "NW-UWP-PA",
                "Pricing and Actuarial",
                _team(
                    "NW-UWP-PA-PRC", "Pricing Analytics", 30, "pricing-analyst:85 data-analyst:15"
                ),
                _team("NW-UWP-PA-RES", "Reserving", 12, "reserving-analyst:100"),
            ),
            _department(
                "NW-UWP-PTF",
                "Portfolio Management",
                _team(
                    "NW-UWP-PTF-PRF",
                    "Portfolio Performance",
                    10,
                    "senior-underwriter:50 pricing-analyst:30 data-analyst:20",
                ),
            ),
        ),
        _business_unit(
            "NW-CO",
            "Customer Operations",
            "Customer Operations Director",
            _department(
                "NW-CO-CC",
                "Contact Centre",
                _team("NW-CO-CC-LDS", "Inbound Service Leeds", 170, CONTACT_CENTRE_MIX),
                _team("NW-CO-CC-SUN", "Inbound Service Sunderland", 150, CONTACT_CENTRE_MIX),
                _team(
                    "NW-CO-CC-REN",
                    "Renewals and Retention",
                    80,
                    "customer-service-adviser:80 policy-administrator:20",
                ),
            ),
            _department(
                "NW-CO-CR",
                "Complaints and Customer Relations",
                _team(
                    "NW-CO-CR-CMP",
                    "Complaints Resolution",
                    60,
                    "complaints-handler:90 customer-service-adviser:10",
                ),
                _team(
                    "NW-CO-CR-VUL",
                    "Customer Relations and Vulnerability",
                    20,
                    "customer-service-adviser:60 complaints-handler:40",
                ),
            ),
            _department(
                "NW-CO-PA",
                "Policy Administration",
                _team(
                    "NW-CO-PA-MTA",
                    "Mid-term Adjustments",
                    50,
                    "policy-administrator:90 customer-service-adviser:10",
                ),
                _team("NW-CO-PA-DOC", "Documents and Payments", 30, "policy-administrator:100"),
            ),
        ),
        _business_unit(
            "NW-GF",
            "Group Functions",
            "Group Chief Operating Officer",
            _department(
                "NW-GF-FIN",
                "Finance",
                _team("NW-GF-FIN-REP", "Financial Reporting", 20, "finance-analyst:100"),
                _team(
                    "NW-GF-FIN-FPA",
                    "Financial Planning and Analysis",
                    15,
                    "finance-analyst:80 data-analyst:20",
                ),
            ),
            _department(
                "NW-GF-HR",
                "HR",
                _team("NW-GF-HR-BP", "HR Business Partnering", 10, "hr-business-partner:100"),
                _team("NW-GF-HR-LD", "Learning and Development", 10, "ld-coordinator:100"),
            ),
            _department(
                "NW-GF-IT",
                "IT",
                _team("NW-GF-IT-SD", "IT Service Desk", 35, "it-service-desk-analyst:100"),
                _team("NW-GF-IT-DA", "Data and Analytics", 30, "data-analyst:100"),
                _team(
                    "NW-GF-IT-INF",
                    "Infrastructure and Security",
                    30,
                    "platform-engineer:80 it-service-desk-analyst:20",
                ),
            ),
            _department(
                "NW-GF-RC",
                "Risk and Compliance",
                _team("NW-GF-RC-MON", "Compliance Monitoring", 15, "compliance-officer:100"),
                _team("NW-GF-RC-OPR", "Operational Risk", 10, "risk-analyst:100"),
                _team(
                    "NW-GF-RC-FC",
                    "Financial Crime",
                    12,
                    "compliance-officer:70 fraud-investigator:30",
                ),
            ),
        ),
    ),
)


def walk_units(
    unit: UnitSpec = ORGANISATION_CHART, parent_code: str | None = None
) -> list[tuple[UnitSpec, str | None]]:
    """Every unit in pre-order (parents first) with its parent's code."""
    rows = [(unit, parent_code)]
    for child in unit.children:
        rows.extend(walk_units(child, unit.code))
    return rows


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _names(
    "Aaliyah Aaron Abdul Abigail Adam Adebayo Aisha Alastair Alex Alice Amara Amelia Amir Amy "
    "Andrew Angela Anil Anna Arjun Ava Ayesha Barbara Ben Bethany Bilal Callum Carl Caroline "
    "Catherine Charlotte Chloe Chris Chidi Ciaran Claire Connor Craig Daniel Darren David Deborah "
    "Declan Deepak Dominika Duncan Eilidh Eleanor Elena Eliza Ellie Emeka Emily Emma Ewan Farah "
    "Fatima Fiona Freya Gareth Gemma George Grace Graham Hamza Hannah Harriet Harry Hassan Heather "
    "Helen Ian Imran Isabel Isla Jack Jacob Jade Jake James Jamal Jane Jasmine Jason Jennifer "
    "Jessica Joanne Joe Jonathan Joseph Joshua Julia Kamal Karen Karolina Katie Kayleigh Kelly "
    "Kerry Kieran Kirsty Kwame Laura Lauren Leah Leon Liam Lily Lisa Louise Lucy Luke Mandeep "
    "Marcus Maria Mark Martin Matthew Megan Michael Michelle Mohammed Molly Nadia Naomi Natalie "
    "Nathan Neil Nicola Niamh Noah Oliver Olivia Omar Owen Paul Peter Piotr Priya Rachel Rajesh "
    "Rebecca Rhys Richard Robert Rory Ruby Ryan Saanvi Sadia Sam Samuel Sandeep Sarah Scott Sean "
    "Shauna Simon Sinead Sophie Stephen Stuart Susan Tariq Thomas Tom Tomasz Uzma Victoria Wei "
    "William Yasmin Yusuf Zainab Zara Zoe"
)

LAST_NAMES = _names(
    "Adams Ahmed Ali Allen Anderson Armstrong Atkinson Bailey Baker Banerjee Barker Barnes Begum "
    "Bell Bennett Bibi Bond Bradley Brown Burns Butler Campbell Carter Chadwick Chapman Chen "
    "Clarke Cole Collins Cook Cooper Cox Davies Dawson Desai Dixon Doherty Edwards Ellis Evans "
    "Fernandes Fisher Fletcher Foster Fraser Gallagher Gill Gordon Graham Grant Gray Green Hall "
    "Hamilton Harris Harrison Hart Hughes Hunt Hussain Iqbal Jackson James Jenkins Johnson Jones "
    "Kaur Kelly Kennedy Khan King Knight Kowalski Lee Lewis Lloyd Macdonald Mahmood Marshall "
    "Martin Mason Matthews McCarthy McLean Miah Miller Mills Mitchell Moore Morgan Morris Murphy "
    "Murray Nguyen Nowak Obi Okafor O'Brien O'Connor Okoro Oliver Owen Palmer Parker Patel "
    "Pearson Phillips Powell Price Quinn Rahman Reid Reynolds Richards Roberts Robertson Robinson "
    "Rogers Ross Russell Ryan Saunders Scott Shah Sharma Shaw Simpson Singh Smith Stevens Stewart "
    "Sullivan Taylor Thomas Thompson Turner Walker Wallace Walsh Ward Watson Webb Wells White "
    "Wilkinson Williams Wilson Wood Wright Wu Yates Young Zhang"
)

PROFILE_BY_KEY = {profile.key: profile for profile in PROFILES}


@dataclass(frozen=True)
class PersonPlan:
    index: int
    employee_id: str
    first_name: str
    last_name: str
    email: str
    unit_code: str
    manager_index: int | None
    level: int
    job_title: str
    profile_key: str | None
    start_date: datetime.date


def leadership_positions() -> int:
    """How many people lead units that have units below them (always created)."""
    return sum(1 for unit, _ in walk_units() if not unit.is_leaf)


def minimum_size() -> int:
    return leadership_positions() + 2


def allocate(total: int, weights: list[int]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder), deterministically."""
    weight_sum = sum(weights)
    exact = [total * weight / weight_sum for weight in weights]
    shares = [int(value) for value in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


def _email_local_part(first: str, last: str) -> str:
    text = unicodedata.normalize("NFKD", f"{first}.{last}").encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z.]+", "", text.lower())


class _PeopleWriter:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.people: list[PersonPlan] = []
        self.emails: set[str] = set()

    def add(
        self,
        *,
        unit_code: str,
        manager: PersonPlan | None,
        job_title: str,
        profile_key: str | None,
        started: tuple[datetime.date, datetime.date],
    ) -> PersonPlan:
        rng = self.rng
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        local = _email_local_part(first, last)
        email, suffix = f"{local}@{EMAIL_DOMAIN}", 1
        while email in self.emails:
            suffix += 1
            email = f"{local}{suffix}@{EMAIL_DOMAIN}"
        self.emails.add(email)
        start, end = started
        index = len(self.people)
        person = PersonPlan(
            index=index,
            employee_id=f"{EMPLOYEE_ID_PREFIX}{index + 1:05d}",
            first_name=first,
            last_name=last,
            email=email,
            unit_code=unit_code,
            manager_index=manager.index if manager else None,
            level=manager.level + 1 if manager else 0,
            job_title=job_title,
            profile_key=profile_key,
            start_date=start + datetime.timedelta(days=rng.randrange((end - start).days + 1)),
        )
        self.people.append(person)
        return person

    def staff_title(self, profile_key: str) -> str:
        profile = PROFILE_BY_KEY[profile_key]
        if profile.alt_titles and self.rng.random() < ALT_TITLE_SHARE:
            return self.rng.choice(profile.alt_titles)
        return profile.title

    def staff_start_dates(self) -> tuple[datetime.date, datetime.date]:
        roll = self.rng.random()
        if roll < 0.07:  # joined since the 2025 review round
            return datetime.date(2025, 5, 1), datetime.date(2026, 9, 30)
        if roll < 0.17:  # long-serving
            return datetime.date(1994, 1, 1), datetime.date(2008, 12, 31)
        return datetime.date(2009, 1, 1), datetime.date(2025, 2, 28)


LEADER_START_DATES = {
    ORGANISATION: (datetime.date(2017, 6, 1), datetime.date(2017, 6, 1)),
    BUSINESS_UNIT: (datetime.date(2006, 1, 1), datetime.date(2021, 12, 31)),
    DEPARTMENT: (datetime.date(2004, 1, 1), datetime.date(2022, 12, 31)),
    TEAM: (datetime.date(2008, 1, 1), datetime.date(2023, 12, 31)),
}


def plan_people(*, size: int, seed: int) -> list[PersonPlan]:
    """The demo's employees in creation order; managers always come before their reports."""
    if size < minimum_size():
        raise ValueError(
            f"size {size} is too small: the demo needs at least {minimum_size()} employees "
            "to fill its leadership positions"
        )
    writer = _PeopleWriter(seed)
    units = walk_units()
    leaders: dict[str, PersonPlan] = {}
    for unit, parent_code in units:
        if unit.is_leaf:
            continue
        leaders[unit.code] = writer.add(
            unit_code=unit.code,
            manager=leaders[parent_code] if parent_code else None,
            job_title=unit.leader_title,
            profile_key=unit.leader_profile,
            started=LEADER_START_DATES[unit.kind],
        )

    teams = [(unit, parent_code) for unit, parent_code in units if unit.is_leaf]
    staff_budget = size - len(writer.people)
    # Two seats are kept for the team of the demo's employee login (a leader and a handler).
    headcounts = allocate(staff_budget - 2, [unit.weight for unit, _ in teams])
    for position, (unit, _) in enumerate(teams):
        if unit.code == DEMO_EMPLOYEE_TEAM:
            headcounts[position] += 2

    for (unit, parent_code), headcount in zip(teams, headcounts, strict=True):
        if headcount == 0:
            continue
        head = leaders[parent_code] if parent_code else None
        leader_count = min(headcount, max(1, round(headcount / SPAN_OF_CONTROL)))
        manager_title, leader_title = LEADER_TITLES[unit.leader_profile]
        team_manager = writer.add(
            unit_code=unit.code,
            manager=head,
            job_title=manager_title,
            profile_key=unit.leader_profile,
            started=LEADER_START_DATES[TEAM],
        )
        team_leaders = [team_manager] + [
            writer.add(
                unit_code=unit.code,
                manager=team_manager,
                job_title=leader_title,
                profile_key=unit.leader_profile,
                started=LEADER_START_DATES[TEAM],
            )
            for _ in range(leader_count - 1)
        ]
        mix = unit.mix_weights()
        keys, weights = [key for key, _ in mix], [weight for _, weight in mix]
        for number in range(headcount - leader_count):
            # The first member always has the team's main profile, so small builds keep it.
            if number == 0:
                key: str | None = keys[0]
            else:
                key = writer.rng.choices(keys, weights)[0]
            title = writer.staff_title(key) if key else ""
            if number > 0 and writer.rng.random() < ODD_TITLE_SHARE:
                key, title = None, writer.rng.choice(ODD_TITLES)
            writer.add(
                unit_code=unit.code,
                manager=team_leaders[number % len(team_leaders)],
                job_title=title,
                profile_key=key,
                started=writer.staff_start_dates(),
            )
    return writer.people
