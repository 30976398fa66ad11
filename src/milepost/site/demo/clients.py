"""The demo's clients: Northwind's six business units and Northwind Academy's outside customers.

Clients, contacts, owners, journeys, interactions and stakeholder maps are written through the
clients services, so owner history, stage history, versions, sign-off, inbox messages and health
come from the real rules; the story's dates are set afterwards. Satisfaction surveys are written as
rows (consistent with clients/models.py): their answers arrive by a one-time link, not a service
an acting user calls.
"""

from __future__ import annotations

import datetime
import hashlib
import random
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from milepost.accounts.models import OrgUnit, Role, User
from milepost.clients.models import (
    SURVEY_ITEMS,
    Client,
    Contact,
    Interaction,
    InteractionKind,
    JourneyStage,
    JourneyTemplate,
    Kind,
    MapStatus,
    MapVersion,
    OwnerChange,
    ReviewAnswer,
    SizeBand,
    StageChange,
    Stakeholder,
    StakeholderMap,
    SurveyInvitation,
    SurveyResponse,
)
from milepost.clients.selectors import client_of
from milepost.clients.services import clients as client_services
from milepost.clients.services import interactions as interaction_services
from milepost.clients.services import journey as journey_services
from milepost.clients.services import maps as map_services
from milepost.clients.services.health import refresh_health
from milepost.needs.models import Need
from milepost.people.models import Employee
from milepost.site.demo.organisation import ROOT_CODE, walk_units

INTERACTION_COUNT = 120
HISTORY_DAYS = 270  # interactions spread over the last nine months
ACADEMY = "Northwind Academy"  # the training function's name to outside customers


@dataclass(frozen=True)
class DemoContact:
    name: str
    job_title: str
    email: str = ""
    phone: str = ""
    marketing_consent: bool = False
    login: str = ""  # a demo username: the contact's portal login


@dataclass(frozen=True)
class DemoClient:
    key: str
    name: str
    owner: str  # the first owner (a demo username, or "" for none); see owner_history
    stage: int  # position reached in the default journey (1-6)
    age_days: int  # how long ago it became a client
    unit: str = ""  # an organisation unit code: a business unit (internal client)
    sector: str = ""
    size_band: str = ""
    address: str = ""
    website: str = ""
    notes: str = ""
    contacts: tuple[DemoContact, ...] = ()
    weight: int = 3  # share of the interactions
    # (username or "", reason, days ago): later owners, oldest first.
    owner_history: tuple[tuple[str, str, int], ...] = ()


# Internal clients: their contacts are the business units' own leaders (found in the database).
INTERNAL = (
    DemoClient("pl", "Personal Lines", "account.manager", 6, 420, unit="NW-PL", weight=5),
    DemoClient("cl", "Commercial Lines", "account.manager", 4, 400, unit="NW-CL", weight=4),
    DemoClient(
        "clm",
        "Claims",
        "account.manager",
        5,
        420,
        unit="NW-CLM",
        weight=6,
        notes="Our largest internal client: complaints and customer-vulnerability pressure.",
    ),
    DemoClient(
        "uwp", "Underwriting and Pricing", "account.manager", 3, 300, unit="NW-UWP", weight=3
    ),
    DemoClient("co", "Customer Operations", "account.manager", 5, 380, unit="NW-CO", weight=5),
    DemoClient("gf", "Group Functions", "coordinator", 2, 200, unit="NW-GF", weight=2),
)

EXTERNAL = (
    DemoClient(
        "harbour",
        "Harbour Logistics Ltd",
        "account.manager",
        5,
        360,
        sector="Logistics",
        size_band=SizeBand.LARGE,
        address="Unit 4, Quayside Park\nFelixstowe IP11 3TX",
        website="https://www.harbour-logistics.example",
        notes="Fleet insurance customer since 2019; training is part of the fleet-risk deal.",
        contacts=(
            DemoContact(
                "Priya Nair",
                "Head of People and Development",
                "employer@harbour-logistics.example",
                "01394 555 210",
                True,
                login="employer",
            ),
            DemoContact(
                "Tom Whitaker",
                "Fleet Operations Director",
                "tom.whitaker@harbour-logistics.example",
                "01394 555 201",
            ),
            DemoContact(
                "Grace Obi",
                "Depot Manager, Felixstowe",
                "grace.obi@harbour-logistics.example",
                "",
                True,
            ),
        ),
        weight=6,
        owner_history=(
            ("account.manager2", "Ellis takes the partner employers as they join the team.", 240),
        ),
    ),
    DemoClient(
        "ashdown",
        "Ashdown & Pryce Insurance Brokers",
        "account.manager2",
        6,
        400,
        sector="Insurance broking",
        size_band=SizeBand.MEDIUM,
        address="12 Castle Street\nLewes BN7 1AA",
        website="https://www.ashdownpryce.example",
        contacts=(
            DemoContact(
                "Helen Pryce",
                "Managing Partner",
                "helen.pryce@ashdownpryce.example",
                "01273 555 400",
                True,
            ),
            DemoContact(
                "Marcus Bell",
                "Compliance Officer",
                "marcus.bell@ashdownpryce.example",
                "01273 555 411",
            ),
        ),
        weight=4,
    ),
    DemoClient(
        "meridian",
        "Meridian Risk Partners",
        "account.manager",
        3,
        210,
        sector="Insurance broking",
        size_band=SizeBand.MEDIUM,
        address="3rd floor, 40 Colmore Row\nBirmingham B3 2BJ",
        website="https://www.meridianrisk.example",
        notes="Commercial broker; wants CII exam support for its account executives.",
        contacts=(
            DemoContact(
                "Daniel Osei",
                "Chief Operating Officer",
                "daniel.osei@meridianrisk.example",
                "0121 555 0190",
            ),
            DemoContact(
                "Laura Finch",
                "Learning and Development Manager",
                "laura.finch@meridianrisk.example",
                "0121 555 0194",
                True,
            ),
        ),
        weight=4,
    ),
    DemoClient(
        "kestrel",
        "Kestrel Fleet Services",
        "account.manager2",
        4,
        300,
        sector="Vehicle leasing",
        size_band=SizeBand.LARGE,
        address="Kestrel House, Aston Way\nLeyland PR26 7TZ",
        website="https://www.kestrelfleet.example",
        contacts=(
            DemoContact(
                "Sofia Marin",
                "HR Business Partner",
                "sofia.marin@kestrelfleet.example",
                "01772 555 620",
            ),
            DemoContact(
                "Raj Patel",
                "Accident Management Lead",
                "raj.patel@kestrelfleet.example",
                "01772 555 633",
            ),
        ),
        weight=3,
    ),
    DemoClient(
        "brightwater",
        "Brightwater Housing Association",
        "coordinator",
        5,
        330,
        sector="Social housing",
        size_band=SizeBand.LARGE,
        address="1 Riverside Walk\nNorwich NR1 1SQ",
        website="https://www.brightwater-housing.example",
        notes="Property insurance customer; satisfaction fell after the spring course moved.",
        contacts=(
            DemoContact(
                "Angela Moore",
                "Director of Housing Services",
                "angela.moore@brightwater-housing.example",
                "01603 555 700",
            ),
            DemoContact(
                "Ben Carter",
                "Training Officer",
                "ben.carter@brightwater-housing.example",
                "01603 555 712",
                True,
            ),
        ),
        weight=3,
    ),
    DemoClient(
        "oakridge",
        "Oakridge Care Group",
        "account.manager",
        6,
        390,
        sector="Health and social care",
        size_band=SizeBand.ENTERPRISE,
        address="Oakridge Court, Station Road\nHarrogate HG1 1TT",
        website="https://www.oakridgecare.example",
        contacts=(
            DemoContact(
                "Fiona Grant",
                "Group Risk Manager",
                "fiona.grant@oakridgecare.example",
                "01423 555 300",
            ),
            DemoContact(
                "Joseph Adeyemi",
                "Head of Learning",
                "joseph.adeyemi@oakridgecare.example",
                "01423 555 322",
                True,
            ),
            DemoContact(
                "Chloe Evans",
                "Registered Manager, Ripon",
                "chloe.evans@oakridgecare.example",
            ),
        ),
        weight=4,
    ),
    # Two clients nobody owns, so the gaps show on the client list and the coordinator's home.
    DemoClient(
        "fenwick",
        "Fenwick Lloyd Brokers LLP",
        "account.manager",
        2,
        230,
        sector="Insurance broking",
        size_band=SizeBand.SMALL,
        address="8 Grey Street\nNewcastle upon Tyne NE1 6AE",
        website="https://www.fenwicklloyd.example",
        contacts=(
            DemoContact(
                "Oliver Lloyd",
                "Senior Partner",
                "oliver.lloyd@fenwicklloyd.example",
                "0191 555 0800",
            ),
        ),
        weight=2,
        owner_history=(
            (
                "",
                "Jordan moved to the business units; to be handed to another account manager.",
                75,
            ),
        ),
    ),
    DemoClient(
        "sable",
        "Sable Street Mutual Brokers",
        "",
        1,
        140,
        sector="Insurance broking",
        size_band=SizeBand.MICRO,
        address="22 Sable Street\nExeter EX1 1HB",
        contacts=(
            DemoContact(
                "Nadia Rahman",
                "Principal",
                "nadia@sablestreet.example",
                "01392 555 090",
                True,
            ),
        ),
        weight=1,
    ),
)

CLIENTS = INTERNAL + EXTERNAL
EXTERNAL_NAMES = tuple(spec.name for spec in EXTERNAL)

# The one juncture nobody owns, on purpose: Meridian's delivery stage waits for a coordinator.
UNOWNED_JUNCTURE = ("meridian", 4)

# --- interactions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StoryInteraction:
    """A hand-written interaction, linked to the demo needs it raised or followed up."""

    client: str
    kind: str
    days_ago: int
    summary: str
    internal_only: bool = False
    next_step: str = ""
    due_in_days: int = 0  # from the interaction; overdue if it falls before today and not done
    done: bool = True
    needs: tuple[str, ...] = ()  # demo need titles


STORY = (
    StoryInteraction(
        "clm",
        InteractionKind.MEETING,
        44,
        "Quarterly meeting with the Claims Director: complaints about motor claims are up 30% "
        "since the policy wording change; handlers freeze on angry calls.",
        next_step="Send a de-escalation pilot outline for the Manchester team",
        due_in_days=10,
        needs=("Angry callers after the policy wording change",),
    ),
    StoryInteraction(
        "clm",
        InteractionKind.CONSULTANCY,
        40,
        "Performance analysis with the Claims Director: listened to twenty recorded calls and "
        "walked the new policy wording through with two team leaders.",
        internal_only=True,
    ),
    StoryInteraction(
        "clm",
        InteractionKind.FOCUS_GROUP,
        21,
        "Focus group with eight property claims handlers on calls with bereaved and anxious "
        "customers after fires and floods.",
        next_step="Share the focus group notes with the Head of Property Claims",
        due_in_days=5,
        needs=("Difficult conversations with bereaved customers",),
    ),
    StoryInteraction(
        "clm",
        InteractionKind.CALL,
        112,
        "Call with the motor handling managers: fraud detected at first notification fell by a "
        "fifth; agreed a refresher with recent staged-accident cases.",
        needs=("Spotting fraud in motor claims",),
    ),
    StoryInteraction(
        "co",
        InteractionKind.MEETING,
        92,
        "Complaints team: two DISP breaches this year; the eight-week final response deadline "
        "is missed when cases are handed over.",
        next_step="Book the DISP refresher for June",
        due_in_days=14,
        needs=("Complaints deadlines missed",),
    ),
    StoryInteraction(
        "co",
        InteractionKind.CONSULTANCY,
        29,
        "Consultancy session on the renewals survey: Consumer Duty outcome testing found poor "
        "support for customers in distress.",
        internal_only=True,
        next_step="Draft a vulnerable-customer module brief with Compliance",
        due_in_days=14,
        done=False,
        needs=("Handling abuse and distress in renewals calls",),
    ),
    StoryInteraction(
        "gf",
        InteractionKind.MEETING,
        152,
        "Finance month-end review: analysts copy numbers between spreadsheets for days; pivot "
        "tables and lookups would cut the close.",
        needs=("Pivot tables for the finance team",),
    ),
    StoryInteraction(
        "gf",
        InteractionKind.CONSULTANCY,
        13,
        "Data protection review debrief: staff paste customer details into public AI tools.",
        internal_only=True,
        next_step="Agree the responsible-AI guidance with the DPO",
        due_in_days=21,
        done=False,
        needs=("Using AI tools safely",),
    ),
    StoryInteraction(
        "cl",
        InteractionKind.CALL,
        61,
        "Call with the specialty underwriting lead: cyber is the fastest growing SME line and "
        "loss ratios drift; underwriters need better questions on security controls.",
        next_step="Ask our cyber reinsurer for a course outline",
        due_in_days=14,
        done=False,
        needs=("Cyber risk for small businesses",),
    ),
    StoryInteraction(
        "uwp",
        InteractionKind.MEETING,
        121,
        "Reserving team: model risk finding from internal audit on spreadsheet triangles.",
        needs=("Excel models in reserving",),
    ),
    StoryInteraction(
        "harbour",
        InteractionKind.VISIT,
        27,
        "Visit to the Felixstowe depot with Priya and Grace: apprentices need an insurance "
        "induction and what to do when a vehicle is in an accident.",
        next_step="Send Priya the public accident-reporting guide",
        due_in_days=3,
        needs=("Apprentice induction for our depot staff",),
    ),
    StoryInteraction(
        "harbour",
        InteractionKind.MEETING,
        9,
        "Service review with Priya and Tom: drivers rate the defensive-driving day highly; they "
        "want it for the Southampton depot next year.",
        next_step="Send a proposal for the Southampton depot",
        due_in_days=20,
        done=False,
    ),
    StoryInteraction(
        "harbour",
        InteractionKind.EMAIL,
        16,
        "Internal note: Harbour's fleet renewal is in March; keep the training offer tied to it.",
        internal_only=True,
    ),
    StoryInteraction(
        "brightwater",
        InteractionKind.CALL,
        38,
        "Angela is unhappy that the spring damp-and-mould course moved twice; satisfaction "
        "dropped in the second survey.",
        next_step="Offer Brightwater a make-up session date",
        due_in_days=7,
        done=False,
    ),
    StoryInteraction(
        "meridian",
        InteractionKind.MEETING,
        47,
        "Proposal meeting with Daniel and Laura: CII exam support for twelve account executives.",
        next_step="Send the CII study-support proposal",
        due_in_days=12,
        done=False,
    ),
    StoryInteraction(
        "sable",
        InteractionKind.CALL,
        135,
        "First call with Nadia: a three-person brokerage interested in our open courses.",
        next_step="Send the open-course calendar",
        due_in_days=7,
        done=False,
    ),
)

FILLER_KINDS = (
    (InteractionKind.MEETING, 5),
    (InteractionKind.CALL, 6),
    (InteractionKind.EMAIL, 6),
    (InteractionKind.VISIT, 2),
    (InteractionKind.FOCUS_GROUP, 1),
    (InteractionKind.CONSULTANCY, 2),
)
FILLER_TOPICS = {
    InteractionKind.MEETING: (
        "Quarterly relationship meeting: reviewed attendance and what is planned next",
        "Planning meeting for next quarter's courses and who will attend",
        "Met the new operations lead and walked through how we work together",
    ),
    InteractionKind.CALL: (
        "Call about the dates for the next cohort",
        "Call to check how last month's course landed with the team",
        "Call about two learners who missed the assessment day",
    ),
    InteractionKind.EMAIL: (
        "Sent the attendance and completion report for the quarter",
        "Sent joining instructions and the pre-course reading",
        "Answered a question about the certificate and CPD hours",
    ),
    InteractionKind.VISIT: (
        "Site visit: sat in with the team to see the work the training is for",
        "Visited to present the evaluation results to the management team",
    ),
    InteractionKind.FOCUS_GROUP: (
        "Focus group with front-line staff on what gets in the way of applying the training",
    ),
    InteractionKind.CONSULTANCY: (
        "Consultancy session on the skills the new operating model needs",
        "Helped the managers turn their business issues into measurable outcomes",
    ),
}
FILLER_INTERNAL = (
    "Internal: budget for this client is tight until the new financial year",
    "Internal: the sponsor is leaving in the spring; build a second relationship",
    "Internal: agreed internally to hold prices for this client for one more year",
)
FILLER_STEPS = (
    "Send the updated course dates",
    "Confirm the trainer for the next cohort",
    "Share the evaluation summary",
    "Book the follow-up meeting",
    "Send a quote for the extra places",
)
OVERDUE_FILLERS = 1  # filler next steps left open past their date, beside the story's own

# --- stakeholder maps -----------------------------------------------------------------------


@dataclass(frozen=True)
class DemoStakeholder:
    power: int
    interest: int
    legitimate: bool
    urgent: bool
    wants: str
    engagement: str
    urgent_from_version: int = 0  # urgent only from this version of the map on
    login: str = ""  # an internal person: a demo username
    contact: str = ""  # a client contact's name
    body_name: str = ""
    body_type: str = ""
    shared_with_client: bool = False


@dataclass(frozen=True)
class DemoReview:
    login: str
    answer: str
    comment: str = ""


@dataclass(frozen=True)
class DemoMap:
    client: str  # a DemoClient key, or "" for the training function's own map
    owner: str
    stakeholders: tuple[DemoStakeholder, ...]
    # Each version: (days ago it was put to colleagues, note, reviews, signed off).
    versions: tuple[tuple[int, str, tuple[DemoReview, ...], bool], ...] = ()
    agreement_share: int = 60


AGREE = ReviewAnswer.AGREED
OWN_MAP = DemoMap(
    "",
    "coordinator",
    (
        DemoStakeholder(
            5,
            4,
            True,
            False,
            "Training that moves the group's complaint and retention figures.",
            "Quarterly L&D report to the executive committee.",
            login="executive",
        ),
        DemoStakeholder(
            4,
            5,
            True,
            True,
            "Handlers confident with vulnerable and angry customers, quickly.",
            "Monthly meeting; co-designs the pilots.",
            login="line.manager",
        ),
        DemoStakeholder(
            5,
            3,
            True,
            True,
            "Evidence that staff are competent for regulated activities (SM&CR, Consumer Duty).",
            "Competence records ready for supervisory visits.",
            body_name="Financial Conduct Authority",
            body_type="regulator",
            urgent_from_version=2,
        ),
        DemoStakeholder(
            3,
            4,
            True,
            False,
            "Candidates entered on time and supported to pass.",
            "Centre meetings twice a year; exam results shared.",
            body_name="Chartered Insurance Institute",
            body_type="awarding_body",
        ),
        DemoStakeholder(
            2,
            4,
            True,
            False,
            "Apprenticeship levy spent on approved standards.",
            "Levy report each quarter.",
            body_name="Skills England",
            body_type="funding_agency",
        ),
        DemoStakeholder(
            2,
            2,
            False,
            False,
            "Members' views on sector skills gaps.",
            "Annual sector skills survey.",
            body_name="Insurance Skills Council",
            body_type="sector_council",
        ),
    ),
    versions=(
        (
            230,
            "First map of our principal stakeholders.",
            (
                DemoReview("account.manager", AGREE),
                DemoReview("quality.lead", AGREE),
                DemoReview("executive", ReviewAnswer.PENDING),  # signed off before they answered
            ),
            True,
        ),
        (
            60,
            "The regulator moves to urgent after the Consumer Duty review.",
            (
                # Answered in this order: the challenge, then agreements up to the share.
                DemoReview(
                    "executive",
                    ReviewAnswer.CHALLENGED,
                    "The Skills Council has more pull than a 2 on power since the levy reform.",
                ),
                DemoReview("account.manager", AGREE),
                DemoReview("account.manager2", AGREE),
                DemoReview("quality.lead", AGREE),
            ),
            True,
        ),
    ),
)
HARBOUR_MAP = DemoMap(
    "harbour",
    "account.manager2",
    (
        DemoStakeholder(
            4,
            5,
            True,
            True,
            "Apprentices and drivers trained before the fleet renewal.",
            "Monthly call; service review twice a year.",
            contact="Priya Nair",
            shared_with_client=True,
        ),
        DemoStakeholder(
            5,
            3,
            True,
            False,
            "Fewer accidents and lower fleet premiums.",
            "Joins the service review; fleet-risk figures each quarter.",
            contact="Tom Whitaker",
            shared_with_client=True,
        ),
        DemoStakeholder(
            2,
            4,
            True,
            False,
            "Courses that fit around depot shifts.",
            "Depot visits; course dates agreed with her.",
            contact="Grace Obi",
            shared_with_client=True,
        ),
        DemoStakeholder(
            3,
            2,
            True,
            False,
            "Driver CPC hours recorded.",
            "Certificates sent after each course.",
            body_name="Freight and Logistics Skills Council",
            body_type="sector_council",
        ),
    ),
    versions=(
        (
            120,
            "Agreed with Priya at the first service review.",
            (
                DemoReview("coordinator", AGREE),
                DemoReview("account.manager", AGREE),
            ),
            True,
        ),
    ),
)
MERIDIAN_MAP = DemoMap(
    "meridian",
    "account.manager",
    (
        DemoStakeholder(
            5,
            3,
            True,
            False,
            "CII passes without losing billable time.",
            "Meets us at each proposal stage.",
            contact="Daniel Osei",
        ),
        DemoStakeholder(
            3,
            5,
            True,
            True,
            "Exam support for twelve account executives before the spring sitting.",
            "Weekly email while the proposal is open.",
            contact="Laura Finch",
        ),
        DemoStakeholder(
            3,
            3,
            True,
            False,
            "Candidates entered on time.",
            "Exam entries through our centre.",
            body_name="Chartered Insurance Institute",
            body_type="awarding_body",
        ),
    ),
    versions=(
        (
            6,
            "First draft after the proposal meeting.",
            (
                DemoReview("coordinator", AGREE),
                DemoReview("account.manager2", ReviewAnswer.PENDING),
                DemoReview(
                    "quality.lead",
                    ReviewAnswer.CHALLENGED,
                    "Laura holds the budget as well as the brief: her power is nearer 4 than 3.",
                ),
                DemoReview("executive", ReviewAnswer.PENDING),
            ),
            False,
        ),
    ),
)
MAPS = (OWN_MAP, HARBOUR_MAP, MERIDIAN_MAP)

# --- satisfaction surveys -------------------------------------------------------------------

# Client key -> likelihood to recommend (0-10) in the first and second rounds, per contact in turn.
SURVEYS: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {
    "harbour": ((8, 7), (9, 9, 8)),
    "ashdown": ((9,), (9, 10)),
    "brightwater": ((7, 6), (4,)),
    "oakridge": ((7, 8, 6), (8, 9)),
    "clm": ((8,), (7,)),
}
SURVEY_ROUNDS_DAYS_AGO = (200, 30)
SURVEY_COMMENTS = (
    "",
    "The trainer knew our business and it showed.",
    "Dates moved too often this time.",
    "Good value; we would like more places next year.",
    "",
)


@dataclass(frozen=True)
class DemoClientCounts:
    internal: int
    external: int
    unowned: int
    contacts: int
    interactions: int
    maps_signed_off: int
    maps_waiting: int
    survey_responses: int
    needs_linked: int


def _days_ago(now: datetime.datetime, days: float) -> datetime.datetime:
    return now - datetime.timedelta(days=days)


def load_demo_clients(*, seed: int, now: datetime.datetime | None = None) -> DemoClientCounts:
    """Write the demo's clients and everything around them; returns what was written."""
    now = now or timezone.now()
    rng = random.Random(seed)
    users = {
        user.username: user
        for user in User.objects.filter(
            username__in=[
                "coordinator",
                "account.manager",
                "account.manager2",
                "employer",
                "executive",
                "line.manager",
                "quality.lead",
            ]
        ).select_related("employee")
    }
    coordinator = users["coordinator"]
    journey = JourneyTemplate.objects.get(is_default=True)
    stages = list(journey.stages.order_by("position"))
    clients = _write_clients(users, coordinator, journey, now)
    _write_journeys(clients, stages, users, coordinator, now)
    needs_linked = _link_needs(clients)
    interactions = _write_interactions(clients, users, coordinator, now, rng)
    needs_linked += _link_story_needs(clients, interactions)
    signed, waiting = _write_maps(clients, users, now)
    responses = _write_surveys(clients, users, now, rng)
    refresh_health()
    return DemoClientCounts(
        internal=len(INTERNAL),
        external=len(EXTERNAL),
        unowned=sum(1 for c in clients.values() if c.owner_id is None),
        contacts=Contact.objects.filter(client__in=clients.values()).count(),
        interactions=Interaction.objects.filter(client__in=clients.values()).count(),
        maps_signed_off=signed,
        maps_waiting=waiting,
        survey_responses=responses,
        needs_linked=needs_linked,
    )


def _write_clients(
    users: dict[str, User],
    coordinator: User,
    journey: JourneyTemplate,
    now: datetime.datetime,
) -> dict[str, Client]:
    codes = [spec.unit for spec in INTERNAL]
    units = {unit.code: unit for unit in OrgUnit.objects.filter(code__in=codes)}
    clients: dict[str, Client] = {}
    for spec in CLIENTS:
        unit = units[spec.unit] if spec.unit else None
        client = client_services.create_client(
            acting_user=coordinator,
            kind=Kind.INTERNAL if unit else Kind.EXTERNAL,
            name=spec.name,
            unit=unit,
            sector=spec.sector or ("Insurance" if unit else ""),
            size_band=spec.size_band,
            address=spec.address,
            website=spec.website,
            notes=spec.notes,
            owner=users[spec.owner] if spec.owner else None,
            journey=journey,
        )
        joined = _days_ago(now, spec.age_days)
        Client.objects.filter(pk=client.pk).update(created_at=joined)
        OwnerChange.objects.filter(client=client).update(changed_at=joined)
        for username, reason, days_ago in spec.owner_history:
            change = client_services.change_owner(
                acting_user=coordinator,
                client=client,
                owner=users[username] if username else None,
                reason=reason,
            )
            OwnerChange.objects.filter(pk=change.pk).update(changed_at=_days_ago(now, days_ago))
        for contact in spec.contacts or _leaders_of(unit):
            client_services.add_contact(
                acting_user=coordinator,
                client=client,
                name=contact.name,
                job_title=contact.job_title,
                email=contact.email,
                phone=contact.phone,
                marketing_consent=contact.marketing_consent,
                user=users[contact.login] if contact.login else None,
            )
        clients[spec.key] = client
    return clients


def _leaders_of(unit: OrgUnit | None) -> tuple[DemoContact, ...]:
    """A business unit's contacts: its director and the heads of its departments."""
    if unit is None:
        return ()
    leaders = Employee.objects.filter(
        Q(unit=unit, job_title__in=_unit_titles(unit))
        | Q(unit__parent=unit, job_title__startswith="Head of")
    ).order_by("unit__depth", "employee_id")[:3]
    return tuple(
        DemoContact(f"{person.first_name} {person.last_name}", person.job_title, person.email)
        for person in leaders
    )


def _unit_titles(unit: OrgUnit) -> list[str]:
    return [spec.leader_title for spec, _ in walk_units() if spec.code == unit.code]


def _write_journeys(
    clients: dict[str, Client],
    stages: list[JourneyStage],
    users: dict[str, User],
    coordinator: User,
    now: datetime.datetime,
) -> None:
    """Move each client along its journey with dated history and name who is responsible at
    every stage: the owner where an account manager usually is, the coordinator for delivery."""
    account_managers = [users["account.manager"], users["account.manager2"]]
    for index, spec in enumerate(CLIENTS):
        client = clients[spec.key]
        client.refresh_from_db()
        actor = client.owner or coordinator
        step_days = spec.age_days / (spec.stage + 0.5)
        for position in range(2, spec.stage + 1):
            change = journey_services.move_to_stage(
                acting_user=actor,
                client=client,
                stage=stages[position - 1],
                note="Exit criteria met." if position % 2 else "",
            )
            moved = _days_ago(now, spec.age_days - step_days * (position - 1))
            StageChange.objects.filter(pk=change.pk).update(changed_at=moved)
        for stage in stages:
            if (spec.key, stage.position) == UNOWNED_JUNCTURE:
                responsible = None
            elif stage.usual_role == Role.COORDINATOR:
                responsible = coordinator
            else:
                responsible = client.owner or account_managers[index % 2]
            journey_services.set_responsible(
                acting_user=actor, client=client, stage=stage, responsible=responsible
            )


def _link_needs(clients: dict[str, Client]) -> int:
    """Demo needs raised in a business unit or by the employer contact belong to that client."""
    demo_clients = {client.pk: client for client in clients.values()}
    linked = 0
    for need in Need.objects.filter(client__isnull=True).select_related("requester", "unit"):
        unit_path = need.unit.path if need.unit else None
        client = client_of(requester=need.requester, unit_path=unit_path)
        if client is not None and client.pk in demo_clients:
            Need.objects.filter(pk=need.pk).update(client=client)
            linked += 1
    return linked


def _write_interactions(
    clients: dict[str, Client],
    users: dict[str, User],
    coordinator: User,
    now: datetime.datetime,
    rng: random.Random,
) -> dict[StoryInteraction, Interaction]:
    """The story's interactions, then filler up to INTERACTION_COUNT spread over nine months."""
    today = timezone.localdate(now)
    contacts = {key: list(client.contacts.order_by("pk")) for key, client in clients.items()}

    def record(
        key: str,
        kind: str,
        days_ago: float,
        summary: str,
        *,
        internal_only: bool,
        next_step: str,
        due_in_days: int,
        done: bool,
    ) -> Interaction:
        client = clients[key]
        client.refresh_from_db(fields=["owner", "last_contact_at"])
        actor = client.owner or coordinator
        occurred = _days_ago(now, days_ago)
        due = timezone.localdate(occurred) + datetime.timedelta(days=due_in_days)
        people = contacts[key][: 1 + int(days_ago) % 2]
        interaction = interaction_services.record_interaction(
            acting_user=actor,
            client=client,
            kind=kind,
            occurred_at=occurred,
            summary=summary,
            internal_only=internal_only,
            contacts=people,
            colleagues=[coordinator] if actor != coordinator and kind == "focus_group" else [],
            next_step=next_step,
            next_step_owner=actor if next_step else None,
            next_step_due=due if next_step else None,
        )
        Interaction.objects.filter(pk=interaction.pk).update(created_at=occurred)
        if next_step and done and due < today:
            Interaction.objects.filter(pk=interaction.pk).update(
                next_step_done_at=datetime.datetime.combine(
                    due - datetime.timedelta(days=1), datetime.time(16), tzinfo=datetime.UTC
                )
            )
        return interaction

    written: dict[StoryInteraction, Interaction] = {}
    for story in STORY:
        written[story] = record(
            story.client,
            story.kind,
            story.days_ago + 0.4,
            story.summary,
            internal_only=story.internal_only,
            next_step=story.next_step,
            due_in_days=story.due_in_days,
            done=story.done,
        )
    keys = [spec.key for spec in CLIENTS]
    weights = [spec.weight for spec in CLIENTS]
    kinds = [kind for kind, _ in FILLER_KINDS]
    kind_weights = [weight for _, weight in FILLER_KINDS]
    ages = {spec.key: spec.age_days for spec in CLIENTS}
    overdue_left = OVERDUE_FILLERS
    for _ in range(INTERACTION_COUNT - len(STORY)):
        key = rng.choices(keys, weights)[0]
        kind = rng.choices(kinds, kind_weights)[0]
        # Older clients spread over nine months; Sable Street and Fenwick went quiet.
        oldest = min(HISTORY_DAYS, ages[key])
        newest = 100 if key in ("sable", "fenwick") else 1
        days_ago = rng.uniform(newest, max(oldest, newest + 1))
        internal = rng.random() < 0.12
        summary = rng.choice(FILLER_INTERNAL) if internal else rng.choice(FILLER_TOPICS[kind])
        with_step = rng.random() < 0.35
        due_in = rng.randint(5, 21)
        done = True
        if with_step and overdue_left and 20 < days_ago < 60 and key not in ("sable", "fenwick"):
            done, overdue_left = False, overdue_left - 1
        record(
            key,
            kind,
            days_ago,
            f"{summary}.",
            internal_only=internal,
            next_step=rng.choice(FILLER_STEPS) if with_step else "",
            due_in_days=due_in,
            done=done,
        )
    return written


def _link_story_needs(
    clients: dict[str, Client], interactions: dict[StoryInteraction, Interaction]
) -> int:
    """Needs the story's interactions raised or followed up (Need.interactions, needs' side)."""
    titles = {title for story in interactions for title in story.needs}
    needs = {need.title: need for need in Need.objects.filter(title__in=titles)}
    linked = 0
    for story, interaction in interactions.items():
        for title in story.needs:
            need = needs[title]
            need.interactions.add(interaction)
            if need.client_id is None:
                Need.objects.filter(pk=need.pk).update(client=clients[story.client])
            linked += 1
    return linked


def _write_maps(
    clients: dict[str, Client], users: dict[str, User], now: datetime.datetime
) -> tuple[int, int]:
    """Two signed-off maps (ours and Harbour's) and Meridian's, still waiting for colleagues.

    Written through the maps services (versions, answers, sign-off at the share), then dated."""
    signed = waiting = 0
    for spec in MAPS:
        owner = users[spec.owner]
        client = clients[spec.client] if spec.client else None
        if client is None:
            stakeholder_map = map_services.get_own_map(acting_user=owner)
        else:
            stakeholder_map = map_services.get_client_map(acting_user=owner, client=client)
        contacts = {c.name: c for c in client.contacts.all()} if client else {}
        later: dict[int, list[Stakeholder]] = {}
        for row in spec.stakeholders:
            stakeholder = map_services.add_stakeholder(
                acting_user=owner,
                stakeholder_map=stakeholder_map,
                contact=contacts[row.contact] if row.contact else None,
                person=users[row.login] if row.login else None,
                body_name=row.body_name,
                body_type=row.body_type,
                power=row.power,
                interest=row.interest,
                legitimate=row.legitimate,
                urgent=row.urgent and not row.urgent_from_version,
                wants=row.wants,
                engagement=row.engagement,
                shared_with_client=row.shared_with_client,
            )
            if row.urgent_from_version:
                later.setdefault(row.urgent_from_version, []).append(stakeholder)
        for number, (days_ago, note, reviews, _) in enumerate(spec.versions, start=1):
            for stakeholder in later.get(number, []):
                map_services.update_stakeholder(
                    acting_user=owner, stakeholder=stakeholder, urgent=True
                )
            stakeholder_map.refresh_from_db()
            version = map_services.ask_colleagues(
                acting_user=owner,
                stakeholder_map=stakeholder_map,
                colleagues=[users[review.login] for review in reviews],
                note=note,
                agreement_share=spec.agreement_share,
            )
            asked = {r.colleague_id: r for r in version.reviews.all()}
            for review in reviews:
                if review.answer != ReviewAnswer.PENDING:
                    map_services.answer_review(
                        acting_user=users[review.login],
                        review=asked[users[review.login].pk],
                        answer=review.answer,
                        comment=review.comment,
                    )
            _date_version(version, _days_ago(now, days_ago))
        stakeholder_map.refresh_from_db()
        if stakeholder_map.status == MapStatus.SIGNED_OFF:
            signed += 1
        else:
            waiting += 1
    return signed, waiting


def _date_version(version: MapVersion, asked: datetime.datetime) -> None:
    """Move a version, its answers and any sign-off back to when it was put to colleagues."""
    answered = asked + datetime.timedelta(days=3)
    MapVersion.objects.filter(pk=version.pk).update(created_at=asked)
    version.reviews.update(asked_at=asked)
    version.reviews.exclude(answered_at=None).update(answered_at=answered)
    if MapVersion.objects.filter(pk=version.pk, signed_off_at__isnull=False).exists():
        MapVersion.objects.filter(pk=version.pk).update(signed_off_at=answered)
        StakeholderMap.objects.filter(pk=version.map_id, version=version.number).update(
            signed_off_at=answered,
            review_by=map_services.a_year_on(timezone.localdate(answered)),
        )


def _write_surveys(
    clients: dict[str, Client],
    users: dict[str, User],
    now: datetime.datetime,
    rng: random.Random,
) -> int:
    """Two rounds of the satisfaction survey: each contact asked, most answered."""
    item_keys = [key for key, _ in SURVEY_ITEMS]
    responses = 0
    for key, rounds in SURVEYS.items():
        client = clients[key]
        contacts = list(client.contacts.order_by("pk"))
        sender = client.owner or users["coordinator"]
        for days_ago, scores in zip(SURVEY_ROUNDS_DAYS_AGO, rounds, strict=True):
            sent = _days_ago(now, days_ago)
            for index, contact in enumerate(contacts):
                token = f"demo-survey-{key}-{days_ago}-{contact.pk}-{rng.random()}"
                invitation = SurveyInvitation.objects.create(
                    client=client,
                    contact=contact,
                    token_digest=hashlib.sha256(token.encode()).hexdigest(),
                    sent_by=sender,
                    expires_at=sent + datetime.timedelta(days=30),
                )
                SurveyInvitation.objects.filter(pk=invitation.pk).update(sent_at=sent)
                if index >= len(scores):
                    continue  # this contact never answered
                recommend = scores[index]
                answered = sent + datetime.timedelta(days=1 + index * 2)
                items = {
                    item: max(1, min(5, round(recommend / 2) + rng.choice((-1, 0, 0, 1))))
                    for item in item_keys
                }
                response = SurveyResponse.objects.create(
                    invitation=invitation,
                    client=client,
                    recommend=recommend,
                    items=items,
                    comment=rng.choice(SURVEY_COMMENTS),
                )
                SurveyResponse.objects.filter(pk=response.pk).update(answered_at=answered)
                SurveyInvitation.objects.filter(pk=invitation.pk).update(answered_at=answered)
                responses += 1
    return responses


def demo_clients() -> Q:
    """The rows the demo wrote: its business units' clients and its outside employers."""
    return Q(unit__code__startswith=f"{ROOT_CODE}-", kind=Kind.INTERNAL) | Q(
        name__in=EXTERNAL_NAMES, kind=Kind.EXTERNAL
    )


def delete_demo_clients(demo_users: Q) -> None:
    """Remove the demo's clients and the training function's map if a demo login owns it."""
    Client.objects.filter(demo_clients()).delete()
    StakeholderMap.objects.filter(
        client__isnull=True, owner__in=User.objects.filter(demo_users)
    ).delete()


def clients_in_the_way() -> str:
    """Why the demo's clients cannot be written ('' when they can)."""
    taken = Client.objects.filter(name__in=EXTERNAL_NAMES).values_list("name", flat=True).first()
    if taken:
        return (
            f"A client called {taken!r} already exists; the demo adds its own. Run "
            "`milepost demo --reset` to replace the demo, or rename that client."
        )
    if StakeholderMap.objects.filter(client__isnull=True).exists():
        return (
            "The training function's own stakeholder map already exists; the demo writes its "
            "own. Load the demo into an empty database."
        )
    return ""
