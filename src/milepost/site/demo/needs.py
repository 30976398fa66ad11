"""The demo's needs: what Northwind's units asked L&D for over the last year.

Written through the needs services, so every demo need is embedded and mapped by the real
matching engine, and statuses, inbox messages and the training plan come from real triage.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from milepost.accounts.models import OrgUnit, User
from milepost.needs import services
from milepost.needs.models import Need, Source, Status, StatusChange

URGENCY = {"low": 1, "medium": 2, "high": 3, "critical": 4}


@dataclass(frozen=True)
class DemoNeed:
    title: str
    description: str
    business_issue: str
    unit: str
    requester: str  # a demo username
    people: int
    urgency: str
    impact: int
    days_ago: int
    source: str = Source.FORM
    requester_name: str = ""
    # Status path after submission, each with a note, applied by the coordinator.
    moves: tuple[tuple[str, str], ...] = ()
    theme: str = ""


ANGRY = "Difficult customer conversations"
DATA = "Spreadsheet and data skills"

NEEDS = [
    DemoNeed(
        "Angry callers after the policy wording change",
        "Our claims handlers struggle with angry callers since the new policy wording went "
        "live. Calls escalate, handlers freeze, and too many end in a formal complaint.",
        "Complaints about motor claims up 30% since April.",
        "NW-CLM-MOT-HND-MAN",
        "line.manager",
        38,
        "high",
        4,
        41,
        moves=((Status.TRIAGED, "We will run a de-escalation pilot with your team."),),
        theme=ANGRY,
    ),
    DemoNeed(
        "Calming upset customers on the phone",
        "New starters in Bristol need help calming upset customers on the phone and "
        "explaining what the policy covers without sounding scripted.",
        "First-contact resolution has dropped to 61%.",
        "NW-CLM-MOT-HND-BRS",
        "line.manager",
        22,
        "medium",
        3,
        35,
        theme=ANGRY,
    ),
    DemoNeed(
        "Handling abuse and distress in renewals calls",
        "Renewals agents face customers who are distressed or abusive about price rises. "
        "They need ways to de-escalate and to spot vulnerable customers.",
        "Consumer Duty outcome testing found poor support for customers in distress.",
        "NW-CO-CC-REN",
        "coordinator",
        45,
        "high",
        4,
        28,
        source=Source.SURVEY,
        requester_name="Renewals team survey, Q2",
        theme=ANGRY,
    ),
    DemoNeed(
        "Difficult conversations with bereaved customers",
        "Property claims handlers speak with bereaved and anxious customers after fires and "
        "floods and say they are not confident handling these difficult conversations.",
        "Customer effort score for major losses is the lowest in the group.",
        "NW-CLM-PRP-HND",
        "coordinator",
        30,
        "medium",
        4,
        20,
        source=Source.FOCUS_GROUP,
        requester_name="Property claims focus group",
        theme=ANGRY,
    ),
    DemoNeed(
        "Complaints deadlines missed",
        "We keep missing the FCA eight-week deadline for complaint final responses because "
        "handlers do not know the DISP rules well enough.",
        "Two regulatory breaches reported this year.",
        "NW-CO-CR-CMP",
        "coordinator",
        18,
        "critical",
        5,
        90,
        moves=((Status.TRIAGED, ""), (Status.PLANNED, "DISP refresher booked for June.")),
    ),
    DemoNeed(
        "Pivot tables for the finance team",
        "Analysts spend days copying numbers between spreadsheets. They need advanced Excel: "
        "pivot tables, lookups and building a simple model.",
        "Month-end close takes nine working days.",
        "NW-GF-FIN-FPA",
        "coordinator",
        12,
        "medium",
        3,
        150,
        source=Source.SURVEY,
        requester_name="Finance skills survey",
        theme=DATA,
        moves=((Status.TRIAGED, ""), (Status.PLANNED, ""), (Status.IN_DELIVERY, "")),
    ),
    DemoNeed(
        "Excel models in reserving",
        "The reserving team builds its triangles in fragile spreadsheets; people need better "
        "Excel modelling and to learn where Python would do better.",
        "Model risk finding from internal audit.",
        "NW-UWP-PA-RES",
        "coordinator",
        9,
        "medium",
        3,
        120,
        theme=DATA,
    ),
    DemoNeed(
        "Dashboards for team leaders",
        "Team leaders in the contact centre cannot read their performance dashboards and ask "
        "analysts for every number. They need data literacy and dashboard skills.",
        "Analyst time lost to ad hoc requests.",
        "NW-CO-CC-LDS",
        "coordinator",
        16,
        "low",
        2,
        75,
        source=Source.FOCUS_GROUP,
        requester_name="Team leader forum",
        theme=DATA,
    ),
    DemoNeed(
        "Cyber risk for small businesses",
        "Underwriters need to price cyber risks for small businesses and ask the right "
        "questions about security controls.",
        "Cyber is the fastest growing SME line and loss ratios are drifting.",
        "NW-CL-SPC-CYB",
        "coordinator",
        7,
        "high",
        4,
        60,
        moves=((Status.TRIAGED, "Talking to our cyber reinsurer about a course."),),
    ),
    DemoNeed(
        "Spotting fraud in motor claims",
        "Handlers miss early signs of staged accidents and exaggerated injury claims; they "
        "need fraud awareness refreshed with recent cases.",
        "Fraud detected at first notification fell by a fifth.",
        "NW-CLM-MOT-HND",
        "line.manager",
        60,
        "medium",
        4,
        110,
        moves=(
            (Status.TRIAGED, ""),
            (Status.PLANNED, ""),
            (Status.IN_DELIVERY, ""),
            (Status.DELIVERED, "Delivered to all four handling teams."),
        ),
    ),
    DemoNeed(
        "Negotiating with credit hire companies",
        "Our total loss team needs to negotiate better settlements with credit hire "
        "companies and challenge inflated hire periods.",
        "Credit hire costs up 18% year on year.",
        "NW-CLM-MOT-TLS",
        "line.manager",
        14,
        "medium",
        3,
        45,
    ),
    DemoNeed(
        "Coaching skills for new team leaders",
        "We promoted eight handlers to team leader; they need to coach their people and give "
        "honest feedback in one-to-ones.",
        "Attrition in the first year is 34%.",
        "NW-CLM-PRP",
        "line.manager",
        8,
        "medium",
        3,
        15,
    ),
    DemoNeed(
        "Using AI tools safely",
        "Staff paste customer details into public AI chat tools. People need guidance on "
        "responsible use of AI and on data protection.",
        "Data protection incident logged in March.",
        "NW-GF-IT-DA",
        "coordinator",
        200,
        "high",
        4,
        12,
        source=Source.CONSULTANCY,
        requester_name="Data protection review (external)",
    ),
    DemoNeed(
        "Claims handling for my own role",
        "I would like to learn how to handle more complex motor claims, including liability "
        "disputes, so I can move to the senior handler role.",
        "",
        "NW-CLM-MOT-HND-MAN",
        "employee",
        1,
        "low",
        2,
        9,
    ),
    DemoNeed(
        "Apprentice induction for our depot staff",
        "Our depot apprentices need an induction to insurance and to how claims are handled "
        "when our vehicles are involved in accidents.",
        "",
        "",
        "employer",
        6,
        "low",
        2,
        25,
        moves=((Status.DECLINED, "Outside our scope this year; we shared the public guide."),),
    ),
]


def load_demo_needs(*, today: datetime.date | None = None) -> int:
    """Raise every demo need as its requester, triage it as the coordinator; returns count."""
    users = {
        user.username: user
        for user in User.objects.filter(
            username__in={need.requester for need in NEEDS} | {"coordinator"}
        )
    }
    units = {unit.code: unit for unit in OrgUnit.objects.filter(code__startswith="NW")}
    coordinator = users["coordinator"]
    themes: dict[str, list[Need]] = {}
    now = timezone.now()
    for spec in NEEDS:
        need = services.submit_need(
            acting_user=users[spec.requester],
            title=spec.title,
            description=spec.description,
            business_issue=spec.business_issue,
            unit=units[spec.unit] if spec.unit else None,
            people_affected=spec.people,
            urgency=URGENCY[spec.urgency],
            impact=spec.impact,
            source=spec.source,
            requester_name=spec.requester_name,
        )
        raised = now - datetime.timedelta(days=spec.days_ago)
        Need.objects.filter(pk=need.pk).update(created_at=raised)
        StatusChange.objects.filter(need=need).update(changed_at=raised)
        for step, (status, note) in enumerate(spec.moves, start=1):
            change = services.change_status(
                acting_user=coordinator, need=need, status=status, note=note
            )
            moved = raised + datetime.timedelta(days=2 * step)
            StatusChange.objects.filter(pk=change.pk).update(changed_at=moved)
            if step == 1:
                Need.objects.filter(pk=need.pk).update(first_response_at=moved)
        if spec.theme:
            themes.setdefault(spec.theme, []).append(need)
    for title, members in themes.items():
        services.create_theme(acting_user=coordinator, title=title, needs=members)
    services.add_push_training(
        acting_user=coordinator, title="Annual anti-money-laundering refresher", note="Mandatory"
    )
    return len(NEEDS)
