"""Northwind's job profiles and what each requires from the Northwind Competency Framework.

Plain data, no Django. A requirement line reads `CODE LEVEL IMPORTANCE E|O`: competency
code, required level (1-5), importance (1-5) and essential or optional.
"""

from __future__ import annotations

from dataclasses import dataclass

PROFILE_CODE_PREFIX = "northwind-"


@dataclass(frozen=True)
class Requirement:
    competency_code: str
    level: int
    importance: int
    essential: bool


@dataclass(frozen=True)
class ProfileSpec:
    key: str
    title: str
    description: str
    alt_titles: tuple[str, ...]
    requirements: tuple[Requirement, ...]

    @property
    def code(self) -> str:
        return PROFILE_CODE_PREFIX + self.key


def _profile(key: str, title: str, description: str, alt: str, requirements: str) -> ProfileSpec:
    parsed = []
    for line in requirements.strip().splitlines():
        code, level, importance, flag = line.split()
        if flag not in {"E", "O"}:
            raise ValueError(f"profile {key}: '{line.strip()}' must end in E or O")
        parsed.append(Requirement(code, int(level), int(importance), flag == "E"))
    return ProfileSpec(
        key=key,
        title=title,
        description=description,
        alt_titles=tuple(title.strip() for title in alt.split(";") if title.strip()),
        requirements=tuple(parsed),
    )


PROFILES: tuple[ProfileSpec, ...] = (
    _profile(
        "claims-handler",
        "Claims Handler",
        "Handles motor and property claims from first notification to settlement, validating "
        "cover and keeping the customer informed.",
        "Claims Technician; Claims Adviser; Claims Negotiator",
        """
        CLM-INV 3 5 E
        CLM-MOT 3 4 E
        CLM-LIA 2 4 E
        CLM-RES 2 3 E
        CLM-FRA 2 4 E
        CUS-EMP 3 5 E
        CUS-VUL 2 4 E
        CUS-EXP 3 4 E
        RCF-CD 2 4 E
        RCF-GDPR 2 3 E
        LPS-WRI 2 3 O
        LPS-TIME 3 3 O
        DAT-LIT 1 2 O
        """,
    ),
    _profile(
        "senior-claims-handler",
        "Senior Claims Handler",
        "Handles disputed, injury and high-value claims and supports less experienced handlers.",
        "Senior Claims Technician; Technical Claims Handler",
        """
        CLM-INV 4 5 E
        CLM-LIA 4 5 E
        CLM-RES 3 4 E
        CLM-FRA 3 4 E
        CLM-REC 3 3 O
        CUS-EMP 4 4 E
        CUS-VUL 3 4 E
        CUS-CMP 3 3 E
        RCF-CD 3 4 E
        RCF-GDPR 2 3 E
        LPS-NEG 3 4 E
        LPS-WRI 3 3 E
        LPS-COA 2 2 O
        """,
    ),
    _profile(
        "claims-team-leader",
        "Claims Team Leader",
        "Leads a team of claims handlers to deliver fair, timely and accurate claims outcomes.",
        "Claims Team Manager; Claims Supervisor",
        """
        LPS-COA 3 5 E
        LPS-PERF 3 5 E
        CLM-INV 4 4 E
        CLM-RES 3 4 E
        CUS-EMP 4 4 E
        CUS-CMP 3 4 E
        RCF-CD 3 5 E
        LPS-TIME 3 3 E
        DAT-LIT 2 3 E
        LPS-CHG 2 3 O
        LPS-STK 3 3 O
        """,
    ),
    _profile(
        "fraud-investigator",
        "Fraud Investigator",
        "Investigates suspected application and claims fraud and builds evidence for "
        "repudiation, recovery or prosecution.",
        "Counter Fraud Investigator; SIU Investigator",
        """
        CLM-FRA 4 5 E
        CLM-CFI 4 5 E
        CLM-INV 4 4 E
        RCF-FINC 3 4 E
        RCF-GDPR 3 4 E
        LPS-WRI 4 4 E
        LPS-PSI 3 3 E
        DAT-LIT 3 3 E
        DAT-XLS 2 2 O
        CUS-EMP 2 2 O
        """,
    ),
    _profile(
        "property-claims-specialist",
        "Property Claims Specialist",
        "Handles large and complex property losses, working with loss adjusters and experts.",
        "Major Loss Handler; Complex Property Claims Handler",
        """
        CLM-PRP 4 5 E
        CLM-INV 4 5 E
        CLM-RES 4 4 E
        CLM-LIA 3 4 E
        CLM-REC 3 3 E
        LPS-NEG 4 4 E
        CUS-EMP 3 4 E
        LPS-WRI 3 3 E
        UWP-PRD 3 2 O
        UWP-RIN 2 2 O
        """,
    ),
    _profile(
        "recoveries-specialist",
        "Recoveries Specialist",
        "Recovers claims costs from third parties and other insurers.",
        "Recoveries Handler; Subrogation Specialist",
        """
        CLM-REC 4 5 E
        CLM-LIA 4 5 E
        LPS-NEG 4 4 E
        CLM-INV 3 3 E
        LPS-WRI 3 3 E
        RCF-GDPR 2 3 E
        DAT-XLS 2 2 O
        LPS-TIME 3 2 O
        """,
    ),
    _profile(
        "claims-quality-analyst",
        "Claims Quality Analyst",
        "Reviews claim files against technical and conduct standards and feeds back themes.",
        "Claims QA Analyst; Claims Auditor",
        """
        RCF-MON 3 5 E
        CLM-INV 4 5 E
        CLM-RES 3 4 E
        RCF-CD 3 4 E
        CUS-VUL 3 4 E
        DAT-LIT 3 3 E
        DAT-XLS 3 3 E
        LPS-WRI 3 3 E
        LPS-PSI 3 2 O
        """,
    ),
    _profile(
        "underwriter",
        "Underwriter",
        "Underwrites new business and renewals within authority, balancing growth and "
        "profitability.",
        "Trading Underwriter; Account Underwriter",
        """
        UWP-URA 3 5 E
        UWP-PRD 3 4 E
        UWP-PTF 2 3 E
        UWP-PRC 2 3 E
        RCF-CD 2 4 E
        RCF-FINC 2 3 E
        LPS-NEG 2 3 E
        DAT-LIT 2 3 E
        DAT-XLS 2 3 E
        UWP-BRK 2 3 O
        LPS-WRI 2 2 O
        """,
    ),
    _profile(
        "senior-underwriter",
        "Senior Underwriter",
        "Writes large and complex risks, manages a portfolio and develops other underwriters.",
        "Lead Underwriter; Senior Account Underwriter",
        """
        UWP-URA 4 5 E
        UWP-PRD 4 4 E
        UWP-PTF 3 4 E
        UWP-PRC 3 3 E
        UWP-BRK 3 4 E
        UWP-RIN 2 3 E
        RCF-CD 3 4 E
        LPS-NEG 3 4 E
        LPS-COM 3 4 E
        DAT-LIT 3 3 E
        LPS-COA 2 2 O
        """,
    ),
    _profile(
        "pricing-analyst",
        "Pricing Analyst",
        "Builds and monitors pricing models and rate changes that deliver profit and fair value.",
        "Pricing Actuarial Analyst; Rating Analyst",
        """
        UWP-PRC 4 5 E
        DAT-LIT 4 5 E
        DAT-PY 3 4 E
        DAT-PD 3 4 E
        DAT-STAT 3 5 E
        DAT-SQL 3 4 E
        RCF-CD 3 4 E
        UWP-PTF 2 3 E
        LPS-WRI 2 3 E
        DAT-VIZ 2 2 O
        LPS-PRE 2 2 O
        DAT-AI 2 2 O
        """,
    ),
    _profile(
        "reserving-analyst",
        "Reserving Analyst",
        "Projects ultimate claims costs and supports the reserving and IFRS 17 processes.",
        "Actuarial Analyst; Reserving Actuary",
        """
        DAT-STAT 4 5 E
        DAT-XLS 4 4 E
        CLM-RES 3 5 E
        UWP-PTF 3 4 E
        DAT-PY 3 4 E
        DAT-SQL 3 4 E
        RCF-IFRS 3 4 E
        LPS-WRI 3 3 E
        LPS-PRE 2 2 O
        """,
    ),
    _profile(
        "customer-service-adviser",
        "Customer Service Adviser",
        "Helps customers by phone, chat and email with quotes, changes and renewals.",
        "Customer Adviser; Contact Centre Agent; Customer Service Representative",
        """
        CUS-EMP 3 5 E
        CUS-EXP 3 5 E
        CUS-VUL 3 5 E
        CUS-RET 2 4 E
        CUS-CMP 1 4 E
        RCF-CD 2 4 E
        RCF-GDPR 2 4 E
        RCF-FINC 1 3 E
        UWP-PRD 2 4 E
        LPS-TIME 2 3 E
        DAT-AI 1 2 O
        """,
    ),
    _profile(
        "complaints-handler",
        "Complaints Handler",
        "Investigates and resolves customer complaints fairly and within DISP time limits.",
        "Complaints Resolution Specialist; Customer Relations Handler",
        """
        CUS-CMP 4 5 E
        CUS-EMP 4 5 E
        CUS-VUL 3 4 E
        RCF-CD 3 5 E
        RCF-GDPR 2 3 E
        LPS-WRI 4 5 E
        LPS-PSI 3 3 E
        UWP-PRD 2 3 E
        CLM-INV 2 2 O
        LPS-NEG 2 2 O
        """,
    ),
    _profile(
        "policy-administrator",
        "Policy Administrator",
        "Processes new business, mid-term adjustments, documents and payments accurately.",
        "Policy Services Administrator; Operations Administrator",
        """
        UWP-PRD 3 4 E
        LPS-TIME 3 4 E
        CUS-EXP 2 3 E
        CUS-RET 2 2 E
        CUS-EMP 2 3 E
        RCF-GDPR 2 4 E
        RCF-FINC 2 3 E
        DAT-XLS 2 3 E
        DAT-LIT 1 2 O
        """,
    ),
    _profile(
        "product-manager",
        "Product Manager",
        "Owns a product's design, performance and fair value assessment.",
        "Product Owner; Proposition Manager",
        """
        UWP-PRD 4 5 E
        RCF-CD 4 5 E
        UWP-PTF 3 4 E
        UWP-PRC 2 3 E
        DAT-LIT 3 4 E
        LPS-STK 3 4 E
        LPS-CHG 2 3 E
        LPS-PRE 3 3 E
        LPS-COM 3 4 E
        CUS-VUL 2 3 O
        DAT-VIZ 2 2 O
        """,
    ),
    _profile(
        "account-manager",
        "Account Manager",
        "Manages and grows a portfolio of commercial client accounts and their renewals.",
        "Client Manager; Key Account Manager",
        """
        UWP-ACC 4 5 E
        UWP-BRK 3 4 E
        UWP-PRD 3 4 E
        LPS-NEG 3 4 E
        LPS-STK 3 4 E
        LPS-PRE 3 3 E
        LPS-COM 3 3 E
        CUS-RET 3 4 E
        RCF-CD 2 3 E
        LPS-WRI 2 2 O
        """,
    ),
    _profile(
        "broker-relationship-manager",
        "Broker Relationship Manager",
        "Develops the group's relationships and business plans with its brokers.",
        "Business Development Manager; Broker Manager",
        """
        UWP-BRK 4 5 E
        UWP-ACC 3 4 E
        LPS-NEG 4 5 E
        LPS-STK 4 4 E
        UWP-URA 2 3 E
        UWP-PRD 3 4 E
        RCF-CD 3 4 E
        LPS-PRE 3 4 E
        LPS-COM 3 3 E
        DAT-LIT 2 2 O
        """,
    ),
    _profile(
        "data-analyst",
        "Data Analyst",
        "Turns the group's data into reports, dashboards and analysis that drive decisions.",
        "Insight Analyst; MI Analyst; Business Intelligence Analyst",
        """
        DAT-LIT 4 5 E
        DAT-SQL 4 5 E
        DAT-VIZ 3 4 E
        DAT-PY 3 4 E
        DAT-PD 3 4 E
        DAT-XLS 3 3 E
        RCF-GDPR 3 4 E
        LPS-STK 2 3 E
        LPS-PRE 2 3 E
        LPS-PSI 3 3 E
        DAT-STAT 2 2 O
        DAT-AI 2 2 O
        """,
    ),
    _profile(
        "platform-engineer",
        "Platform Engineer",
        "Builds and runs the group's infrastructure and data platform securely.",
        "Infrastructure Engineer; Cloud Engineer; DevOps Engineer",
        """
        DAT-ITSM 3 4 E
        RCF-SEC 4 5 E
        DAT-PY 3 4 E
        DAT-SQL 2 3 E
        LPS-PSI 4 4 E
        LPS-WRI 2 2 E
        LPS-CHG 2 2 O
        DAT-AI 2 2 O
        """,
    ),
    _profile(
        "it-service-desk-analyst",
        "IT Service Desk Analyst",
        "Resolves colleagues' IT incidents and requests at first contact where possible.",
        "Service Desk Analyst; IT Support Analyst; Helpdesk Analyst",
        """
        DAT-ITSM 3 5 E
        RCF-SEC 3 5 E
        LPS-PSI 3 4 E
        CUS-EMP 2 3 E
        LPS-TIME 3 3 E
        LPS-WRI 2 3 E
        RCF-GDPR 2 3 E
        DAT-AI 2 2 O
        """,
    ),
    _profile(
        "hr-business-partner",
        "HR Business Partner",
        "Advises business leaders on organisation, performance, employee relations and change.",
        "People Partner; HR Adviser",
        """
        LPS-ER 4 5 E
        LPS-PERF 4 4 E
        LPS-STK 4 5 E
        LPS-COA 3 4 E
        LPS-CHG 3 4 E
        LPS-NEG 3 3 E
        RCF-GDPR 3 4 E
        LPS-WRI 3 3 E
        DAT-LIT 2 2 O
        LPS-LRN 2 2 O
        """,
    ),
    _profile(
        "ld-coordinator",
        "L&D Coordinator",
        "Co-ordinates training needs, courses, bookings and evaluation for the business units.",
        "Learning Coordinator; Training Coordinator; L&D Administrator",
        """
        LPS-LRN 3 5 E
        LPS-STK 3 4 E
        LPS-TIME 3 4 E
        LPS-WRI 3 3 E
        LPS-PRE 3 3 E
        DAT-XLS 2 3 E
        DAT-LIT 2 3 E
        RCF-GDPR 2 3 E
        LPS-COA 2 2 O
        DAT-AI 2 2 O
        """,
    ),
    _profile(
        "finance-analyst",
        "Finance Analyst",
        "Prepares financial reporting, forecasts and analysis for the group.",
        "Financial Analyst; Management Accountant",
        """
        RCF-IFRS 3 5 E
        DAT-XLS 4 5 E
        DAT-LIT 3 4 E
        DAT-VIZ 2 3 E
        LPS-COM 3 4 E
        LPS-WRI 2 3 E
        LPS-TIME 3 3 E
        DAT-SQL 2 2 O
        RCF-OPR 2 2 O
        """,
    ),
    _profile(
        "compliance-officer",
        "Compliance Officer",
        "Advises the business on regulation and tests that it meets its obligations.",
        "Compliance Adviser; Compliance Analyst",
        """
        RCF-CD 4 5 E
        RCF-MON 4 5 E
        RCF-SMCR 3 4 E
        RCF-GDPR 3 4 E
        RCF-FINC 3 4 E
        RCF-OPR 3 3 E
        CUS-CMP 3 3 E
        CUS-VUL 3 4 E
        LPS-WRI 4 4 E
        LPS-STK 3 3 E
        DAT-LIT 2 2 O
        """,
    ),
    _profile(
        "risk-analyst",
        "Operational Risk Analyst",
        "Supports the business to identify, assess and control operational risks.",
        "Risk Analyst; Risk and Control Analyst",
        """
        RCF-OPR 4 5 E
        RCF-MON 3 4 E
        RCF-SEC 3 4 E
        RCF-SMCR 2 3 E
        DAT-LIT 3 4 E
        DAT-XLS 3 3 E
        LPS-WRI 3 3 E
        LPS-STK 3 3 E
        LPS-PSI 3 2 O
        """,
    ),
    _profile(
        "team-manager",
        "Team Manager",
        "Leads a team to meet service, quality and conduct standards and develops its people.",
        "Team Leader; Operations Team Manager",
        """
        LPS-COA 3 5 E
        LPS-PERF 3 5 E
        LPS-CHG 3 4 E
        LPS-TIME 3 4 E
        LPS-STK 3 3 E
        LPS-ER 2 3 E
        RCF-CD 3 5 E
        CUS-VUL 2 3 E
        DAT-LIT 2 3 E
        LPS-WRI 3 2 O
        LPS-PSI 3 3 O
        """,
    ),
    _profile(
        "head-of-department",
        "Head of Department",
        "Leads a department's strategy, people, performance and risk.",
        "Head of Function; Senior Manager",
        """
        LPS-CHG 4 5 E
        LPS-STK 4 5 E
        LPS-COA 4 4 E
        LPS-PERF 4 4 E
        LPS-COM 4 5 E
        LPS-PRE 4 4 E
        LPS-ER 3 3 E
        RCF-CD 4 5 E
        RCF-SMCR 3 4 E
        RCF-OPR 3 4 E
        DAT-LIT 3 3 E
        LPS-NEG 3 3 O
        """,
    ),
    _profile(
        "director",
        "Director",
        "Leads a business unit or the group and is accountable for its strategy and results.",
        "Managing Director; Chief Executive Officer; Executive Director",
        """
        LPS-CHG 5 5 E
        LPS-STK 5 5 E
        LPS-COM 5 5 E
        RCF-SMCR 4 5 E
        RCF-CD 4 5 E
        RCF-OPR 4 4 E
        LPS-PRE 4 4 E
        LPS-NEG 4 3 E
        LPS-COA 4 3 O
        DAT-LIT 3 3 O
        """,
    ),
)
