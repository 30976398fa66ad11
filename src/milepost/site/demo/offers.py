"""Northwind's training catalogue: courses, qualifications and three training tracks.

The offer is plain data (an outcome reads `COMPETENCY=LEVEL` on the Northwind framework);
`load_demo_offers` writes it in a handful of bulk inserts inside `build_demo`'s transaction.
Every code starts with `NW-`, which is how `delete_demo_offers` finds them again.
"""

# ruff: noqa: E501  (one course a line reads better than wrapped)
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import models

from milepost.catalogue.models import Course, LearningOutcome, Qualification, Track, TrackStep

OFFER_CODE_PREFIX = "NW-"


@dataclass(frozen=True)
class CourseSpec:
    code: str
    title: str
    modality: str
    hours: str
    per_person: str
    per_run: str
    provider: str  # "" for internal, else the external provider's name
    outcomes: str  # "CODE=LEVEL CODE=LEVEL"
    summary: str
    audience: str = ""
    prerequisites: tuple[str, ...] = ()


@dataclass(frozen=True)
class QualificationSpec:
    code: str
    title: str
    awarding_body: str
    level: int
    credits: int | None
    hours: int | None
    funding: str  # "" when not funding eligible, else the note
    validity_months: int | None
    renewal: str
    cost: str
    outcomes: str
    summary: str


@dataclass(frozen=True)
class TrackSpec:
    code: str
    title: str
    profile_key: str
    enforce_order: bool
    description: str
    steps: tuple[str, ...]  # course or qualification codes, in order


def _outcomes(text: str) -> list[tuple[str, int]]:
    pairs = []
    for item in text.split():
        code, _, level = item.partition("=")
        pairs.append((code, int(level)))
    return pairs


C = CourseSpec
COURSES: tuple[CourseSpec, ...] = (
    C(
        "NW-CUS-101",
        "Calm conversations: empathy on the phone",
        "classroom",
        "7",
        "0",
        "1400",
        "",
        "CUS-EMP=2 CUS-EXP=2",
        "Listening, acknowledging and calming a tense call, with recorded-call practice.",
        "Everyone who speaks to customers",
    ),
    C(
        "NW-CUS-201",
        "De-escalating difficult calls",
        "blended",
        "10.5",
        "0",
        "2100",
        "",
        "CUS-EMP=3 CUS-VUL=3",
        "Turning angry contacts into workable plans; coaching notes for team leaders.",
        "Advisers and handlers after six months",
        ("NW-CUS-101",),
    ),
    C(
        "NW-CUS-110",
        "Complaints handling under FCA DISP",
        "online",
        "3",
        "45",
        "0",
        "",
        "CUS-CMP=2",
        "Recognising complaints, time limits, summary resolution and final responses.",
        "Everyone who handles customer contact",
    ),
    C(
        "NW-CUS-210",
        "Complaint investigations and fair redress",
        "classroom",
        "14",
        "0",
        "3200",
        "",
        "CUS-CMP=4 LPS-WRI=3",
        "Impartial investigation, redress calculation and final response letters that stand up at the Ombudsman.",
        "Complaints handlers",
        ("NW-CUS-110",),
    ),
    C(
        "NW-CUS-120",
        "Supporting customers in vulnerable circumstances",
        "online",
        "2.5",
        "60",
        "0",
        "Money Advice Trust",
        "CUS-VUL=2",
        "The four drivers of vulnerability and the TEXAS model for disclosures.",
        "All customer-facing staff",
    ),
    C(
        "NW-CUS-130",
        "Explaining cover in plain English",
        "classroom",
        "3.5",
        "0",
        "700",
        "",
        "CUS-EXP=3 LPS-WRI=2",
        "Explaining exclusions and excesses so customers understand them first time.",
    ),
    C(
        "NW-CUS-140",
        "Retention conversations that stay fair",
        "blended",
        "6",
        "0",
        "1200",
        "",
        "CUS-RET=3 RCF-CD=2",
        "Renewal and cancellation calls within Consumer Duty's fair value rules.",
        "Sales and retention teams",
    ),
    C(
        "NW-CLM-101",
        "Claims investigation essentials",
        "classroom",
        "14",
        "0",
        "2800",
        "",
        "CLM-INV=2 CLM-FRA=2",
        "First notification, validating cover, gathering evidence and keeping notes.",
        "New claims handlers",
    ),
    C(
        "NW-CLM-102",
        "Motor claims: liability and settlement",
        "classroom",
        "14",
        "0",
        "2800",
        "",
        "CLM-MOT=3 CLM-INV=3",
        "Liability decisions, total loss, credit hire and third-party capture.",
        "Motor claims handlers",
        ("NW-CLM-101",),
    ),
    C(
        "NW-CLM-103",
        "Property claims: escape of water to subsidence",
        "blended",
        "12",
        "0",
        "2400",
        "",
        "CLM-PRP=3",
        "Surge and flood, escape of water, subsidence and working with loss adjusters.",
        "Property claims handlers",
        ("NW-CLM-101",),
    ),
    C(
        "NW-CLM-201",
        "Liability and quantum assessment",
        "classroom",
        "21",
        "950",
        "0",
        "Kennedys Law Academy",
        "CLM-LIA=4",
        "Injury quantum, the Judicial College guidelines and the Ogden tables.",
        "Senior and casualty handlers",
        ("NW-CLM-102",),
    ),
    C(
        "NW-CLM-202",
        "Claims reserving in practice",
        "online",
        "6",
        "180",
        "0",
        "",
        "CLM-RES=3 DAT-LIT=2",
        "Setting and reviewing case reserves; how reserves feed IBNR and the financial statements.",
    ),
    C(
        "NW-CLM-210",
        "Fraud awareness for claims teams",
        "online",
        "2",
        "0",
        "0",
        "",
        "CLM-FRA=2",
        "Fraud indicators, the Insurance Fraud Bureau and how to refer a suspicion.",
        "Everyone in claims",
    ),
    C(
        "NW-CLM-211",
        "Counter-fraud investigation",
        "classroom",
        "21",
        "1250",
        "0",
        "Insurance Fraud Bureau",
        "CLM-CFI=4 CLM-FRA=4",
        "Interviews under caution, evidence handling and working with the IFED.",
        "Fraud investigators",
        ("NW-CLM-210",),
    ),
    C(
        "NW-CLM-220",
        "Recoveries and subrogation",
        "blended",
        "7",
        "0",
        "1400",
        "",
        "CLM-REC=3 LPS-NEG=2",
        "Identifying recovery potential, rights of subrogation and knock-for-knock agreements.",
    ),
    C(
        "NW-UWP-101",
        "Underwriting fundamentals",
        "classroom",
        "14",
        "0",
        "2600",
        "",
        "UWP-URA=2 UWP-PRD=2",
        "Risk presentation, fair presentation under the Insurance Act 2015 and referral limits.",
        "New underwriters",
    ),
    C(
        "NW-UWP-201",
        "Commercial risk assessment",
        "classroom",
        "14",
        "0",
        "2600",
        "",
        "UWP-URA=4 UWP-RIN=2",
        "Survey reports, risk improvement and writing complex commercial risks.",
        "Underwriters",
        ("NW-UWP-101",),
    ),
    C(
        "NW-UWP-210",
        "Pricing analytics with GLMs",
        "online",
        "24",
        "1400",
        "0",
        "Institute and Faculty of Actuaries",
        "UWP-PRC=4 DAT-STAT=3",
        "Generalised linear models for pricing, validation and price walking rules.",
        "Pricing analysts",
        ("NW-DAT-210",),
    ),
    C(
        "NW-UWP-220",
        "Portfolio performance reviews",
        "blended",
        "7",
        "0",
        "1500",
        "",
        "UWP-PTF=3 DAT-VIZ=2",
        "Loss ratios, rate adequacy and turning portfolio data into underwriting actions.",
    ),
    C(
        "NW-UWP-230",
        "Reinsurance explained",
        "online",
        "3",
        "95",
        "0",
        "Chartered Insurance Institute",
        "UWP-RIN=2",
        "Proportional and excess-of-loss treaties and what they mean for underwriting.",
    ),
    C(
        "NW-UWP-240",
        "Broker relationship management",
        "classroom",
        "7",
        "0",
        "1600",
        "",
        "UWP-BRK=3 UWP-ACC=3 LPS-STK=2",
        "Broker segmentation, trading plans and account reviews.",
        "Broker and account managers",
    ),
    C(
        "NW-RCF-101",
        "Consumer Duty in everyday work",
        "online",
        "1.5",
        "0",
        "0",
        "",
        "RCF-CD=2",
        "The four outcomes, foreseeable harm and evidencing good customer outcomes.",
        "Everyone",
    ),
    C(
        "NW-RCF-102",
        "Data protection (UK GDPR) essentials",
        "online",
        "1",
        "0",
        "0",
        "",
        "RCF-GDPR=2",
        "Lawful basis, subject access requests and reporting a breach within 72 hours.",
        "Everyone",
    ),
    C(
        "NW-RCF-103",
        "Financial crime: AML and sanctions",
        "online",
        "1.5",
        "0",
        "0",
        "",
        "RCF-FINC=2",
        "Money laundering red flags, sanctions screening and suspicious activity reports.",
        "Everyone",
    ),
    C(
        "NW-RCF-104",
        "Information security awareness",
        "online",
        "1",
        "0",
        "0",
        "",
        "RCF-SEC=2",
        "Phishing, passwords, clear desk and how to report an incident.",
        "Everyone",
    ),
    C(
        "NW-RCF-201",
        "SM&CR for certified staff and managers",
        "classroom",
        "3.5",
        "0",
        "900",
        "",
        "RCF-SMCR=3",
        "Conduct rules, certification and the duty of responsibility.",
        "Certified staff and senior managers",
    ),
    C(
        "NW-RCF-210",
        "Operational risk and control testing",
        "blended",
        "10",
        "0",
        "1800",
        "",
        "RCF-OPR=3 RCF-MON=3",
        "Risk and control self-assessment, control testing and incident root causes.",
    ),
    C(
        "NW-RCF-220",
        "IFRS 17 for insurance finance teams",
        "classroom",
        "14",
        "1650",
        "0",
        "ICAEW",
        "RCF-IFRS=4",
        "Measurement models, the contractual service margin and disclosures.",
        "Finance and reserving analysts",
    ),
    C(
        "NW-DAT-101",
        "Data literacy for everyone",
        "online",
        "3",
        "0",
        "0",
        "",
        "DAT-LIT=2",
        "Reading charts, averages and distributions, and asking good questions of data.",
    ),
    C(
        "NW-DAT-110",
        "Excel for insurance reporting",
        "classroom",
        "7",
        "0",
        "900",
        "",
        "DAT-XLS=3 DAT-LIT=2",
        "PivotTables, XLOOKUP, Power Query and models others can check.",
    ),
    C(
        "NW-DAT-120",
        "Dashboards that get used",
        "blended",
        "10",
        "0",
        "1500",
        "",
        "DAT-VIZ=3",
        "Choosing the right chart, dashboard layout and Power BI basics.",
        "Analysts and report owners",
        ("NW-DAT-110",),
    ),
    C(
        "NW-DAT-130",
        "SQL for analysts",
        "online",
        "12",
        "240",
        "0",
        "",
        "DAT-SQL=3",
        "SELECT to window functions on the claims data warehouse.",
        "Analysts",
    ),
    C(
        "NW-DAT-210",
        "Python and pandas for analytics",
        "blended",
        "21",
        "0",
        "3600",
        "",
        "DAT-PY=3 DAT-PD=3",
        "Notebooks, pandas data wrangling and reproducible analysis.",
        "Analysts",
        ("NW-DAT-130",),
    ),
    C(
        "NW-DAT-220",
        "Statistical modelling in Python",
        "online",
        "18",
        "600",
        "0",
        "",
        "DAT-STAT=3 DAT-PY=4",
        "Regression, classification and validating a model with scikit-learn.",
        "Analysts",
        ("NW-DAT-210",),
    ),
    C(
        "NW-DAT-230",
        "Using AI assistants responsibly",
        "online",
        "1.5",
        "0",
        "0",
        "",
        "DAT-AI=2",
        "What to put into an AI tool and what not to, checking outputs and our AI policy.",
        "Everyone",
    ),
    C(
        "NW-DAT-240",
        "ITIL 4 Foundation",
        "classroom",
        "16",
        "850",
        "0",
        "QA Ltd",
        "DAT-ITSM=3",
        "Service value system, practices and the Foundation exam.",
        "IT service staff",
    ),
    C(
        "NW-LPS-101",
        "Coaching conversations with GROW",
        "classroom",
        "7",
        "0",
        "1300",
        "",
        "LPS-COA=3",
        "Coaching with the GROW model; practice with real cases.",
        "Team leaders and senior handlers",
    ),
    C(
        "NW-LPS-110",
        "Performance conversations and feedback",
        "classroom",
        "7",
        "0",
        "1300",
        "",
        "LPS-PERF=3 LPS-ER=2",
        "Objectives, regular check-ins, difficult feedback and when to involve HR.",
        "Line managers",
    ),
    C(
        "NW-LPS-120",
        "Leading change",
        "blended",
        "10",
        "0",
        "2000",
        "",
        "LPS-CHG=3 LPS-STK=3",
        "Change curves, stakeholder maps and keeping a team through a restructure.",
        "Managers",
        ("NW-LPS-110",),
    ),
    C(
        "NW-LPS-130",
        "Negotiation skills",
        "classroom",
        "14",
        "0",
        "2400",
        "",
        "LPS-NEG=3 CLM-REC=2",
        "Planning, BATNA, trading concessions and closing; with settlement role plays.",
    ),
    C(
        "NW-LPS-140",
        "Writing that gets read",
        "online",
        "3",
        "0",
        "0",
        "",
        "LPS-WRI=3",
        "Plain English emails, letters and reports.",
    ),
    C(
        "NW-LPS-150",
        "Presenting with confidence",
        "coaching",
        "4",
        "350",
        "0",
        "Speak Easy Coaching",
        "LPS-PRE=3",
        "One-to-one coaching on structure, delivery and handling questions.",
    ),
    C(
        "NW-LPS-160",
        "Problem solving and continuous improvement",
        "on_the_job",
        "12",
        "0",
        "0",
        "",
        "LPS-PSI=3 LPS-TIME=2",
        "A workplace improvement project with a coach: root cause, A3 and measuring the gain.",
    ),
    C(
        "NW-LPS-170",
        "Designing and delivering learning",
        "blended",
        "14",
        "0",
        "1800",
        "",
        "LPS-LRN=3",
        "Needs analysis, learning outcomes, facilitation and evaluation.",
        "L&D and on-the-job trainers",
    ),
)

Q = QualificationSpec
QUALIFICATIONS: tuple[QualificationSpec, ...] = (
    Q(
        "NW-Q-CII-CERT",
        "CII Certificate in Insurance",
        "Chartered Insurance Institute",
        3,
        40,
        120,
        "Apprenticeship levy (Insurance Practitioner)",
        None,
        "",
        "650",
        "UWP-PRD=3 RCF-CD=2 CLM-INV=2",
        "The CII's core qualification for everyone starting in insurance.",
    ),
    Q(
        "NW-Q-CII-DIP",
        "CII Diploma in Insurance",
        "Chartered Insurance Institute",
        4,
        120,
        450,
        "Apprenticeship levy (Senior Insurance Professional)",
        None,
        "Membership keeps the Dip CII designation; 35 hours of CPD a year",
        "1850",
        "UWP-URA=4 CLM-LIA=3 UWP-RIN=3",
        "Technical depth in underwriting, claims and insurance law for the Dip CII.",
    ),
    Q(
        "NW-Q-CII-ADV",
        "CII Advanced Diploma in Insurance",
        "Chartered Insurance Institute",
        6,
        290,
        900,
        "",
        None,
        "Membership keeps the ACII designation; 35 hours of CPD a year",
        "3900",
        "UWP-PTF=4 LPS-COM=4 RCF-IFRS=3",
        "The ACII route to chartered status.",
    ),
    Q(
        "NW-Q-ILM-5",
        "ILM Level 5 Certificate in Leadership and Management",
        "Institute of Leadership and Management",
        5,
        13,
        60,
        "Apprenticeship levy (Operations/Departmental Manager)",
        None,
        "",
        "1450",
        "LPS-CHG=4 LPS-PERF=4 LPS-COA=4",
        "Leading teams through change, managing performance and coaching.",
    ),
    Q(
        "NW-Q-ICA-CERT",
        "ICA International Certificate in Compliance",
        "International Compliance Association",
        4,
        None,
        120,
        "",
        None,
        "",
        "1100",
        "RCF-MON=3 RCF-OPR=3 RCF-SMCR=3",
        "The compliance function, regulatory risk and monitoring.",
    ),
    Q(
        "NW-Q-CIPD-3",
        "CIPD Level 3 Foundation Certificate in People Practice",
        "CIPD",
        3,
        22,
        140,
        "Advanced Learner Loan eligible",
        None,
        "",
        "2300",
        "LPS-ER=3 LPS-LRN=2",
        "Employment law, people practice and supporting learning.",
    ),
)

TRACKS: tuple[TrackSpec, ...] = (
    TrackSpec(
        "NW-T-CLAIMS",
        "New claims handler: first year",
        "claims-handler",
        True,
        "From induction to handling motor and property claims alone, with the CII Certificate "
        "to finish the first year.",
        (
            "NW-RCF-101",
            "NW-CUS-101",
            "NW-CLM-210",
            "NW-CLM-101",
            "NW-CLM-102",
            "NW-CLM-103",
            "NW-CUS-110",
            "NW-CUS-201",
            "NW-Q-CII-CERT",
        ),
    ),
    TrackSpec(
        "NW-T-DATA",
        "Data analyst pathway",
        "data-analyst",
        True,
        "Spreadsheets to statistical modelling in Python, in the order the skills build.",
        (
            "NW-DAT-101",
            "NW-DAT-110",
            "NW-DAT-120",
            "NW-DAT-130",
            "NW-DAT-210",
            "NW-DAT-220",
            "NW-DAT-230",
        ),
    ),
    TrackSpec(
        "NW-T-MANAGER",
        "New team manager",
        "team-manager",
        False,
        "The essentials for a first management role; take them in any order within the first "
        "18 months, and the ILM Level 5 when ready.",
        ("NW-LPS-110", "NW-LPS-101", "NW-LPS-120", "NW-RCF-201", "NW-LPS-150", "NW-Q-ILM-5"),
    ),
)


# People one run takes, by modality: a classroom of 12, a blended workshop of 16, coaching one
# to one, online without a limit. External public courses set their own cohort sizes.
PLACES_BY_MODALITY: dict[str, int | None] = {
    "classroom": 12,
    "blended": 16,
    "on_the_job": 4,
    "coaching": 1,
    "online": None,
}
PLACES_BY_CODE: dict[str, int | None] = {
    "NW-CUS-210": 10,  # investigations: casework in small groups
    "NW-LPS-130": 10,  # negotiation: paired role plays with an observer
    "NW-RCF-201": 20,  # SM&CR: a briefing more than a workshop
    "NW-CLM-201": 20,  # Kennedys Law Academy's open course
    "NW-CLM-211": 16,  # Insurance Fraud Bureau
    "NW-RCF-220": 24,  # ICAEW
    "NW-DAT-240": 16,  # QA Ltd
}


def places_per_run(spec: CourseSpec) -> int | None:
    """How many people one run of a demo course takes (None: no limit)."""
    if spec.code in PLACES_BY_CODE:
        return PLACES_BY_CODE[spec.code]
    return PLACES_BY_MODALITY[spec.modality]


def load_demo_offers(competency_ids: dict[str, int], profile_ids: dict[str, int]) -> int:
    """Write the demo catalogue; returns how many courses and qualifications were created."""
    courses = Course.objects.bulk_create(
        Course(
            code=spec.code,
            title=spec.title,
            summary=spec.summary,
            modality=spec.modality,
            duration_hours=Decimal(spec.hours),
            cost_per_person=Decimal(spec.per_person),
            cost_per_run=Decimal(spec.per_run),
            places_per_run=places_per_run(spec),
            provider_kind="external" if spec.provider else "internal",
            provider_name=spec.provider or "Northwind Academy",
            audience=spec.audience,
        )
        for spec in COURSES
    )
    course_ids = {course.code: course.pk for course in courses}
    Course.prerequisites.through.objects.bulk_create(
        Course.prerequisites.through(
            from_course_id=course_ids[spec.code], to_course_id=course_ids[required]
        )
        for spec in COURSES
        for required in spec.prerequisites
    )
    qualifications = Qualification.objects.bulk_create(
        Qualification(
            code=spec.code,
            title=spec.title,
            summary=spec.summary,
            awarding_body=spec.awarding_body,
            level_framework="RQF",
            level=spec.level,
            credits=spec.credits,
            guided_learning_hours=spec.hours,
            funding_eligible=bool(spec.funding),
            funding_note=spec.funding,
            validity_months=spec.validity_months,
            renewal=spec.renewal,
            cost_per_person=Decimal(spec.cost),
        )
        for spec in QUALIFICATIONS
    )
    qualification_ids = {q.code: q.pk for q in qualifications}
    LearningOutcome.objects.bulk_create(
        [
            LearningOutcome(
                course_id=course_ids[spec.code],
                competency_id=competency_ids[code],
                raises_to_level=level,
            )
            for spec in COURSES
            for code, level in _outcomes(spec.outcomes)
        ]
        + [
            LearningOutcome(
                qualification_id=qualification_ids[spec.code],
                competency_id=competency_ids[code],
                raises_to_level=level,
            )
            for spec in QUALIFICATIONS
            for code, level in _outcomes(spec.outcomes)
        ]
    )
    tracks = Track.objects.bulk_create(
        Track(
            code=spec.code,
            title=spec.title,
            description=spec.description,
            job_profile_id=profile_ids[spec.profile_key],
            enforce_order=spec.enforce_order,
        )
        for spec in TRACKS
    )
    TrackStep.objects.bulk_create(
        TrackStep(
            track=track,
            position=position,
            course_id=course_ids.get(code),
            qualification_id=qualification_ids.get(code),
        )
        for spec, track in zip(TRACKS, tracks, strict=True)
        for position, code in enumerate(spec.steps, start=1)
    )
    return len(courses) + len(qualifications)


def offers_in_the_way() -> bool:
    """Whether catalogue rows already use the demo's codes."""
    return any(
        model.objects.filter(code__startswith=OFFER_CODE_PREFIX).exists()
        for model in (Course, Qualification, Track)
    )


def delete_demo_offers() -> None:
    """Remove the demo's tracks, courses and qualifications, and any step that uses them."""
    TrackStep.objects.filter(
        models.Q(course__code__startswith=OFFER_CODE_PREFIX)
        | models.Q(qualification__code__startswith=OFFER_CODE_PREFIX)
    ).delete()
    Track.objects.filter(code__startswith=OFFER_CODE_PREFIX).delete()
    Course.objects.filter(code__startswith=OFFER_CODE_PREFIX).delete()
    Qualification.objects.filter(code__startswith=OFFER_CODE_PREFIX).delete()
