"""Reads for the home page (each role's to-dos) and the audit trail, each narrowed to what the
user may see.

The home page is a list of `ToDo` sections chosen by role (`home_page`): what the person should
act on first, a few lines each, a link to the full list and a helpful word when there is nothing
to do. Every section costs one or two queries; `site/tests/test_home.py` caps them per role.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, IntegerField, Model, Q, QuerySet, Subquery, Value
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from milepost.accounts import audit
from milepost.accounts.access import (
    AnyUser,
    can_administer_people,
    can_submit_needs,
    can_view_audit_trail,
    can_view_clients,
    can_view_demand,
    own_employee_id,
)
from milepost.accounts.models import Role, User
from milepost.accounts.selectors import visible_units
from milepost.catalogue.models import Course, Qualification
from milepost.clients import selectors as client_selectors
from milepost.frameworks.models import Competency, Framework, JobProfile
from milepost.lib.wording import counted
from milepost.needs.demand.dashboard import pull_ratio, visible_plan
from milepost.needs.models import OPEN_STATUSES, Status
from milepost.needs.selectors import visible_needs
from milepost.people.selectors import visible_employees
from milepost.proposals import selectors as proposal_selectors
from milepost.reviews.models import DevelopmentPlanItem, ReviewCycle, ReviewParticipant
from milepost.reviews.selectors import (
    open_cycles_progress,
    own_reviews,
    reviews_waiting_for_manager,
)

LINES = 5  # lines a section shows before "see all"
SLOW_RESPONSE_DAYS = 10  # a need waiting longer than this for a first response is late


@dataclass(frozen=True)
class Line:
    text: str
    url: str = ""
    note: str = ""
    late: bool = False


@dataclass
class ToDo:
    """One section of the home page."""

    key: str
    title: str
    summary: str  # one sentence with the count(s), or the empty state when there is nothing
    lines: list[Line] = field(default_factory=list)
    link: str = ""
    link_text: str = ""
    empty: bool = False


@dataclass
class HomePage:
    todos: list[ToDo]
    counts: dict[str, Any]  # home_summary
    glance: list[tuple[str, str]]  # (count in words, link) for the "at a glance" line


def _days_ago(moment: datetime.datetime, now: datetime.datetime) -> str:
    days = (now - moment).days
    return "today" if days < 1 else f"{counted(days, 'day')} ago"


def _verb(count: int, singular: str, plural: str) -> str:
    return singular if count == 1 else plural


def _day(value: datetime.date) -> str:
    return f"{value.day} {value:%b %Y}"


# --- needs ----------------------------------------------------------------------------------


def needs_awaiting_response(user: AnyUser, now: datetime.datetime) -> ToDo:
    waiting = visible_needs(user).filter(status=Status.SUBMITTED, first_response_at__isnull=True)
    oldest = list(waiting.select_related("unit").order_by("created_at", "pk")[:LINES])
    count = waiting.count() if len(oldest) == LINES else len(oldest)
    late = now - datetime.timedelta(days=SLOW_RESPONSE_DAYS)
    todo = ToDo(
        key="needs-awaiting-response",
        title="New needs awaiting a first response",
        summary=f"{counted(count, 'need')} {_verb(count, 'waits', 'wait')} for the L&D team's "
        "first response, oldest first."
        if count
        else "No need waits for a first response. A need raised appears here at once.",
        link=reverse("needs:need-list") + "?status=submitted",
        link_text="All submitted needs",
        empty=not count,
    )
    todo.lines = [
        Line(
            need.title,
            reverse("needs:need-detail", args=[need.pk]),
            f"{need.unit.name if need.unit else 'no unit'}, raised "
            f"{_days_ago(need.created_at, now)}",
            late=need.created_at < late,
        )
        for need in oldest
    ]
    return todo


def slow_responses(user: AnyUser, now: datetime.datetime) -> ToDo:
    """Needs past the response time a quality standard looks for."""
    since = now - datetime.timedelta(days=SLOW_RESPONSE_DAYS)
    late = visible_needs(user).filter(
        status=Status.SUBMITTED, first_response_at__isnull=True, created_at__lt=since
    )
    count = late.count()
    oldest = list(late.select_related("unit").order_by("created_at", "pk")[:LINES]) if count else []
    return ToDo(
        key="slow-responses",
        title=f"Needs waiting over {SLOW_RESPONSE_DAYS} days for a first response",
        summary=f"{counted(count, 'need')} past {SLOW_RESPONSE_DAYS} days: evidence the "
        "response standard is missed."
        if count
        else f"Every need raised got a first response within {SLOW_RESPONSE_DAYS} days.",
        lines=[
            Line(
                need.title,
                reverse("needs:need-detail", args=[need.pk]),
                f"raised {_days_ago(need.created_at, now)}",
                late=True,
            )
            for need in oldest
        ],
        link=reverse("needs:dashboard"),
        link_text="Response times on the pull dashboard",
        empty=not count,
    )


def needs_by_status(user: AnyUser, *, title: str, own_only: bool = False) -> ToDo:
    """Open needs (the user's own, or all they see) with how many are at each status."""
    needs = visible_needs(user)
    if own_only:
        needs = needs.filter(requester_id=user.pk)
    open_needs = needs.filter(status__in=OPEN_STATUSES)
    by_status = dict(
        open_needs.values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("status", "n")
    )
    total = sum(by_status.values())
    recent = list(needs.select_related("unit").order_by("-updated_at", "-pk")[:LINES])
    parts = [
        f"{by_status[status]:,} {Status(status).label.lower()}"
        for status in OPEN_STATUSES
        if by_status.get(status)
    ]
    can_raise = user.is_authenticated and can_submit_needs(user)
    if total:
        summary = f"{counted(total, 'open need')}: {', '.join(parts)}."
    elif recent:
        summary = "No need is open; the latest ones are below."
    else:
        summary = (
            "No need raised yet. When people struggle with something training could fix, "
            "raise it as a need and the L&D team answers."
            if can_raise
            else "No need raised yet."
        )
    return ToDo(
        key="own-needs" if own_only else "team-needs",
        title=title,
        summary=summary,
        lines=[
            Line(
                need.title,
                reverse("needs:need-detail", args=[need.pk]),
                need.get_status_display()
                + (f", {need.unit.name}" if need.unit and not own_only else ""),
            )
            for need in recent
        ],
        link=reverse("needs:need-create")
        if can_raise and not recent
        else reverse("needs:need-list") + ("" if own_only else "?status=open"),
        link_text="Raise a need" if can_raise and not recent else "All needs",
        empty=not total and not recent,
    )


def demand_summary(user: AnyUser, now: datetime.datetime) -> ToDo:
    month_ago = now - datetime.timedelta(days=30)
    counts = visible_needs(user).aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        new=Count("pk", filter=Q(created_at__gte=month_ago)),
        waiting=Count("pk", filter=Q(status=Status.SUBMITTED, first_response_at__isnull=True)),
        delivered=Count("pk", filter=Q(status=Status.DELIVERED)),
    )
    return ToDo(
        key="demand",
        title="Demand for training",
        summary=f"{counted(counts['open'], 'open need')}, {counts['new']:,} raised in the last "
        f"30 days; {counts['waiting']:,} wait for a first response and "
        f"{counted(counts['delivered'], 'need')} delivered so far.",
        link=reverse("needs:board"),
        link_text="The demand board",
        empty=not counts["open"] and not counts["new"],
    )


# --- reviews --------------------------------------------------------------------------------


def reviews_overdue(user: AnyUser, today: datetime.date) -> ToDo:
    cycles = open_cycles_progress(user, today)
    overdue = [row for row in cycles if row.overdue]
    total = sum(row.overdue for row in overdue)
    if total:
        summary = f"{counted(total, 'review step')} past the due date in the open cycles."
    elif cycles:
        summary = "No review step is overdue in the open cycles."
    else:
        summary = "No review cycle is open. Open one when the next round starts."
    return ToDo(
        key="reviews-overdue",
        title="Reviews overdue",
        summary=summary,
        lines=[
            Line(
                row.cycle.name,
                reverse("reviews:review-cycle", args=[row.cycle.pk]),
                f"{counted(row.self_overdue, 'self-assessment')} and "
                f"{counted(row.manager_overdue, 'manager assessment')} overdue",
                late=True,
            )
            for row in overdue
        ],
        link=reverse("reviews:review-list"),
        link_text="Review cycles",
        empty=not total,
    )


def cycle_progress(user: AnyUser, today: datetime.date) -> ToDo:
    cycles = open_cycles_progress(user, today)
    return ToDo(
        key="cycle-progress",
        title="Review cycles in progress",
        summary=f"{counted(len(cycles), 'review cycle')} open."
        if cycles
        else "No review cycle is open.",
        lines=[
            Line(
                row.cycle.name,
                reverse("reviews:review-cycle", args=[row.cycle.pk]),
                f"{row.total - row.waiting:,} of {counted(row.total, 'review')} agreed; "
                f"{row.overdue:,} overdue; closes {_day(row.cycle.closes_on)}",
                late=bool(row.overdue),
            )
            for row in cycles
        ],
        link=reverse("reviews:review-list"),
        link_text="Review cycles",
        empty=not cycles,
    )


def awaiting_rating(user: AnyUser, today: datetime.date) -> ToDo:
    waiting = reviews_waiting_for_manager(user).select_related("employee")
    rows = list(waiting[:LINES])
    count = waiting.count() if len(rows) == LINES else len(rows)
    return ToDo(
        key="awaiting-rating",
        title="People awaiting your rating",
        summary=f"{counted(count, 'person', 'people')} in open review cycles "
        f"{_verb(count, 'waits', 'wait')} for you."
        if count
        else "Nobody waits for your rating. When one of your people self-assesses, "
        "they appear here.",
        lines=[
            Line(
                participant.employee.full_name,
                reverse("reviews:review", args=[participant.pk]),
                f"{participant.get_stage_display()}, {participant.cycle.name}, due "
                f"{_day(participant.cycle.manager_assessment_due)}",
                late=participant.cycle.manager_assessment_due < today,
            )
            for participant in rows
        ],
        link=reverse("reviews:review-list"),
        link_text="All reviews",
        empty=not count,
    )


def _review_due(participant: ReviewParticipant) -> tuple[str, datetime.date]:
    cycle = participant.cycle
    stage = participant.stage
    if stage == ReviewParticipant.Stage.SELF:
        return "Your self-assessment is due", cycle.self_assessment_due
    if stage == ReviewParticipant.Stage.MANAGER:
        return "Your manager's assessment is due", cycle.manager_assessment_due
    if stage == ReviewParticipant.Stage.AGREEMENT:
        return "Agree your levels with your manager by", cycle.closes_on
    return "Agreed; the cycle closes", cycle.closes_on


def own_review(user: AnyUser, today: datetime.date) -> ToDo:
    rows = list(own_reviews(user).filter(cycle__status=ReviewCycle.Status.OPEN)[:LINES])
    lines = []
    for participant in rows:
        what, due = _review_due(participant)
        late = due < today and participant.stage != ReviewParticipant.Stage.AGREED
        if late:
            what = what.replace(" is due", " was due")
        lines.append(
            Line(
                participant.cycle.name,
                reverse("reviews:review", args=[participant.pk]),
                f"{what} {_day(due)}",
                late=late,
            )
        )
    return ToDo(
        key="own-review",
        title="Your review",
        summary="Your next step and its due date."
        if rows
        else "You are in no open review cycle. You are told here and in your inbox when one opens.",
        lines=lines,
        link=reverse("reviews:review-list"),
        link_text="Your reviews",
        empty=not rows,
    )


def development_plan(user: AnyUser, today: datetime.date) -> ToDo:
    employee_id = own_employee_id(user)
    rows = []
    if employee_id is not None:
        items = (
            DevelopmentPlanItem.objects.filter(employee_id=employee_id)
            .exclude(status=DevelopmentPlanItem.Status.DONE)
            .select_related("competency")
            .order_by("due_on", "pk")
        )
        rows = list(items[:LINES])
    return ToDo(
        key="development-plan",
        title="Your next training and development steps",
        summary="What you agreed to do next, soonest first."
        if rows
        else "No development step is planned. Agree one with your manager at your review, "
        "from your own gaps or the catalogue.",
        lines=[
            Line(
                item.action,
                "",
                f"{item.competency.name} to level {item.target_level}"
                + (f", due {_day(item.due_on)}" if item.due_on else "")
                + f" ({item.get_status_display().lower()})",
                late=bool(item.due_on and item.due_on < today),
            )
            for item in rows
        ],
        link=reverse("people:employee-detail", args=[employee_id])
        if employee_id
        else reverse("catalogue:course-list"),
        link_text="Your profile and plan" if employee_id else "The catalogue",
        empty=not rows,
    )


# --- training plan, people, catalogue --------------------------------------------------------


def training_this_week(user: AnyUser, today: datetime.date) -> ToDo:
    monday = today - datetime.timedelta(days=today.weekday())
    sunday = monday + datetime.timedelta(days=6)
    entries = list(
        visible_plan(user).filter(starts_on__range=(monday, sunday)).order_by("starts_on", "pk")
    )
    return ToDo(
        key="training-this-week",
        title="Training starting this week",
        summary=f"{counted(len(entries), 'entry', 'entries')} of the training plan "
        f"{_verb(len(entries), 'starts', 'start')} "
        f"between {_day(monday)} and {_day(sunday)}."
        if entries
        else "Nothing on the training plan starts this week.",
        lines=[
            Line(
                entry.title,
                "",
                f"{_day(entry.starts_on)}" + (f", {entry.unit.name}" if entry.unit else ""),
            )
            for entry in entries[:LINES]
            if entry.starts_on
        ],
        link=reverse("needs:plan"),
        link_text="The training plan",
        empty=not entries,
    )


def training_plan_share(user: AnyUser) -> ToDo:
    ratio = pull_ratio(user)
    return ToDo(
        key="training-plan",
        title="Training plan: asked for, or pushed",
        summary=f"{counted(ratio.total, 'entry', 'entries')} on the plan; {ratio.pull:,} answer "
        f"a need raised by the business ({ratio.percent}%), {ratio.push:,} were planned by L&D "
        "without one."
        if ratio.total
        else "The training plan is empty: planning a need puts it there.",
        link=reverse("needs:dashboard"),
        link_text="The pull dashboard",
        empty=not ratio.total,
    )


def people_without_profile(user: AnyUser) -> ToDo:
    count = visible_employees(user).filter(is_active=True, job_profile__isnull=True).count()
    return ToDo(
        key="without-profile",
        title="People without a job profile",
        summary=f"{counted(count, 'active person', 'active people')} "
        f"{_verb(count, 'has', 'have')} no job profile, so "
        "they are left out of the gap analysis."
        if count
        else "Every active person has a job profile.",
        link=reverse("people:job-titles"),
        link_text="Match job titles to profiles",
        empty=not count,
    )


def client_portal(user: AnyUser) -> ToDo:
    """An employer contact's way into their organisation's portal (one query)."""
    client = client_selectors.portal_client(user)
    if client is None:
        return ToDo(
            key="portal",
            title="Your organisation",
            summary="Your login is not linked to a client yet: ask your contact at the training "
            "team to link it.",
            link=reverse("catalogue:course-list"),
            link_text="Meanwhile, browse the catalogue",
            empty=True,
        )
    owner = client.owner
    who = (
        f"{owner.get_full_name() or owner.username} looks after you"
        if owner
        else ("the training team is choosing who looks after you")
    )
    return ToDo(
        key="portal",
        title=client.name,
        summary=f"Your organisation's needs, what happened with us, and who to call: {who}.",
        link=reverse("clients:portal"),
        link_text="Open your organisation's portal",
    )


def catalogue_offer() -> ToDo:
    courses = Course.objects.count()
    qualifications = Qualification.objects.count()
    return ToDo(
        key="catalogue",
        title="What the L&D team offers",
        summary=f"{counted(courses, 'course')} and {counted(qualifications, 'qualification')} "
        "in the catalogue.",
        link=reverse("catalogue:course-list"),
        link_text="Browse the catalogue",
        empty=not courses and not qualifications,
    )


# --- the page -------------------------------------------------------------------------------


# --- clients (docs/clients.md) ------------------------------------------------------------------

NEXT_STEP_SOON_DAYS = 7  # a next step due within a week shows on its owner's home page


def clients_without_owner(user: AnyUser) -> ToDo:
    """Clients nobody is accountable for (coordinators and admins give them an owner)."""
    unowned = client_selectors.unowned_clients(user).order_by(Lower("name"), "pk")
    first = list(unowned[:LINES])
    count = unowned.count() if len(first) == LINES else len(first)
    return ToDo(
        key="clients-without-owner",
        title="Clients without an owner",
        summary=f"{counted(count, 'client')} {_verb(count, 'has', 'have')} nobody accountable "
        "for the relationship: give each one an owner."
        if count
        else "Every active client has an owner.",
        lines=[
            Line(client.name, client.get_absolute_url(), client.get_kind_display())
            for client in first
        ],
        link=reverse("clients:list") + "?owner=none",
        link_text="Clients without an owner",
        empty=not count,
    )


def next_steps_due(user: AnyUser, today: datetime.date) -> ToDo | None:
    """The user's client next steps overdue or due within a week; None when there are none."""
    if not user.is_authenticated:
        return None
    due = client_selectors.next_steps_due(
        user, until=today + datetime.timedelta(days=NEXT_STEP_SOON_DAYS)
    )
    first = list(due[:LINES])
    if not first:
        return None
    count = due.count() if len(first) == LINES else len(first)
    lines = []
    for step in first:
        when = step.next_step_due
        assert when is not None
        note = f"{step.client.name}, " + (
            f"overdue since {_day(when)}" if when < today else f"due {_day(when)}"
        )
        lines.append(Line(step.next_step, step.client.get_absolute_url(), note, late=when < today))
    return ToDo(
        key="client-next-steps",
        title="Your next steps with clients",
        summary=f"{counted(count, 'next step')} overdue or due within "
        f"{NEXT_STEP_SOON_DAYS} days, soonest first.",
        lines=lines,
        link=reverse("clients:list") if can_view_clients(user) else "",
        link_text="Clients",
    )


# --- proposals (docs/proposals.md) --------------------------------------------------------------


def _first_lines(rows: QuerySet[Any]) -> tuple[list[Any], int]:
    """A section's first LINES rows and how many there are: one query, two past LINES."""
    first = list(rows[:LINES])
    return first, rows.count() if len(first) == LINES else len(first)


def proposals_to_answer(user: AnyUser) -> ToDo | None:
    """Sent proposals the user sponsors and has not answered; None when there are none."""
    first, count = _first_lines(proposal_selectors.waiting_for_answer(user))
    if not count:
        return None
    return ToDo(
        key="proposals-to-answer",
        title="Proposals waiting for your answer",
        summary=f"{counted(count, 'proposal')} {_verb(count, 'waits', 'wait')} for your "
        "answer: accept or decline each on its page.",
        lines=[
            Line(
                proposal.title,
                reverse("proposals:proposal-detail", args=[proposal.pk]),
                f"{proposal.client.name}, sent {_day(proposal.sent_at.date())}"
                if proposal.sent_at
                else proposal.client.name,
            )
            for proposal in first
        ],
        link=reverse("proposals:portal-proposals")
        if getattr(user, "role", "") == Role.EMPLOYER_CONTACT
        else reverse("proposals:proposal-list") + "?status=sent",
        link_text="Proposals",
    )


def draft_proposals(user: AnyUser) -> ToDo | None:
    """Drafts the user started or of clients they own; None when there are none."""
    first, count = _first_lines(proposal_selectors.own_drafts(user))
    if not count:
        return None
    return ToDo(
        key="proposal-drafts",
        title="Your draft proposals",
        summary=f"{counted(count, 'draft proposal')} not sent yet.",
        lines=[
            Line(
                proposal.title,
                reverse("proposals:proposal-detail", args=[proposal.pk]),
                proposal.client.name,
            )
            for proposal in first
        ],
        link=reverse("proposals:proposal-list") + "?status=draft",
        link_text="Proposals",
    )


def proposal_todos(user: AnyUser) -> list[ToDo]:
    """A sponsor's proposals to answer, an editor's drafts: one query each, for those roles."""
    role = getattr(user, "role", "") if user.is_authenticated else ""
    found: list[ToDo | None] = []
    if role in (Role.LINE_MANAGER, Role.EMPLOYER_CONTACT):
        found.append(proposals_to_answer(user))
    if user.is_superuser or role in (Role.ADMIN, Role.COORDINATOR, Role.ACCOUNT_MANAGER):
        found.append(draft_proposals(user))
    return [todo for todo in found if todo is not None]


def _todos(user: AnyUser, now: datetime.datetime) -> list[ToDo]:
    today = timezone.localdate(now)
    role = "" if not user.is_authenticated else user.role
    if user.is_authenticated and user.is_superuser:
        role = Role.ADMIN
    if role in (Role.ADMIN, Role.COORDINATOR):
        todos = [
            needs_awaiting_response(user, now),
            reviews_overdue(user, today),
            training_this_week(user, today),
        ]
        if can_administer_people(user):
            todos.append(people_without_profile(user))
        todos.append(clients_without_owner(user))
        return todos
    if role == Role.LINE_MANAGER:
        return [
            awaiting_rating(user, today),
            needs_by_status(user, title="Your team's needs"),
            own_review(user, today),
        ]
    if role == Role.EMPLOYEE:
        return [
            own_review(user, today),
            needs_by_status(user, title="Your needs", own_only=True),
            development_plan(user, today),
        ]
    if role == Role.ACCOUNT_MANAGER:
        return [
            needs_awaiting_response(user, now),
            needs_by_status(user, title="Needs you raised", own_only=True),
            demand_summary(user, now),
        ]
    if role == Role.QUALITY_LEAD:
        return [
            slow_responses(user, now),
            cycle_progress(user, today),
            training_plan_share(user),
        ]
    if role == Role.EXECUTIVE:
        return [
            demand_summary(user, now),
            cycle_progress(user, today),
            training_plan_share(user) if can_view_demand(user) else catalogue_offer(),
        ]
    todos = [
        needs_by_status(user, title="Your needs", own_only=True),
        catalogue_offer(),
    ]
    if role == Role.EMPLOYER_CONTACT:
        todos.insert(0, client_portal(user))
    return todos


def _glance(counts: dict[str, Any]) -> list[tuple[str, str]]:
    frameworks = counted(counts["frameworks"], "competency framework")
    glance = [
        (frameworks, reverse("frameworks:framework-list")),
        (counted(counts["competencies"], "competency", "competencies"), ""),
        (counted(counts["job_profiles"], "job profile"), reverse("frameworks:profile-list")),
    ]
    if counts["units"]:
        glance.append((counted(counts["units"], "organisation unit"), reverse("people:unit-list")))
    if counts["employees"]:
        noun = counted(counts["employees"], "person", "people")
        glance.append((f"{noun} you can see", reverse("people:employee-list")))
    return glance


def home_page(user: AnyUser, *, now: datetime.datetime | None = None) -> HomePage:
    """The role's to-dos, then the record counts the user may see."""
    moment = now or timezone.now()
    counts = home_summary(user)
    todos = _todos(user, moment)
    todos[:0] = proposal_todos(user)
    steps = next_steps_due(user, timezone.localdate(moment))
    if steps is not None:
        todos.insert(0, steps)
    return HomePage(todos=todos, counts=counts, glance=_glance(counts))


def _count_of(queryset: QuerySet[Any]) -> Subquery:
    """`queryset`'s row count as a scalar subquery (a constant is not grouped by, so this is
    one COUNT row even when nothing matches)."""
    return Subquery(
        queryset.order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


def home_summary(user: AnyUser) -> dict[str, Any]:
    """Counts for the start page, each limited to what the user may see. The three counts
    everyone sees alike are one query, read on the user's own row."""
    shared = {
        "frameworks": Framework.objects.all(),
        "competencies": Competency.objects.exclude(kind=Competency.Kind.GROUP),
        "job_profiles": JobProfile.objects.filter(is_active=True),
    }
    row = (
        User.objects.filter(pk=user.pk)
        .values(**{name: _count_of(rows) for name, rows in shared.items()})
        .first()
        if user.is_authenticated
        else None
    )
    counts = row or {name: rows.count() for name, rows in shared.items()}
    return {
        **counts,
        "units": visible_units(user).count(),
        "employees": visible_employees(user).count(),
    }


# --- the audit trail (docs/audit.md) -----------------------------------------------------------


def audit_entries(
    user: AnyUser,
    *,
    model: type[Model] | None = None,
    kind: str = "",
    actor: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    text: str = "",
) -> QuerySet[LogEntry]:
    """The audit trail, newest first, for those who may read it (nothing for anyone else).

    `actor` matches a user name, name or e-mail; `text` the object's name as it was recorded;
    `since` and `until` are days in the site's time zone, both included.
    """
    if not can_view_audit_trail(user):
        return LogEntry.objects.none()
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    if model is not None:
        entries = entries.filter(content_type=ContentType.objects.get_for_model(model))
    if kind:
        entries = entries.filter(audit.kind_filter(kind))
    if actor:
        entries = entries.filter(
            Q(actor__username__icontains=actor)
            | Q(actor__first_name__icontains=actor)
            | Q(actor__last_name__icontains=actor)
            | Q(actor_email__icontains=actor)
        )
    zone = timezone.get_current_timezone()
    if since is not None:
        entries = entries.filter(
            timestamp__gte=datetime.datetime.combine(since, datetime.time.min, tzinfo=zone)
        )
    if until is not None:
        next_day = until + datetime.timedelta(days=1)
        entries = entries.filter(
            timestamp__lt=datetime.datetime.combine(next_day, datetime.time.min, tzinfo=zone)
        )
    if text:
        entries = entries.filter(object_repr__icontains=text)
    return entries
