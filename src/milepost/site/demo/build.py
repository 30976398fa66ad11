"""Write (and remove) the Northwind Insurance Group demo organisation.

The content comes from the plain-data modules beside this one; here it is written in bulk,
in one transaction, so a build either completes or leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q

from milepost.accounts.models import OrgUnit, Role, User
from milepost.accounts.notifications import emails_held
from milepost.accounts.services import rebuild_unit_paths
from milepost.frameworks.models import (
    Competency,
    CompetencyLevel,
    Framework,
    JobProfile,
    JobProfileRequirement,
    ProficiencyScale,
    ScaleLevel,
)
from milepost.frameworks.tree import rebuild_competency_paths
from milepost.needs.models import DemandTheme, Need, PlannedTraining
from milepost.people.models import Assessment, Employee
from milepost.reviews.models import ReviewCycle
from milepost.site.demo import catalogue
from milepost.site.demo.assessments import plan_assessments
from milepost.site.demo.clients import (
    clients_in_the_way,
    delete_demo_clients,
    demo_clients,
    load_demo_clients,
)
from milepost.site.demo.needs import load_demo_needs
from milepost.site.demo.offers import (
    OFFER_CODE_PREFIX,
    delete_demo_offers,
    load_demo_offers,
    offers_in_the_way,
)
from milepost.site.demo.organisation import (
    DEMO_EMPLOYEE_TEAM,
    DEMO_LINE_MANAGER_UNIT,
    EMAIL_DOMAIN,
    EMPLOYEE_ID_PREFIX,
    ROOT_CODE,
    PersonPlan,
    plan_people,
    walk_units,
)
from milepost.site.demo.profiles import PROFILE_CODE_PREFIX, PROFILES
from milepost.site.demo.proposals import delete_demo_proposals, load_demo_proposals
from milepost.site.demo.reviews import DEMO_CYCLE_NAMES, load_demo_reviews

DEMO_PASSWORD = "milepost-demo"
DEFAULT_SIZE = 2000
DEFAULT_SEED = 20260302
EMPLOYER_DOMAIN = "harbour-logistics.example"
DEMO_EMAIL_DOMAINS = (EMAIL_DOMAIN, EMPLOYER_DOMAIN)
BATCH_SIZE = 5000


class DemoError(Exception):
    """The demo cannot be built as asked; the message says what to do."""


@dataclass(frozen=True)
class LoginSpec:
    username: str
    role: Role
    sees: str
    # Who the login is when it is not linked to an employee record.
    first_name: str = ""
    last_name: str = ""
    email_domain: str = EMAIL_DOMAIN


LOGINS: tuple[LoginSpec, ...] = (
    LoginSpec("admin", Role.ADMIN, "everything, and the Django admin at /admin/", "Morgan", "Reed"),
    LoginSpec(
        "coordinator",
        Role.COORDINATOR,
        "the whole organisation; maintains framework, job profiles and people",
    ),
    LoginSpec(
        "account.manager",
        Role.ACCOUNT_MANAGER,
        "the whole organisation (read); owns the business units as clients",
        "Jordan",
        "Blake",
    ),
    LoginSpec(
        "account.manager2",
        Role.ACCOUNT_MANAGER,
        "the whole organisation (read); owns outside employers (Harbour Logistics, ...)",
        "Ellis",
        "Grant",
    ),
    LoginSpec(
        "line.manager", Role.LINE_MANAGER, "the Claims business unit and every team below it"
    ),
    LoginSpec("employee", Role.EMPLOYEE, "own record and assessment history only"),
    LoginSpec(
        "employer",
        Role.EMPLOYER_CONTACT,
        "their own client's portal (Harbour Logistics Ltd); no internal units or people",
        "Priya",
        "Nair",
        EMPLOYER_DOMAIN,
    ),
    LoginSpec(
        "quality.lead",
        Role.QUALITY_LEAD,
        "the whole organisation (read); the quality standard and its evidence",
        "Sam",
        "Okoye",
    ),
    LoginSpec("executive", Role.EXECUTIVE, "read-only dashboards across the whole organisation"),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    name: str
    employee: str
    sees: str


@dataclass(frozen=True)
class DemoCounts:
    business_units: int
    units: int
    competencies: int
    competency_groups: int
    competency_levels: int
    job_profiles: int
    requirements: int
    employees: int
    assessed_employees: int
    assessments: int
    needs: int
    logins: int
    clients: int = 0


def _silent(message: str) -> None:
    return None


def demo_exists() -> bool:
    return OrgUnit.objects.filter(code=ROOT_CODE).exists()


def _demo_users() -> Q:
    by_domain = Q()
    for domain in DEMO_EMAIL_DOMAINS:
        by_domain |= Q(email__iendswith=f"@{domain}")
    return Q(username__in=[login.username for login in LOGINS]) & by_domain


# The demo opens review cycles and raises needs through the services, which fill inboxes; those
# messages are not news to anyone's mailbox, so no email leaves while the demo is built.
@emails_held()
@transaction.atomic
def build_demo(
    *,
    size: int = DEFAULT_SIZE,
    seed: int = DEFAULT_SEED,
    report: Callable[[str], None] = _silent,
) -> DemoCounts:
    """Load the demo organisation: framework, job profiles, units, people, assessments, logins.

    Raises DemoError if it is already loaded or if existing rows use the demo's codes.
    """
    try:
        people = plan_people(size=size, seed=seed)
    except ValueError as error:
        raise DemoError(str(error)) from error
    _check_nothing_in_the_way(people)
    # Demo logins can outlive their demo when its units were removed by hand.
    User.objects.filter(_demo_users()).delete()

    scale = _write_scale()
    framework, competency_ids = _write_framework(scale)
    groups = sum(1 for spec, *_ in catalogue.walk() if spec.kind == catalogue.GROUP)
    report(
        f"framework  {framework.name}: {len(competency_ids) - groups} competencies "
        f"in {groups} groups, 5 levels each"
    )
    profile_ids, requirement_count = _write_profiles(competency_ids)
    report(f"profiles   {len(profile_ids)} job profiles, {requirement_count} requirements")
    unit_ids = _write_units()
    report(f"units      {len(unit_ids)} organisation units")
    employee_ids = _write_employees(people, unit_ids, profile_ids)
    report(f"people     {len(employee_ids)} employees")
    user_by_person = _write_logins(people, employee_ids)
    assessed, assessment_count = _write_assessments(
        people, employee_ids, competency_ids, user_by_person, seed
    )
    report(f"history    {assessment_count} assessments of {assessed} employees")
    cycle_count = load_demo_reviews()
    report(f"reviews    {cycle_count} review cycles (two closed annual rounds, one open)")
    need_count = load_demo_needs()
    report(f"needs      {need_count} needs raised, mapped to competencies and triaged")
    offer_count = load_demo_offers(competency_ids, profile_ids)
    report(f"catalogue  {offer_count} courses and qualifications, 3 training tracks")
    clients = load_demo_clients(seed=seed)
    report(
        f"clients    {clients.internal} business units and {clients.external} employers "
        f"({clients.unowned} without an owner), {clients.contacts} contacts, "
        f"{clients.interactions} interactions, {clients.maps_signed_off} signed-off stakeholder "
        f"maps and {clients.maps_waiting} waiting, {clients.survey_responses} survey answers"
    )
    proposals = load_demo_proposals()
    states = ", ".join(f"{n} {status}" for status, n in sorted(proposals.by_status.items()))
    report(
        f"proposals  {proposals.issues} business issues, {proposals.engagements} consultancy "
        f"engagements, {proposals.proposals} proposals in {proposals.versions} versions "
        f"({states})"
    )
    return DemoCounts(
        business_units=sum(1 for unit, _ in walk_units() if unit.kind == "business_unit"),
        units=len(unit_ids),
        competencies=len(competency_ids) - groups,
        competency_groups=groups,
        competency_levels=(len(competency_ids) - groups) * 5,
        job_profiles=len(profile_ids),
        requirements=requirement_count,
        employees=len(employee_ids),
        assessed_employees=assessed,
        assessments=assessment_count,
        needs=need_count,
        logins=len(LOGINS),
        clients=clients.internal + clients.external,
    )


def _check_nothing_in_the_way(people: list[PersonPlan]) -> None:
    if demo_exists():
        raise DemoError("The demo organisation is already loaded; use --reset to rebuild it.")
    if OrgUnit.objects.filter(code__in=[unit.code for unit, _ in walk_units()]).exists():
        raise DemoError(
            f"Organisation units with the demo's codes ({ROOT_CODE}-...) already exist; "
            "rename them before loading the demo."
        )
    if Framework.objects.filter(code=catalogue.FRAMEWORK_CODE).exists():
        raise DemoError(
            f"A framework with code '{catalogue.FRAMEWORK_CODE}' already exists; "
            "run `milepost demo --reset` to replace it, or rename it."
        )
    if JobProfile.objects.filter(code__startswith=PROFILE_CODE_PREFIX).exists():
        raise DemoError(
            f"Job profiles with codes starting '{PROFILE_CODE_PREFIX}' already exist; "
            "run `milepost demo --reset` to replace them, or rename them."
        )
    if offers_in_the_way():
        raise DemoError(
            f"Courses, qualifications or tracks with codes starting '{OFFER_CODE_PREFIX}' "
            "already exist; run `milepost demo --reset` to replace them, or rename them."
        )
    clash = (
        Employee.objects.filter(employee_id__in=[person.employee_id for person in people])
        .values_list("employee_id", flat=True)
        .first()
    )
    if clash:
        raise DemoError(
            f"Employee ID '{clash}' is already taken; the demo numbers its people "
            f"{EMPLOYEE_ID_PREFIX}00001 upwards. Load the demo into an empty database."
        )
    if problem := clients_in_the_way():
        raise DemoError(problem)
    usernames = [login.username for login in LOGINS]
    taken = (
        User.objects.filter(username__in=usernames)
        .exclude(_demo_users())
        .values_list("username", flat=True)
        .first()
    )
    if taken:
        raise DemoError(
            f"User '{taken}' already exists and is not a demo login; rename that user "
            "or load the demo into an empty database."
        )


def _write_scale() -> ProficiencyScale:
    scale, _ = ProficiencyScale.objects.get_or_create(
        name=catalogue.SCALE_NAME, defaults={"min_level": 1, "max_level": 5}
    )
    existing = set(scale.levels.values_list("value", flat=True))
    ScaleLevel.objects.bulk_create(
        ScaleLevel(scale=scale, value=value, name=name, description=description)
        for value, name, description in catalogue.SCALE_LEVELS
        if value not in existing
    )
    return scale


def _write_framework(scale: ProficiencyScale) -> tuple[Framework, dict[str, int]]:
    framework = Framework.objects.create(
        code=catalogue.FRAMEWORK_CODE,
        name=catalogue.FRAMEWORK_NAME,
        description=catalogue.FRAMEWORK_DESCRIPTION,
        version=catalogue.FRAMEWORK_VERSION,
        scale=scale,
    )
    nodes = catalogue.walk()
    ids: dict[str, int] = {}
    for depth in range(max(depth for _, _, depth, _ in nodes) + 1):
        created = Competency.objects.bulk_create(
            Competency(
                framework=framework,
                code=spec.code,
                name=spec.name,
                kind=spec.kind,
                alt_labels="\n".join(spec.alt_labels),
                description=spec.description,
                parent_id=ids[parent_code] if parent_code else None,
                sort_key=f"{position:03d}",
            )
            for spec, parent_code, node_depth, position in nodes
            if node_depth == depth
        )
        ids.update({competency.code: competency.pk for competency in created})
    rebuild_competency_paths(framework.pk)
    level_names = {value: name for value, name, _ in catalogue.SCALE_LEVELS}
    CompetencyLevel.objects.bulk_create(
        (
            CompetencyLevel(
                competency_id=ids[spec.code],
                level=level,
                title=level_names[level],
                indicators="\n".join(spec.level_indicators(level)),
            )
            for spec, *_ in nodes
            if spec.kind != catalogue.GROUP
            for level in range(1, 6)
        ),
        batch_size=500,
    )
    return framework, ids


def _write_profiles(competency_ids: dict[str, int]) -> tuple[dict[str, int], int]:
    created = JobProfile.objects.bulk_create(
        JobProfile(
            code=profile.code,
            title=profile.title,
            description=profile.description,
            alt_titles="\n".join(profile.alt_titles),
        )
        for profile in PROFILES
    )
    ids = {profile.key: row.pk for profile, row in zip(PROFILES, created, strict=True)}
    requirements = [
        JobProfileRequirement(
            job_profile_id=ids[profile.key],
            competency_id=competency_ids[requirement.competency_code],
            required_level=requirement.level,
            importance=requirement.importance,
            essential=requirement.essential,
        )
        for profile in PROFILES
        for requirement in profile.requirements
    ]
    JobProfileRequirement.objects.bulk_create(requirements, batch_size=500)
    return ids, len(requirements)


def _write_units() -> dict[str, int]:
    units = walk_units()
    depth_of: dict[str, int] = {}
    for unit, parent_code in units:
        depth_of[unit.code] = depth_of[parent_code] + 1 if parent_code else 0
    ids: dict[str, int] = {}
    for depth in range(max(depth_of.values()) + 1):
        created = OrgUnit.objects.bulk_create(
            OrgUnit(
                code=unit.code,
                name=unit.name,
                kind=unit.kind,
                parent_id=ids[parent_code] if parent_code else None,
            )
            for unit, parent_code in units
            if depth_of[unit.code] == depth
        )
        ids.update({unit.code: unit.pk for unit in created})
    rebuild_unit_paths()
    return ids


def _write_employees(
    people: list[PersonPlan], unit_ids: dict[str, int], profile_ids: dict[str, int]
) -> list[int]:
    """Create employees wave by wave down the hierarchy, so each manager already has a key."""
    employee_ids: list[int] = [0] * len(people)
    for level in range(max(person.level for person in people) + 1):
        wave = [person for person in people if person.level == level]
        created = Employee.objects.bulk_create(
            (
                Employee(
                    employee_id=person.employee_id,
                    first_name=person.first_name,
                    last_name=person.last_name,
                    email=person.email,
                    unit_id=unit_ids[person.unit_code],
                    manager_id=(
                        employee_ids[person.manager_index]
                        if person.manager_index is not None
                        else None
                    ),
                    job_title=person.job_title,
                    job_profile_id=profile_ids[person.profile_key] if person.profile_key else None,
                    start_date=person.start_date,
                )
                for person in wave
            ),
            batch_size=500,
        )
        for person, employee in zip(wave, created, strict=True):
            employee_ids[person.index] = employee.pk
    return employee_ids


def linked_people(people: list[PersonPlan]) -> dict[str, PersonPlan]:
    """Which planned person each demo login is (logins absent here have no employee record)."""

    def first(match: Callable[[PersonPlan], bool]) -> PersonPlan | None:
        return next((person for person in people if match(person)), None)

    chosen = {
        "executive": people[0],
        "line.manager": first(
            lambda p: p.unit_code == DEMO_LINE_MANAGER_UNIT and p.profile_key == "director"
        ),
        "employee": first(
            lambda p: p.unit_code == DEMO_EMPLOYEE_TEAM and p.profile_key == "claims-handler"
        ),
        "coordinator": first(lambda p: p.profile_key == "ld-coordinator"),
    }
    return {username: person for username, person in chosen.items() if person is not None}


def _write_logins(people: list[PersonPlan], employee_ids: list[int]) -> dict[int, int]:
    """Create one login per role; returns person index -> user id for the linked ones."""
    password = make_password(DEMO_PASSWORD)  # hashed once: the demo password is public anyway
    linked = linked_people(people)
    users = []
    for login in LOGINS:
        person = linked.get(login.username)
        users.append(
            User(
                username=login.username,
                role=login.role,
                first_name=person.first_name if person else login.first_name,
                last_name=person.last_name if person else login.last_name,
                email=person.email if person else f"{login.username}@{login.email_domain}",
                password=password,
                is_staff=login.role == Role.ADMIN,
                is_superuser=login.role == Role.ADMIN,
            )
        )
    created = {user.username: user for user in User.objects.bulk_create(users)}
    user_by_person = {}
    for username, person in linked.items():
        user = created[username]
        Employee.objects.filter(pk=employee_ids[person.index]).update(user=user)
        user_by_person[person.index] = user.pk
    return user_by_person


def _chunks(rows: Iterable[Assessment], size: int) -> Iterator[list[Assessment]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _write_assessments(
    people: list[PersonPlan],
    employee_ids: list[int],
    competency_ids: dict[str, int],
    user_by_person: dict[int, int],
    seed: int,
) -> tuple[int, int]:
    linked = linked_people(people)
    always = [person.index for person in linked.values()]
    assessed: set[int] = set()

    def rows() -> Iterator[Assessment]:
        for plan in plan_assessments(people, seed=seed, always_assess=always):
            assessed.add(plan.person_index)
            person = people[plan.person_index]
            assessor = plan.person_index if plan.kind == "self" else person.manager_index
            yield Assessment(
                employee_id=employee_ids[plan.person_index],
                competency_id=competency_ids[plan.competency_code],
                kind=plan.kind,
                level=plan.level,
                assessed_on=plan.assessed_on,
                assessed_by_id=user_by_person.get(assessor) if assessor is not None else None,
                note=plan.note,
            )

    total = 0
    for chunk in _chunks(rows(), BATCH_SIZE):
        Assessment.objects.bulk_create(chunk, batch_size=1000)
        total += len(chunk)
    return len(assessed), total


@transaction.atomic
def delete_demo() -> None:
    """Remove everything the demo created (its units, people, logins, framework, profiles)."""
    root = OrgUnit.objects.filter(code=ROOT_CODE).first()
    delete_demo_proposals(demo_clients())
    delete_demo_clients(_demo_users())
    demo_needs = Need.objects.filter(requester__in=User.objects.filter(_demo_users()))
    if root is not None:
        demo_needs = demo_needs | Need.objects.filter(unit__path__startswith=root.path)
    DemandTheme.objects.filter(needs__in=demo_needs).delete()
    PlannedTraining.objects.filter(planned_by__in=User.objects.filter(_demo_users())).delete()
    demo_needs.delete()
    if root is not None:
        Employee.objects.filter(unit__path__startswith=root.path).delete()
    ReviewCycle.objects.filter(name__in=DEMO_CYCLE_NAMES).delete()
    User.objects.filter(_demo_users()).delete()
    delete_demo_offers()
    JobProfile.objects.filter(code__startswith=PROFILE_CODE_PREFIX).delete()
    Framework.objects.filter(code=catalogue.FRAMEWORK_CODE).delete()
    if root is not None:
        units = OrgUnit.objects.filter(path__startswith=root.path)
        # Units protect their children, so remove the deepest first.
        for depth in sorted(set(units.values_list("depth", flat=True)), reverse=True):
            OrgUnit.objects.filter(path__startswith=root.path, depth=depth).delete()


def demo_logins() -> list[DemoLogin]:
    """The demo logins as they are in the database, with the employee each is linked to."""
    users = {
        user.username: user
        for user in User.objects.filter(_demo_users()).select_related("employee__unit")
    }
    rows = []
    for login in LOGINS:
        user = users.get(login.username)
        if user is None:
            continue
        employee = getattr(user, "employee", None)
        rows.append(
            DemoLogin(
                username=user.username,
                role=Role(user.role).label,
                name=user.get_full_name(),
                employee=f"{employee.job_title}, {employee.unit.name}" if employee else "",
                sees=login.sees,
            )
        )
    return rows
