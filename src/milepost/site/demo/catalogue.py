"""The Northwind Competency Framework: scale, clusters, competencies and level indicators.

Plain data, no Django. Each competency carries two hand-written behavioural indicators per
level; a third, composed from the competency's `topic`, states the level's degree of
independence in the same words across the framework, as real frameworks do.
"""

# ruff: noqa: E501  (indicator lines are prose: one level a line reads better than wrapped)
from __future__ import annotations

from dataclasses import dataclass, field

FRAMEWORK_CODE = "northwind"
FRAMEWORK_NAME = "Northwind Competency Framework"
FRAMEWORK_VERSION = "2026.1"
FRAMEWORK_DESCRIPTION = (
    "The behaviours, skills and knowledge Northwind Insurance Group expects across claims, "
    "underwriting, customer operations and group functions, on a five-level scale."
)
SCALE_NAME = "Core 1-5"

# value, name, description
SCALE_LEVELS: tuple[tuple[int, str, str], ...] = (
    (
        1,
        "Awareness",
        "Knows what the competency covers and why it matters; needs guidance to use it.",
    ),
    (2, "Foundation", "Applies it to routine, well-defined work with some supervision."),
    (
        3,
        "Practitioner",
        "Applies it without supervision across the normal range of work, including some "
        "non-routine cases.",
    ),
    (4, "Advanced", "Handles complex and unusual situations, and coaches and checks others."),
    (
        5,
        "Expert",
        "A recognised authority across the group who shapes standards, policy and practice.",
    ),
)

# The third indicator of each level, filled with the competency's topic.
LEVEL_PATTERNS: dict[int, str] = {
    1: "Knows where to find the group's guidance on {topic} and who to ask for help.",
    2: "Applies the guidance on {topic} to routine work, with a colleague checking unusual cases.",
    3: "Needs no supervision for {topic} and checks their own work against the standard.",
    4: "Coaches colleagues on {topic} and quality-checks their work.",
    5: "Sets the group's standard for {topic} and is consulted on the hardest cases.",
}

GROUP = "group"
COMPETENCE = "competence"
KNOWLEDGE = "knowledge"
BEHAVIOUR = "behaviour"


@dataclass(frozen=True)
class CompetencySpec:
    code: str
    name: str
    kind: str
    description: str
    topic: str = ""
    alt_labels: tuple[str, ...] = ()
    # Five levels, two specific indicators each (empty for groups).
    indicators: tuple[tuple[str, str], ...] = ()
    children: tuple[CompetencySpec, ...] = field(default=())

    def level_indicators(self, level: int) -> list[str]:
        first, second = self.indicators[level - 1]
        return [first, second, LEVEL_PATTERNS[level].format(topic=self.topic)]


def _competency(
    code: str, name: str, kind: str, description: str, *, topic: str, alt: str, levels: str
) -> CompetencySpec:
    lines = [line.strip() for line in levels.strip().splitlines() if line.strip()]
    if len(lines) != 5:
        raise ValueError(f"competency {code}: expected 5 levels of indicators, got {len(lines)}")
    pairs = []
    for number, line in enumerate(lines, start=1):
        parts = [part.strip() for part in line.split(" | ")]
        if len(parts) != 2:
            raise ValueError(f"competency {code} level {number}: expected two indicators")
        pairs.append((parts[0], parts[1]))
    return CompetencySpec(
        code=code,
        name=name,
        kind=kind,
        description=description,
        topic=topic,
        alt_labels=tuple(label.strip() for label in alt.split(";") if label.strip()),
        indicators=tuple(pairs),
    )


def _group(code: str, name: str, description: str, *children: CompetencySpec) -> CompetencySpec:
    return CompetencySpec(
        code=code, name=name, kind=GROUP, description=description, children=children
    )


def _with_children(parent: CompetencySpec, *children: CompetencySpec) -> CompetencySpec:
    return CompetencySpec(
        code=parent.code,
        name=parent.name,
        kind=parent.kind,
        description=parent.description,
        topic=parent.topic,
        alt_labels=parent.alt_labels,
        indicators=parent.indicators,
        children=children,
    )


CUSTOMER = _group(
    "CUS",
    "Customer and conduct",
    "How we treat customers at every contact, from the first call to a complaint.",
    _competency(
        "CUS-EMP",
        "Customer empathy and de-escalation",
        BEHAVIOUR,
        "Recognises how a customer feels, responds with genuine empathy and calms tense "
        "conversations so the customer can be helped.",
        topic="de-escalation",
        alt="Empathy; De-escalation; Handling difficult conversations",
        levels="""
        Listens without interrupting and acknowledges the customer's situation in their own words. | Stays polite and calm when a customer raises their voice, and asks for help early.
        Uses open questions to find out what matters most to the customer before explaining next steps. | Notices rising frustration and changes tone or pace before the conversation escalates.
        Turns an angry contact into a workable plan with agreed actions and timescales. | Adapts their approach for bereaved, anxious or confused customers without sounding scripted.
        Takes over escalated calls from colleagues and resolves them without a formal complaint. | Runs call-listening sessions that show colleagues what good de-escalation sounds like.
        Writes the de-escalation guidance used across the contact centre and claims. | Uses complaint and call-quality data to find what triggers conflict and removes it at source.
        """,
    ),
    _competency(
        "CUS-CMP",
        "Complaints handling (FCA DISP)",
        COMPETENCE,
        "Identifies, investigates and resolves expressions of dissatisfaction fairly and within "
        "the time limits of the FCA's Dispute Resolution (DISP) rules.",
        topic="complaints handling",
        alt="DISP complaints; Complaint resolution; Handling expressions of dissatisfaction",
        levels="""
        Recognises that any expression of dissatisfaction, spoken or written, may be a complaint. | Logs a complaint on the day it is received and passes it to the right team.
        Resolves simple complaints by the end of the third business day and sends the summary resolution communication. | Keeps the customer updated and records every contact on the complaint file.
        Investigates complaints impartially, gathering the call recordings, notes and policy wording needed. | Issues final responses within eight weeks that explain the decision and the customer's Financial Ombudsman Service referral rights.
        Handles complaints involving vulnerability, large redress or media interest. | Calculates fair redress, including distress and inconvenience awards in line with Ombudsman approach.
        Analyses complaint root causes and agrees fixes with product and operations owners. | Represents the group with the Financial Ombudsman Service and shapes complaints policy.
        """,
    ),
    _competency(
        "CUS-VUL",
        "Supporting vulnerable customers",
        BEHAVIOUR,
        "Spots the signs of vulnerability (health, life events, resilience, capability) and "
        "adapts service so vulnerable customers get outcomes as good as everyone else's.",
        topic="supporting vulnerable customers",
        alt="Customer vulnerability; Vulnerable customers; FG21/1",
        levels="""
        Can name the four drivers of vulnerability: health, life events, resilience and capability. | Recognises cues such as confusion, distress or a mention of bereavement during a contact.
        Asks permission before recording a vulnerability and records it in the agreed format. | Offers the standard adjustments, such as call-backs, large print or a named handler.
        Tailors communication and timescales to the customer's circumstances without being asked. | Refers customers to specialist support, such as debt advice or bereavement services, with consent.
        Handles the most sensitive cases, including financial abuse or suicidal disclosures, following the safeguarding procedure. | Reviews colleagues' vulnerability records and gives feedback on the outcomes achieved.
        Owns the group's vulnerability policy and its outcome testing for Consumer Duty reporting. | Works with charities and specialists to improve how the group supports vulnerable customers.
        """,
    ),
    _competency(
        "CUS-EXP",
        "Explaining policy cover",
        COMPETENCE,
        "Explains what a policy does and does not cover, excesses and exclusions in plain "
        "language the customer can act on.",
        topic="explaining policy cover",
        alt="Explaining cover; Policy wording explanation; Plain-language explanations",
        levels="""
        Finds the relevant section of the policy wording and the schedule for a customer's question. | Reads back cover details accurately without adding their own interpretation.
        Explains excesses, limits and common exclusions in everyday words. | Checks the customer has understood by asking them to confirm what happens next.
        Explains how cover applies to an unusual situation and where the wording leaves room for judgement. | Uses examples and figures so customers can compare options at renewal or after a change.
        Rewrites letters and scripts so that they pass the group's plain-language test. | Advises colleagues on ambiguous wordings and escalates wording gaps to the product owner.
        Leads consumer understanding testing of policy documents. | Sets the group's style for customer communications across products and channels.
        """,
    ),
    _competency(
        "CUS-RET",
        "Sales and retention conversations",
        COMPETENCE,
        "Holds compliant, needs-based sales and renewal conversations that keep customers on "
        "cover that suits them, without pressure.",
        topic="sales and retention conversations",
        alt="Renewals; Retention; Needs-based selling",
        levels="""
        Follows the call structure for new business and renewal calls. | Knows which statements are regulated and must not be paraphrased.
        Asks questions to establish the customer's demands and needs before quoting. | Explains the renewal price and the reasons it changed when asked.
        Offers alternatives, such as a higher excess or fewer add-ons, that genuinely fit the customer's needs. | Handles cancellation requests by checking the customer's reasons and respecting their decision.
        Keeps retention rates above target without creating complaints or poor outcomes. | Coaches colleagues on conversations that balance retention with fair value.
        Designs retention journeys and offers with product and pricing teams. | Uses outcome data to prove that retention activity meets the Consumer Duty price and value outcome.
        """,
    ),
)

CLAIMS = _group(
    "CLM",
    "Claims",
    "Handling claims fairly, promptly and accurately, and protecting honest customers from fraud.",
    _group(
        "CLM-H",
        "Claims handling",
        "The technical skills of assessing and settling a claim.",
        _competency(
            "CLM-INV",
            "Claims investigation",
            COMPETENCE,
            "Establishes the facts of a loss, validates cover and gathers the evidence needed "
            "for a fair and timely decision.",
            topic="claims investigation",
            alt="Claims validation; Loss investigation; Coverage validation",
            levels="""
            Takes a first notification of loss accurately, recording the who, what, when and where. | Knows which documents are needed to validate each common claim type.
            Validates cover against the policy schedule and wording before any commitment is made. | Requests and chases evidence such as photos, estimates and police reports within service levels.
            Plans the investigation of a non-routine claim and decides when to instruct an expert. | Spots inconsistencies between statements and evidence and follows them up.
            Leads investigations of disputed, high-value or multi-party claims. | Reviews declinature recommendations from colleagues for fairness and sound evidence.
            Sets the group's investigation standards and the expert panel's instructions. | Gives the technical view on precedent-setting claims to the claims committee.
            """,
        ),
        _competency(
            "CLM-MOT",
            "Motor claims handling",
            COMPETENCE,
            "Handles motor claims from first notification to settlement, including repairs, "
            "total losses, hire and third-party capture.",
            topic="motor claims handling",
            alt="Motor claims; Vehicle damage claims; Third-party capture",
            levels="""
            Knows the stages of a motor claim from first notification to settlement. | Books a repair with the approved network and arranges a courtesy car.
            Handles non-fault and simple fault claims end to end. | Captures third parties early to keep credit-hire costs down.
            Settles total losses using market valuations and explains the offer to the customer. | Handles claims involving uninsured drivers or the Motor Insurers' Bureau.
            Manages complex motor claims with injury elements or disputed liability. | Checks repair estimates and engineer reports for leakage.
            Shapes the motor claims strategy, supplier terms and handling model. | Leads the response to market changes such as whiplash reforms or EV repair costs.
            """,
        ),
        _competency(
            "CLM-PRP",
            "Property claims handling",
            COMPETENCE,
            "Handles home and commercial property claims, including escape of water, storm, "
            "fire and subsidence, using the right suppliers and experts.",
            topic="property claims handling",
            alt="Home claims; Household claims; Property damage claims",
            levels="""
            Knows the main property perils and which are usually excluded, such as wear and tear. | Arranges emergency help, such as a plumber or board-up, on first notification.
            Handles escape of water and storm claims using the group's supplier network. | Explains to the customer what is repaired, replaced or cash-settled and why.
            Applies average and underinsurance rules correctly and explains them to the customer. | Manages alternative accommodation for customers who cannot stay at home.
            Handles fire, subsidence and large commercial property claims with loss adjusters. | Negotiates building and contents settlements on claims over £50,000.
            Leads the group's response to weather surge events and major incidents. | Sets property claims handling standards and supplier performance measures.
            """,
        ),
        _competency(
            "CLM-LIA",
            "Liability and quantum assessment",
            COMPETENCE,
            "Decides who is legally responsible for a loss and what it is worth, using "
            "evidence, case law and the relevant protocols.",
            topic="liability and quantum assessment",
            alt="Liability decisions; Quantum; Claims valuation",
            levels="""
            Knows the difference between liability (who pays) and quantum (how much). | Records the evidence that supports a liability decision on the claim file.
            Makes liability decisions on common motor and public liability scenarios. | Values straightforward damage claims from estimates and invoices.
            Assesses split liability and contributory negligence with reasons. | Values injury claims using the Judicial College Guidelines and the Official Injury Claim portal.
            Handles litigated claims and instructs solicitors with clear reasoning. | Reviews the liability and quantum reasoning of colleagues on disputed claims.
            Sets the group's liability positions on emerging case law. | Advises senior leaders on claims with reputational or legal precedent risk.
            """,
        ),
        _competency(
            "CLM-RES",
            "Claims reserving",
            COMPETENCE,
            "Sets and maintains case reserves that reflect the most likely final cost of each "
            "claim, so that financial results are reliable.",
            topic="case reserving",
            alt="Case reserves; Reserve setting; Claims estimates",
            levels="""
            Explains why accurate case reserves matter to the group's financial results. | Enters the initial reserve from the reserving guide for standard claim types.
            Updates reserves whenever new information changes the likely cost. | Documents the reasoning behind every reserve change over the authority limit.
            Reserves complex and injury claims using the full range of likely outcomes. | Reviews reserves on aged claims and removes stale or duplicated amounts.
            Runs reserve reviews with team leaders and challenges under- and over-reserving. | Explains reserve movements to the actuarial and finance teams.
            Sets the case reserving philosophy and authority limits with the reserving actuaries. | Presents large loss reserves to the reserving committee.
            """,
        ),
    ),
    _group(
        "CLM-I",
        "Claims integrity",
        "Protecting honest customers: fraud detection, investigation and recovering costs.",
        _competency(
            "CLM-FRA",
            "Fraud awareness",
            KNOWLEDGE,
            "Recognises the indicators of application and claims fraud and refers concerns "
            "correctly without treating honest customers as suspects.",
            topic="fraud risk indicators",
            alt="Fraud indicators; Counter-fraud awareness; Red flags",
            levels="""
            Knows the common types of insurance fraud, such as staged accidents and inflated claims. | Knows how to refer a concern to the Counter Fraud team.
            Spots fraud indicators on a claim, such as late notification or inconsistent accounts. | Refers concerns with a clear note of what raised them, without alerting the customer.
            Uses database checks such as CUE and the Insurance Fraud Register appropriately. | Keeps honest customers' claims moving while a referral is assessed.
            Briefs teams on new fraud trends seen in their area. | Reviews referral quality and the false-positive rate with the Counter Fraud team.
            Shapes the group's fraud indicators and detection rules with data teams. | Represents the group in industry fraud forums such as the Insurance Fraud Bureau.
            """,
        ),
        _competency(
            "CLM-CFI",
            "Counter-fraud investigation",
            COMPETENCE,
            "Investigates suspected fraud lawfully and proportionately, and builds evidence that "
            "stands up to scrutiny from the customer, the Ombudsman or a court.",
            topic="counter-fraud investigation",
            alt="Fraud investigation; Special investigations; SIU",
            levels="""
            Knows the legal limits on investigation, including surveillance and data access. | Keeps an investigation log that records every step and decision.
            Carries out desktop checks such as open-source, social media and database searches. | Prepares questions for an interview under caution with a senior investigator.
            Runs investigations end to end, including recorded interviews and site visits. | Writes repudiation recommendations that set out the evidence and the legal basis.
            Leads organised-fraud investigations involving several claims or networks. | Works with the police and the Insurance Fraud Enforcement Department on prosecutions.
            Designs the investigation approach and quality standards for the unit. | Gives evidence in court and advises on civil recovery strategy.
            """,
        ),
        _competency(
            "CLM-REC",
            "Recoveries and subrogation",
            COMPETENCE,
            "Identifies and pursues recovery of claims costs from responsible third parties, "
            "insurers and suppliers.",
            topic="recoveries and subrogation",
            alt="Subrogation; Third-party recovery; Cost recovery",
            levels="""
            Knows what subrogation is and which claims have recovery potential. | Flags recovery opportunities on the claim file at first notification.
            Sends recovery demands with the supporting invoices and evidence. | Tracks outstanding recoveries and chases within agreed timescales.
            Negotiates recoveries with other insurers under the industry agreements. | Decides when a recovery is worth litigating, based on cost and prospects.
            Handles complex recoveries, such as product liability or multi-party fires. | Reviews missed recovery opportunities and feeds lessons back to handlers.
            Sets the recoveries strategy and panel solicitor arrangements. | Negotiates market agreements and bulk settlements with other insurers.
            """,
        ),
    ),
)

UNDERWRITING = _group(
    "UWP",
    "Underwriting, pricing and distribution",
    "Choosing which risks to write, at what price, and through which partners.",
    _competency(
        "UWP-URA",
        "Underwriting risk assessment",
        COMPETENCE,
        "Assesses a risk against appetite and guidelines, and decides whether to accept it "
        "and on what terms, conditions and price.",
        topic="underwriting risk assessment",
        alt="Risk selection; Underwriting judgement; Risk appraisal",
        levels="""
        Knows the group's underwriting appetite and where the guidelines are published. | Collects complete and accurate risk information before quoting.
        Underwrites standard risks within referral limits using the rating tools. | Applies standard endorsements and explains them to brokers.
        Underwrites non-standard risks and agrees risk-improvement requirements. | Reads survey and claims-history information and reflects it in the terms offered.
        Writes large or complex risks with a documented rationale within their authority. | Reviews referrals from junior underwriters and explains the decisions.
        Sets underwriting guidelines and authorities for a line of business. | Represents the group in market discussions on emerging risks.
        """,
    ),
    _competency(
        "UWP-PRC",
        "Pricing analytics",
        COMPETENCE,
        "Builds and monitors the models that set technical and street prices, balancing "
        "profitability, competitiveness and fair value.",
        topic="pricing analytics",
        alt="Pricing; Rating; Price optimisation",
        levels="""
        Explains the difference between technical price and the price a customer pays. | Knows the FCA rule that renewal prices must not exceed the equivalent new business price.
        Runs standard rate-change impact reports and explains the results. | Prepares rating tables for deployment with a colleague's review.
        Builds and validates risk models using generalised linear models or gradient boosting. | Monitors conversion, retention and loss ratios after a price change.
        Leads pricing reviews for a product and presents recommendations for approval. | Tests pricing models for proxy discrimination and fair value outcomes.
        Sets the pricing methodology and model governance standards. | Advises the executive on pricing strategy in changing market conditions.
        """,
    ),
    _competency(
        "UWP-PTF",
        "Portfolio performance management",
        COMPETENCE,
        "Monitors the performance of a book of business and acts on trends in loss ratio, "
        "mix, growth and expenses.",
        topic="portfolio performance management",
        alt="Portfolio management; Book management; Performance monitoring",
        levels="""
        Knows the main portfolio measures: written premium, loss ratio and combined ratio. | Reads the monthly portfolio dashboard for their own area.
        Prepares portfolio reports with commentary on the movements. | Spots segments where performance is drifting and raises them.
        Analyses performance by segment, channel and broker and proposes actions. | Tracks the effect of rate and underwriting actions over time.
        Owns the performance plan for a line of business. | Challenges distribution and claims teams on the drivers of results.
        Sets portfolio strategy and targets with the executive. | Presents portfolio performance to the board and to reinsurers.
        """,
    ),
    _competency(
        "UWP-RIN",
        "Reinsurance awareness",
        KNOWLEDGE,
        "Understands how the group's reinsurance programme protects it, and what that means "
        "for underwriting and claims decisions.",
        topic="reinsurance",
        alt="Reinsurance; Treaty and facultative; Risk transfer",
        levels="""
        Knows why insurers buy reinsurance. | Can tell treaty from facultative reinsurance.
        Knows the group's main treaty limits for their line of business. | Checks whether a risk or claim needs to be notified to reinsurers.
        Places facultative cover with the reinsurance team for risks outside treaty. | Reports large losses to reinsurers within the treaty's time limits.
        Explains how treaty terms shape underwriting appetite and pricing. | Supports the annual reinsurance renewal with data and risk information.
        Designs the reinsurance programme with brokers and the capital team. | Negotiates treaty terms and conditions with reinsurers.
        """,
    ),
    _competency(
        "UWP-PRD",
        "Insurance product knowledge",
        KNOWLEDGE,
        "Knows the group's products, covers, add-ons and target markets, and how they "
        "compare with the rest of the market.",
        topic="product knowledge",
        alt="Product knowledge; Cover knowledge; Policy features",
        levels="""
        Names the group's main products and the customers each is designed for. | Finds the product summary and policy wording for each product.
        Explains the main covers and add-ons of the products they handle. | Knows the common exclusions and the customers each product does not suit.
        Compares the group's products with competitors' on cover and price. | Identifies product gaps from customer and broker feedback.
        Advises on product changes and how they affect customers in the target market. | Trains colleagues on new products and wording changes.
        Owns product design and the annual fair value assessment. | Decides when a product should be changed or withdrawn.
        """,
    ),
    _competency(
        "UWP-BRK",
        "Broker relationship management",
        COMPETENCE,
        "Builds profitable, compliant relationships with brokers and intermediaries, and "
        "manages them against clear performance expectations.",
        topic="broker relationship management",
        alt="Broker management; Intermediary relationships; Distribution",
        levels="""
        Knows the group's main brokers and the products each places. | Logs broker contacts and follow-ups in the CRM.
        Handles day-to-day broker queries on quotes, renewals and documents. | Keeps brokers informed of appetite and product changes.
        Runs broker business reviews covering growth, mix and loss ratio. | Agrees joint business plans with brokers and tracks them.
        Manages the group's largest broker relationships and their terms of business. | Oversees brokers' conduct under the product governance rules.
        Sets the group's distribution strategy and broker segmentation. | Negotiates delegated authority and commission arrangements.
        """,
    ),
    _competency(
        "UWP-ACC",
        "Account planning and retention",
        COMPETENCE,
        "Plans and grows commercial accounts, anticipating client needs and protecting "
        "renewals through service and insight.",
        topic="account planning",
        alt="Account management; Client retention; Key account planning",
        levels="""
        Knows who their key accounts are and when each renews. | Keeps account information up to date in the CRM.
        Prepares renewal packs with claims and risk information in good time. | Holds regular service reviews with account contacts.
        Writes account plans with cross-sell and retention actions. | Spots accounts at risk and acts before the renewal.
        Manages a portfolio of complex accounts with several stakeholders. | Coaches colleagues on account planning and commercial conversations.
        Sets the account management model and service standards. | Leads negotiations on the group's most valuable accounts.
        """,
    ),
)

RISK = _group(
    "RCF",
    "Risk, compliance and finance",
    "Meeting our regulatory duties, managing risk and reporting our results accurately.",
    _group(
        "RCF-REG",
        "Regulation",
        "The rules the FCA and PRA expect everyone at Northwind to know and apply.",
        _competency(
            "RCF-CD",
            "Regulatory compliance (Consumer Duty)",
            KNOWLEDGE,
            "Applies the FCA Consumer Duty so that customers receive good outcomes on "
            "products, price and value, understanding and support.",
            topic="the Consumer Duty",
            alt="Consumer Duty; PRIN 2A; Good customer outcomes",
            levels="""
            Can name the four Consumer Duty outcomes: products and services, price and value, consumer understanding and consumer support. | Knows that the Duty applies to every customer contact, not only to sales.
            Avoids sludge, such as making cancellation harder than buying. | Records foreseeable harm spotted during their work and escalates it.
            Tests their own team's processes against the four outcomes. | Explains to customers and colleagues how a decision delivers a fair outcome.
            Designs outcome monitoring measures for a product or journey. | Challenges business decisions that risk foreseeable harm and records the challenge.
            Writes the annual Consumer Duty board report. | Leads the group's response to FCA reviews and multi-firm work on the Duty.
            """,
        ),
        _competency(
            "RCF-SMCR",
            "Senior Managers and Certification Regime (SM&CR)",
            KNOWLEDGE,
            "Knows and applies the conduct rules and the accountability that SM&CR places on "
            "individuals, certified staff and senior managers.",
            topic="SM&CR",
            alt="SM&CR; Conduct rules; Certification regime",
            levels="""
            Knows the individual conduct rules that apply to every employee. | Knows how to report a breach of the conduct rules.
            Applies the conduct rules in daily decisions and records their reasoning. | Completes their annual certification evidence on time if certified.
            Explains to a team how the conduct rules apply to their work. | Keeps decision records that show reasonable steps were taken.
            Maintains the reasonable-steps framework for a senior manager function. | Assesses fitness and propriety for certified roles in their area.
            Advises the board on responsibilities maps and statements of responsibilities. | Leads the group's SM&CR framework and its regulatory notifications.
            """,
        ),
        _competency(
            "RCF-GDPR",
            "Data protection (UK GDPR)",
            KNOWLEDGE,
            "Handles personal and special-category data lawfully, securely and only as much "
            "as needed, in line with UK GDPR and the Data Protection Act 2018.",
            topic="data protection",
            alt="UK GDPR; Data protection; Personal data handling",
            levels="""
            Knows what counts as personal and special-category data, such as health records. | Passes security checks before discussing a policy and never shares data with unverified callers.
            Recognises a subject access request and sends it to the data protection team the same day. | Reports a suspected data breach immediately, whatever its size.
            Applies data minimisation and retention rules to the records they create. | Shares data with suppliers only under an agreement and through approved channels.
            Completes data protection impact assessments for new processes. | Investigates data breaches and recommends actions to stop a repeat.
            Owns the group's data protection framework and records of processing. | Advises the board and liaises with the Information Commissioner's Office.
            """,
        ),
        _competency(
            "RCF-FINC",
            "Financial crime prevention (AML and sanctions)",
            KNOWLEDGE,
            "Recognises and reports money laundering, sanctions breaches, bribery and "
            "facilitation of tax evasion.",
            topic="financial crime prevention",
            alt="Anti-money laundering; Sanctions screening; Anti-bribery",
            levels="""
            Knows the main financial crime risks in general insurance, such as refund laundering. | Knows how to make an internal suspicious activity report.
            Completes sanctions screening checks before paying a claim or refund. | Refuses gifts and hospitality outside the policy and records what was offered.
            Investigates screening alerts and records a clear decision. | Spots unusual payment patterns, such as overpayment followed by a refund request.
            Reviews suspicious activity reports and decides whether to report to the National Crime Agency. | Trains teams on financial crime red flags for their area.
            Owns the financial crime risk assessment and policy. | Acts as or advises the Money Laundering Reporting Officer.
            """,
        ),
    ),
    _competency(
        "RCF-OPR",
        "Operational risk management",
        COMPETENCE,
        "Identifies, assesses and controls operational risks and records incidents so that "
        "the group learns from them.",
        topic="operational risk",
        alt="Operational risk; Risk and control self-assessment; Incident management",
        levels="""
        Knows what an operational risk event is and how to log one. | Follows the controls set out in their team's procedures.
        Logs incidents and near misses promptly with the facts and impact. | Completes control checks on time and records the evidence.
        Runs risk and control self-assessments for a team or process. | Assesses the likelihood and impact of risks consistently with the group's matrix.
        Leads root-cause analysis of significant incidents. | Challenges first-line risk assessments and the design of controls.
        Owns the operational risk framework and risk appetite measures. | Reports the group's operational risk profile to the risk committee.
        """,
    ),
    _competency(
        "RCF-MON",
        "Compliance monitoring and assurance",
        COMPETENCE,
        "Tests whether processes and outcomes meet regulatory and policy requirements, and "
        "reports findings that lead to fixes.",
        topic="compliance monitoring",
        alt="Quality assurance; Compliance testing; File reviews",
        levels="""
        Knows the purpose of compliance monitoring and the three lines of defence. | Provides accurate files and evidence when their work is sampled.
        Completes file reviews against a checklist and records the evidence for each finding. | Grades findings consistently with the monitoring methodology.
        Plans and carries out thematic reviews of a process. | Writes findings that state the risk, the root cause and a practical action.
        Designs the annual monitoring plan from the risk profile. | Tracks actions to closure and tests that they worked.
        Sets the assurance methodology for the group. | Presents assurance results and themes to the audit and risk committees.
        """,
    ),
    _competency(
        "RCF-SEC",
        "Information security awareness",
        KNOWLEDGE,
        "Protects the group's systems and information by following security policy and "
        "recognising phishing, social engineering and unsafe practices.",
        topic="information security",
        alt="Cyber security awareness; Phishing awareness; Information security",
        levels="""
        Locks their screen and keeps passwords and multi-factor codes private. | Recognises a phishing email and reports it with the report button.
        Stores and shares files only in approved locations. | Verifies unusual requests, such as changes to bank details, through a second channel.
        Applies security requirements when changing a process or system. | Handles access requests on the principle of least privilege.
        Investigates security incidents and co-ordinates the response. | Runs security awareness sessions for teams.
        Sets information security policy and standards. | Leads the group's response to major cyber incidents.
        """,
    ),
    _competency(
        "RCF-IFRS",
        "Insurance financial reporting (IFRS 17)",
        KNOWLEDGE,
        "Understands how insurance contracts are measured and reported under IFRS 17 and "
        "prepares figures that reconcile to the ledger.",
        topic="IFRS 17 reporting",
        alt="IFRS 17; Financial reporting; Insurance accounting",
        levels="""
        Knows that IFRS 17 sets how insurance contracts appear in the accounts. | Knows the difference between written and earned premium.
        Prepares standard month-end journals and reconciliations. | Explains the main lines of the insurance service result.
        Produces the premium allocation approach figures for a line of business. | Analyses movements in the liability for incurred claims with the actuaries.
        Reviews IFRS 17 disclosures and challenges unexplained movements. | Explains reporting results to non-finance managers.
        Sets accounting policy for insurance contracts. | Represents the group with the external auditors on judgements and estimates.
        """,
    ),
)

DATA = _group(
    "DAT",
    "Data and digital",
    "Using data, analytics and technology safely to make better decisions.",
    _group(
        "DAT-F",
        "Data foundations",
        "What everyone needs to read, question and present data.",
        _competency(
            "DAT-LIT",
            "Data literacy",
            COMPETENCE,
            "Reads, questions and uses data to make decisions, knowing where it came from and "
            "how far it can be trusted.",
            topic="using data in decisions",
            alt="Data skills; Data-driven decision making; Numeracy",
            levels="""
            Reads a table or chart and describes what it shows. | Asks where a figure came from before relying on it.
            Uses team dashboards to track their own work and results. | Spots figures that look wrong and checks them with the owner.
            Chooses the right measure for a question and explains its limits. | Tells correlation from causation when presenting findings.
            Challenges decisions that rest on weak or biased data. | Helps a team to define the measures that matter for their goals.
            Shapes the group's data strategy and data quality standards. | Champions data-informed decisions at executive level.
            """,
        ),
        _competency(
            "DAT-XLS",
            "Excel modelling",
            COMPETENCE,
            "Builds accurate, well-structured spreadsheet models that others can follow, "
            "check and reuse.",
            topic="spreadsheet modelling",
            alt="Excel; Spreadsheets; Financial modelling",
            levels="""
            Enters and formats data consistently and uses basic formulas such as SUM and AVERAGE. | Sorts and filters lists to answer simple questions.
            Uses lookups, pivot tables and conditional formatting. | Separates inputs, calculations and outputs in a workbook.
            Builds models with scenarios, named ranges and error checks. | Documents the assumptions and checks of every model they share.
            Reviews other people's models for errors and weak structure. | Uses Power Query to automate repeated data preparation.
            Sets the group's spreadsheet standards and end-user computing controls. | Decides which spreadsheet models should move to controlled systems.
            """,
        ),
        _competency(
            "DAT-VIZ",
            "Data visualisation and dashboards",
            COMPETENCE,
            "Presents data in charts and dashboards that answer a clear question and lead to "
            "action.",
            topic="data visualisation",
            alt="Dashboards; Power BI; Charts and reporting",
            levels="""
            Picks a suitable chart type for a simple comparison or trend. | Labels axes, units and sources on every chart.
            Builds a clear chart in Excel or Power BI from prepared data. | Removes clutter so the main message stands out.
            Designs dashboards around the decisions their users make. | Adds filters and drill-downs without making the page slow or confusing.
            Builds governed dashboards on shared data models. | Reviews colleagues' dashboards for clarity and accessibility.
            Sets visual standards for the group's reporting. | Leads the move from static reports to self-service analytics.
            """,
        ),
    ),
    _group(
        "DAT-A",
        "Analytics and programming",
        "Querying and modelling data with code.",
        _competency(
            "DAT-SQL",
            "SQL querying",
            COMPETENCE,
            "Writes correct, efficient SQL to extract, join and summarise data from the "
            "group's warehouses.",
            topic="SQL",
            alt="SQL; Database querying; Data extraction",
            levels="""
            Runs existing queries and understands what SELECT, WHERE and ORDER BY do. | Knows which warehouse tables hold policy, claims and customer data.
            Writes queries with joins, grouping and aggregates. | Checks row counts and totals against a trusted source.
            Uses window functions and common table expressions for analysis. | Writes queries that stay fast on tables with millions of rows.
            Designs reusable views and data models for analysts. | Reviews colleagues' SQL for correctness and performance.
            Sets query and modelling standards for the data platform. | Advises on warehouse design for analytical workloads.
            """,
        ),
        _with_children(
            _competency(
                "DAT-PY",
                "Python for analytics",
                COMPETENCE,
                "Uses Python to prepare data, analyse it and automate repeatable analysis, "
                "with code others can read and rerun.",
                topic="Python analysis",
                alt="Python; Analytical programming; Jupyter notebooks",
                levels="""
                Runs an existing notebook and changes its parameters. | Knows what Python is used for in the analytics team.
                Writes simple scripts with variables, loops and functions. | Reads data from CSV and Excel files into Python.
                Writes analysis in functions with tests and version control. | Packages repeatable analysis so a colleague can rerun it.
                Builds analysis pipelines that run on a schedule with logging. | Reviews colleagues' code and suggests simpler, safer designs.
                Sets the team's Python standards and shared libraries. | Chooses the tools and platforms for analytical computing.
                """,
            ),
            _competency(
                "DAT-PD",
                "Data wrangling with pandas",
                COMPETENCE,
                "Cleans, reshapes and joins tabular data with pandas, checking the result at "
                "each step.",
                topic="data wrangling with pandas",
                alt="pandas; Data cleaning; Data preparation",
                levels="""
                Loads a file into a DataFrame and inspects its columns and types. | Selects rows and columns with simple filters.
                Cleans missing values and wrong types with documented rules. | Groups and aggregates data to produce summary tables.
                Merges datasets and checks for duplicated or lost rows. | Reshapes data between long and wide formats for analysis.
                Writes vectorised transformations that scale to millions of rows. | Adds validation checks so bad input fails loudly.
                Designs the team's data preparation patterns and checks. | Decides when a workload should move from pandas to the warehouse.
                """,
            ),
            _competency(
                "DAT-STAT",
                "Statistical modelling in Python",
                COMPETENCE,
                "Builds, validates and explains statistical models such as generalised linear "
                "models with Python libraries.",
                topic="statistical modelling",
                alt="Statistical modelling; Predictive modelling; Machine learning",
                levels="""
                Knows what a statistical model is and what it can and cannot show. | Reads model output such as coefficients and p-values with help.
                Fits a simple regression and checks its assumptions. | Splits data into training and test sets before judging a model.
                Builds generalised linear models for frequency and severity. | Validates models with lift charts, residuals and out-of-time tests.
                Builds and compares machine learning models with explainability tools. | Reviews colleagues' models for leakage, bias and overfitting.
                Sets model risk and validation standards. | Advises the executive on what models can safely be used for.
                """,
            ),
        ),
    ),
    _competency(
        "DAT-ITSM",
        "IT service management (ITIL)",
        COMPETENCE,
        "Restores and improves IT services for colleagues using ITIL practices for incidents, "
        "requests, problems and changes.",
        topic="IT service management",
        alt="ITIL; Service desk; Incident management",
        levels="""
        Logs incidents and requests with a clear description and priority. | Knows the difference between an incident, a request and a problem.
        Resolves common incidents, such as password resets and access problems, at first contact. | Updates tickets so users always know the status.
        Diagnoses complex incidents and routes them to the right resolver group. | Writes knowledge articles that let colleagues fix recurring issues.
        Runs problem management to remove the root cause of recurring incidents. | Assesses change requests for risk and impact.
        Designs the service management processes and measures. | Negotiates service levels with the business and suppliers.
        """,
    ),
    _competency(
        "DAT-AI",
        "Responsible use of AI tools",
        COMPETENCE,
        "Uses generative AI and automation tools to work better, while protecting customer "
        "data and checking every output.",
        topic="AI tools",
        alt="Generative AI; Copilot; AI literacy",
        levels="""
        Knows which AI tools are approved for use at Northwind. | Never enters customer or personal data into unapproved tools.
        Uses approved assistants to draft emails and summaries and checks the facts before use. | Says when AI helped to produce a piece of work.
        Writes effective prompts and reuses them for repeated tasks. | Spots hallucinations, bias and outdated information in AI output.
        Redesigns team processes to use AI safely and measures the benefit. | Assesses the risks of a new AI use case with data protection and risk teams.
        Sets the group's AI use policy and guardrails. | Leads AI adoption with clear evidence of value and risk.
        """,
    ),
)

LEADERSHIP = _group(
    "LPS",
    "Leadership and professional skills",
    "Leading people, working with others and managing oneself.",
    _group(
        "LPS-L",
        "Leading people",
        "Getting the best from people and taking them through change.",
        _competency(
            "LPS-COA",
            "Coaching others",
            BEHAVIOUR,
            "Helps colleagues to improve through questions, observation and honest feedback, "
            "rather than by doing the work for them.",
            topic="coaching",
            alt="Coaching; Mentoring; Developing others",
            levels="""
            Shares know-how with new colleagues when asked. | Gives specific, kind feedback on what went well.
            Buddies new starters through their first weeks. | Gives feedback on what to change, with an example.
            Holds regular coaching conversations using a model such as GROW. | Observes work, such as call listening or file reviews, and agrees one change at a time.
            Builds a coaching culture in their team and coaches other leaders. | Tailors coaching to the person's experience, confidence and goals.
            Designs the group's coaching programme and accredits coaches. | Coaches senior leaders through difficult transitions.
            """,
        ),
        _competency(
            "LPS-CHG",
            "Leading change",
            BEHAVIOUR,
            "Explains why change is needed, brings people with them and makes new ways of "
            "working stick.",
            topic="leading change",
            alt="Change management; Transformation; Managing change",
            levels="""
            Is open to new ways of working and tries them in good faith. | Raises concerns about a change constructively.
            Adopts changes quickly and helps colleagues to follow new processes. | Suggests improvements to how a change is rolled out.
            Explains the reasons for a change to their team and listens to concerns. | Plans the people side of a change in their area, including training and support.
            Leads significant change across teams and manages resistance. | Measures adoption and adjusts the plan when it is not working.
            Leads group-wide transformation and the story that goes with it. | Builds the group's capability to change, not just individual projects.
            """,
        ),
        _competency(
            "LPS-PERF",
            "Performance conversations",
            BEHAVIOUR,
            "Sets clear expectations, reviews performance fairly and deals with under- and "
            "over-performance promptly.",
            topic="performance conversations",
            alt="Performance management; One-to-ones; Objective setting",
            levels="""
            Prepares for their own one-to-ones with examples of their work. | Knows their objectives and how they are measured.
            Sets SMART objectives with their manager and tracks progress. | Asks for feedback and acts on it.
            Holds regular, documented one-to-ones with each team member. | Rates performance consistently using evidence, not impressions.
            Manages formal performance improvement with HR support. | Calibrates ratings fairly across teams.
            Designs the performance approach for a function. | Uses performance data to spot capability gaps and plan development.
            """,
        ),
        _competency(
            "LPS-ER",
            "Employee relations and employment law",
            KNOWLEDGE,
            "Applies employment law and the group's people policies to handle absence, conduct, "
            "grievances and reasonable adjustments fairly.",
            topic="employee relations",
            alt="Employee relations; Employment law; People policies",
            levels="""
            Knows where the people policies are and who in HR to contact. | Knows their own rights and duties under the absence and conduct policies.
            Applies the absence policy, including return-to-work conversations. | Makes simple reasonable adjustments with occupational health advice.
            Runs investigations and hearings for conduct and grievance cases. | Keeps records that would stand up at an employment tribunal.
            Advises managers on complex cases, including disability and whistleblowing. | Spots trends in cases and proposes policy changes.
            Sets people policy in line with changes to employment law. | Manages tribunal claims and settlements with legal advisers.
            """,
        ),
    ),
    _group(
        "LPS-W",
        "Working with others",
        "Communicating, influencing and building agreement.",
        _competency(
            "LPS-STK",
            "Stakeholder management",
            COMPETENCE,
            "Identifies who has a stake in a piece of work, understands what they need and "
            "keeps them engaged through to delivery.",
            topic="stakeholder management",
            alt="Stakeholder engagement; Relationship management; Influencing stakeholders",
            levels="""
            Knows who they work for and who relies on their work. | Responds to stakeholders' requests promptly and keeps promises.
            Keeps stakeholders updated without being chased. | Raises risks and delays early and with options.
            Maps stakeholders by interest and influence and plans contact accordingly. | Balances conflicting requests and agrees priorities openly.
            Builds trusted relationships with senior stakeholders across the group. | Gains support for contentious proposals through early engagement.
            Manages relationships with regulators, investors and key partners. | Aligns stakeholders across the group behind long-term strategy.
            """,
        ),
        _competency(
            "LPS-NEG",
            "Negotiation",
            COMPETENCE,
            "Prepares for and conducts negotiations that reach durable agreements and protect "
            "relationships.",
            topic="negotiation",
            alt="Negotiating; Settlement negotiation; Commercial negotiation",
            levels="""
            Knows their authority limits before agreeing anything. | Listens to the other party's position and summarises it accurately.
            Prepares a simple negotiation with a target, a walk-away point and the evidence. | Negotiates routine settlements or terms within guidelines.
            Uses interests, options and trade-offs to reach agreements. | Keeps control of difficult negotiations without damaging the relationship.
            Leads high-value negotiations with brokers, suppliers or claimants' solicitors. | Coaches colleagues on preparing and running negotiations.
            Leads the group's most significant commercial negotiations. | Sets negotiation strategy for major contracts and disputes.
            """,
        ),
        _competency(
            "LPS-WRI",
            "Written communication",
            COMPETENCE,
            "Writes clear, accurate and well-organised letters, emails and reports for their "
            "audience.",
            topic="written communication",
            alt="Writing skills; Business writing; Plain English",
            levels="""
            Writes correct, polite emails using the group's templates. | Checks spelling, names and figures before sending.
            Writes short letters and notes that put the main point first. | Uses plain English and avoids jargon with customers.
            Writes reports and decision letters with a clear structure and reasoning. | Adapts tone and detail for customers, brokers and colleagues.
            Writes papers for senior committees that lead to a decision. | Edits colleagues' writing to make it shorter and clearer.
            Sets the group's writing standards and templates. | Writes for the board, regulators and the public on sensitive matters.
            """,
        ),
        _competency(
            "LPS-PRE",
            "Presenting and influencing",
            COMPETENCE,
            "Presents ideas clearly and persuasively, in person and online, and adapts to the "
            "audience's reaction.",
            topic="presenting",
            alt="Presentation skills; Public speaking; Influencing",
            levels="""
            Shares updates clearly in team meetings. | Prepares notes and timings for a short presentation.
            Presents to their own team with clear, simple slides. | Answers questions honestly and follows up on what they could not answer.
            Presents recommendations to managers and other teams with evidence. | Reads the room and adapts their message as they go.
            Presents to senior leaders and external audiences with confidence. | Persuades sceptical audiences by addressing their concerns directly.
            Represents the group at industry events and in the media. | Coaches senior colleagues for high-stakes presentations.
            """,
        ),
    ),
    _group(
        "LPS-P",
        "Personal effectiveness",
        "Managing one's own work, thinking and development.",
        _competency(
            "LPS-TIME",
            "Time management",
            BEHAVIOUR,
            "Plans and prioritises work to meet deadlines and service levels without last-minute "
            "rushes.",
            topic="time management",
            alt="Prioritisation; Workload management; Planning and organising",
            levels="""
            Arrives prepared and keeps to agreed break and meeting times. | Keeps a list of their tasks and deadlines.
            Plans their day to meet service levels and diary commitments. | Tells their manager early when they cannot meet a deadline.
            Prioritises by urgency and impact when demands compete. | Blocks time for focused work and protects it.
            Plans the team's workload and rebalances it as demand changes. | Helps colleagues to prioritise when they are overloaded.
            Designs workforce planning and scheduling for a function. | Sets priorities for a function in line with group strategy.
            """,
        ),
        _competency(
            "LPS-PSI",
            "Problem solving and continuous improvement",
            COMPETENCE,
            "Finds the root cause of problems and improves processes step by step, using data "
            "and the people who do the work.",
            topic="continuous improvement",
            alt="Problem solving; Lean; Process improvement",
            levels="""
            Describes a problem clearly with examples. | Suggests small improvements to their own work.
            Uses simple tools such as five whys to find causes. | Tests a fix on a small scale before asking for it to be adopted.
            Maps a process and removes waste and failure demand. | Measures the effect of an improvement against a baseline.
            Leads improvement projects across teams using Lean or Six Sigma methods. | Coaches colleagues through structured problem solving.
            Sets the group's continuous improvement approach. | Builds improvement capability across the group.
            """,
        ),
        _competency(
            "LPS-COM",
            "Commercial and financial acumen",
            COMPETENCE,
            "Understands how Northwind makes money and weighs the cost, income and risk of "
            "decisions.",
            topic="commercial acumen",
            alt="Business acumen; Financial awareness; Commercial awareness",
            levels="""
            Knows how premiums, claims and expenses make up the group's result. | Uses resources carefully and avoids unnecessary cost.
            Considers cost and value when making day-to-day decisions. | Explains the main financial measures of their team.
            Builds simple business cases with costs, benefits and risks. | Manages a budget and explains variances.
            Makes investment decisions using return, risk and payback. | Challenges proposals that do not add value.
            Shapes the group's commercial strategy and capital allocation. | Explains the group's financial position to investors and the board.
            """,
        ),
        _competency(
            "LPS-LRN",
            "Designing and delivering learning",
            COMPETENCE,
            "Analyses learning needs and designs, delivers and evaluates learning that changes "
            "performance at work.",
            topic="learning design and delivery",
            alt="Training delivery; Instructional design; Facilitation",
            levels="""
            Supports a trainer by preparing rooms, materials and attendance lists. | Collects course feedback and passes it on.
            Delivers prepared sessions confidently to small groups. | Keeps sessions interactive with questions and activities.
            Designs sessions and e-learning from a training needs analysis. | Evaluates learning at Kirkpatrick levels 1 and 2 and improves the design.
            Designs blended programmes tied to business measures. | Evaluates behaviour change and results with the business.
            Sets the group's learning design standards and evaluation approach. | Proves the return on learning investment to the executive.
            """,
        ),
    ),
)

CLUSTERS: tuple[CompetencySpec, ...] = (CUSTOMER, CLAIMS, UNDERWRITING, RISK, DATA, LEADERSHIP)


def walk(
    nodes: tuple[CompetencySpec, ...] = CLUSTERS, parent_code: str | None = None, depth: int = 0
) -> list[tuple[CompetencySpec, str | None, int, int]]:
    """Every node in tree order as (spec, parent code, depth, position among siblings)."""
    rows: list[tuple[CompetencySpec, str | None, int, int]] = []
    for position, node in enumerate(nodes, start=1):
        rows.append((node, parent_code, depth, position))
        rows.extend(walk(node.children, node.code, depth + 1))
    return rows
