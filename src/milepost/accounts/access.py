"""Who may see and change what. Selectors and services ask here; views never decide."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from milepost.accounts.models import OrgUnit, Role, User

AnyUser = User | AnonymousUser

CATALOGUE_EDITORS = frozenset({Role.ADMIN, Role.COORDINATOR})
PEOPLE_ADMINS = frozenset({Role.ADMIN, Role.COORDINATOR})
# Employer contacts are external: they see nothing of the internal organisation.
INTERNAL_ROLES = frozenset(set(Role) - {Role.EMPLOYER_CONTACT})
# Organisation-wide readers limited to figures when settings.MILEPOST_AGGREGATE_ONLY is on.
FIGURES_ONLY_ROLES = frozenset({Role.ACCOUNT_MANAGER, Role.QUALITY_LEAD, Role.EXECUTIVE})
FIGURES_ONLY = (
    "This organisation limits your role to figures: individual people's ratings, gaps and "
    "reviews are not shown (aggregate-only access)."
)


def has_role(user: AnyUser, roles: frozenset[Role] | set[Role]) -> bool:
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser or user.role in roles)


def can_edit_frameworks(user: AnyUser) -> bool:
    return has_role(user, CATALOGUE_EDITORS)


def can_edit_catalogue(user: AnyUser) -> bool:
    """Courses, qualifications and training tracks: admin and L&D coordinator."""
    return has_role(user, CATALOGUE_EDITORS)


def can_administer_people(user: AnyUser) -> bool:
    return has_role(user, PEOPLE_ADMINS)


def require(allowed: bool, message: str = "You do not have permission to do this.") -> None:
    if not allowed:
        raise PermissionDenied(message)


def own_employee_id(user: AnyUser) -> int | None:
    """The employee record linked to this login, if any."""
    if not user.is_authenticated:
        return None
    employee = getattr(user, "employee", None)
    return employee.pk if employee is not None else None


def managed_unit(user: AnyUser) -> OrgUnit | None:
    """The unit a line manager heads: the unit of their own employee record."""
    employee = getattr(user, "employee", None) if user.is_authenticated else None
    if employee is None or employee.unit_id is None:
        return None
    # The FK cache on the (per-request) user's employee means one query per request,
    # however many selectors ask.
    return employee.unit


def unit_filter(user: AnyUser, field: str = "") -> Q | None:
    """A Q limiting OrgUnit rows (or rows with a unit FK at `field`) to what `user` may see.

    None means no limit (organisation-wide roles). A Q matching nothing is returned
    for roles that see no unit.
    """
    prefix = f"{field}__" if field else ""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.sees_whole_organisation:
        return None
    if user.role == Role.LINE_MANAGER:
        unit = managed_unit(user)
        if unit is not None:
            return Q(**{f"{prefix}path__startswith": unit.path})
    return Q(pk__in=[])


def sees_figures_only(user: AnyUser) -> bool:
    """Aggregate-only access (`MILEPOST_AGGREGATE_ONLY`): the executive, quality leads and
    account managers see units' figures but no individual except themselves, so no one's
    ratings, gaps, reviews or name beside a level. Superusers are never limited."""
    return bool(
        settings.MILEPOST_AGGREGATE_ONLY
        and user.is_authenticated
        and not user.is_superuser
        and user.role in FIGURES_ONLY_ROLES
    )


def employee_filter(user: AnyUser, field: str = "") -> Q | None:
    """A Q limiting Employee rows (or rows with an employee FK at `field`) to what `user` sees.

    Under aggregate-only access the figures-only roles see their own record only: every page,
    export and API answer about one person is then not found for them.
    """
    prefix = f"{field}__" if field else ""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.sees_whole_organisation and not sees_figures_only(user):
        return None
    own_id = own_employee_id(user)
    own = Q(**{f"{prefix}pk": own_id}) if own_id else Q(pk__in=[])
    if user.role == Role.LINE_MANAGER:
        unit = managed_unit(user)
        if unit is not None:
            return own | Q(**{f"{prefix}unit__path__startswith": unit.path})
    if user.role in INTERNAL_ROLES:
        return own
    return Q(pk__in=[])


# --- needs (the pull engine) ------------------------------------------------------------------

NEED_TRIAGERS = frozenset({Role.ADMIN, Role.COORDINATOR})
# Read-only roles watch demand; they do not raise needs themselves.
NEED_REQUESTERS = frozenset(
    {
        Role.ADMIN,
        Role.COORDINATOR,
        Role.ACCOUNT_MANAGER,
        Role.LINE_MANAGER,
        Role.EMPLOYEE,
        Role.EMPLOYER_CONTACT,
    }
)


def can_submit_needs(user: AnyUser) -> bool:
    return has_role(user, NEED_REQUESTERS)


def can_triage_needs(user: AnyUser) -> bool:
    return has_role(user, NEED_TRIAGERS)


def need_filter(user: AnyUser, field: str = "") -> Q | None:
    """A Q limiting Need rows to what `user` sees: their own needs, plus their unit's.

    Organisation-wide roles see every need; a line manager the needs of their unit and every
    unit below it; an employee those of their own unit; an employer contact only their own
    and those of their organisation (their client's; docs/clients.md).
    """
    prefix = f"{field}__" if field else ""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if user.sees_whole_organisation:
        return None
    own = Q(**{f"{prefix}requester": user})
    if user.role == Role.LINE_MANAGER:
        unit = managed_unit(user)
        if unit is not None:
            return own | Q(**{f"{prefix}unit__path__startswith": unit.path})
    if user.role == Role.EMPLOYEE:
        employee = getattr(user, "employee", None)
        if employee is not None and employee.unit_id is not None:
            return own | Q(**{f"{prefix}unit_id": employee.unit_id})
    if user.role == Role.EMPLOYER_CONTACT:
        client_id = own_client_id(user)
        if client_id is not None:
            return own | Q(**{f"{prefix}client_id": client_id})
    return own


def submittable_unit_filter(user: AnyUser) -> Q | None:
    """The units `user` may raise a need for (None: any unit)."""
    if not user.is_authenticated or not can_submit_needs(user):
        return Q(pk__in=[])
    if user.sees_whole_organisation:
        return None
    if user.role == Role.EMPLOYEE:
        employee = getattr(user, "employee", None)
        if employee is not None and employee.unit_id is not None:
            return Q(pk=employee.unit_id)
        return Q(pk__in=[])
    return unit_filter(user)


# --- demand board, pull dashboard, training plan ----------------------------------------------


def can_view_demand(user: AnyUser) -> bool:
    """The pull dashboard and the training plan: organisation-wide roles (read)."""
    return bool(user.is_authenticated and user.sees_whole_organisation)


def can_view_demand_board(user: AnyUser) -> bool:
    """The demand board: organisation-wide roles, and line managers for their own scope."""
    return can_view_demand(user) or has_role(user, {Role.LINE_MANAGER})


# --- gap analysis (insights) ------------------------------------------------------------------

GAPS_DENIED = (
    "Gap analysis of units, teams and job profiles is for L&D, account managers, quality leads, "
    "executives and line managers; you can open your own gaps from your profile."
)


def can_view_gap_analysis(user: AnyUser) -> bool:
    """Unit, team and bench-strength gaps: organisation-wide roles, and line managers for the
    units they look after. Everyone sees their own person gaps (see `employee_filter`)."""
    return bool(user.is_authenticated and user.sees_whole_organisation) or has_role(
        user, {Role.LINE_MANAGER}
    )


def gap_scope_unit(user: AnyUser) -> OrgUnit | None:
    """The unit whose subtree bounds `user`'s gap analysis; None for the whole organisation.

    Only meaningful when `can_view_gap_analysis(user)`; a line manager without a unit of their
    own sees an empty scope (selectors then show nothing).
    """
    if user.is_authenticated and user.sees_whole_organisation:
        return None
    return managed_unit(user)


# --- the audit trail (docs/audit.md) ------------------------------------------------------------

AUDIT_READERS = frozenset({Role.ADMIN, Role.QUALITY_LEAD})


def can_view_audit_trail(user: AnyUser) -> bool:
    """Who changed what: admins and the quality lead, across the whole organisation."""
    return has_role(user, AUDIT_READERS)


# --- clients (docs/clients.md) -----------------------------------------------------------------

CLIENT_EDITORS = frozenset({Role.ADMIN, Role.COORDINATOR})
CLIENT_OWNERS = frozenset({Role.ADMIN, Role.COORDINATOR, Role.ACCOUNT_MANAGER})
CLIENT_READERS = frozenset(
    {Role.ADMIN, Role.COORDINATOR, Role.ACCOUNT_MANAGER, Role.QUALITY_LEAD, Role.EXECUTIVE}
)
CLIENT_DENIED = (
    "Only L&D coordinators, admins and the client's own account manager can change this client."
)


def can_view_clients(user: AnyUser) -> bool:
    """The client list and pages: internal readers, and line managers for their unit's client."""
    return has_role(user, CLIENT_READERS | {Role.LINE_MANAGER})


def can_create_clients(user: AnyUser) -> bool:
    return has_role(user, CLIENT_OWNERS)


def can_edit_client(user: AnyUser, *, owner_id: int | None) -> bool:
    """Coordinators and admins edit every client; an account manager the clients they own."""
    if has_role(user, CLIENT_EDITORS):
        return True
    return bool(
        has_role(user, {Role.ACCOUNT_MANAGER}) and owner_id is not None and owner_id == user.pk
    )


def can_assign_owners(user: AnyUser) -> bool:
    """Who may hand a client to another owner: coordinators and admins."""
    return has_role(user, CLIENT_EDITORS)


def client_filter(user: AnyUser, field: str = "") -> Q | None:
    """A Q limiting Client rows (or rows with a client FK at `field`) to what `user` may see.

    None: every client (internal readers). A line manager sees the client of their own unit and
    of the units above and below it; an employer contact only their own client; others none.
    """
    prefix = f"{field}__" if field else ""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if has_role(user, CLIENT_READERS):
        return None
    if user.role == Role.LINE_MANAGER:
        unit = managed_unit(user)
        if unit is None:
            return Q(pk__in=[])
        ancestors = [int(part) for part in unit.path.strip("/").split("/") if part]
        return Q(**{f"{prefix}unit_id__in": ancestors}) | Q(
            **{f"{prefix}unit__path__startswith": unit.path}
        )
    if user.role == Role.EMPLOYER_CONTACT:
        return Q(**{f"{prefix}contacts__user": user})
    return Q(pk__in=[])


def own_client_id(user: AnyUser) -> int | None:
    """The client an employer contact's login belongs to."""
    if not user.is_authenticated or user.role != Role.EMPLOYER_CONTACT:
        return None
    contact = getattr(user, "client_contact", None)
    return contact.client_id if contact is not None else None


def can_read_client_notes(user: AnyUser) -> bool:
    """A client's internal notes: every internal reader of the client, never its contacts."""
    return can_view_clients(user)


def can_edit_stakeholder_map(user: AnyUser, *, client_owner_id: int | None, own_map: bool) -> bool:
    """The training function's own map: coordinators and admins; a client's map: whoever may
    edit the client (docs/clients.md, stakeholder maps)."""
    if own_map:
        return has_role(user, CLIENT_EDITORS)
    return can_edit_client(user, owner_id=client_owner_id)


def can_be_asked_about_maps(user: AnyUser) -> bool:
    """Who may be asked to confirm a stakeholder map: active internal users."""
    return bool(user.is_authenticated and user.is_active and has_role(user, INTERNAL_ROLES))


# --- business issues, consultancy and proposals (issue 13) ---------------------------------------

PROPOSAL_DENIED = (
    "Only L&D coordinators, admins and the client's own account manager can change its business "
    "issues, engagements and proposals."
)


def can_edit_proposals(user: AnyUser, *, owner_id: int | None) -> bool:
    """Account managers for the clients they own; coordinators and admins for all."""
    return can_edit_client(user, owner_id=owner_id)


def issue_filter(user: AnyUser, field: str = "") -> Q | None:
    """A Q limiting BusinessIssue or Engagement rows to what `user` may see: internal readers
    all; a line manager those of their unit's client. Employer contacts see a business issue
    only inside a proposal sent to them (the register and the analysis are the training
    function's working papers)."""
    if user.is_authenticated and user.role == Role.EMPLOYER_CONTACT:
        return Q(pk__in=[])
    return proposal_filter(user, field)


def proposal_filter(user: AnyUser, field: str = "") -> Q | None:
    """A Q limiting Proposal rows to what `user` may see: internal readers all; a line manager
    those of their unit's client; an employer contact the sent ones of their own client."""
    prefix = f"{field}__" if field else ""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if has_role(user, CLIENT_READERS):
        return None
    if user.role == Role.LINE_MANAGER:
        scope = client_filter(user, f"{prefix}client")
        return scope if scope is not None else Q(pk__in=[])
    if user.role == Role.EMPLOYER_CONTACT:
        client_id = own_client_id(user)
        if client_id is None:
            return Q(pk__in=[])
        return Q(**{f"{prefix}client_id": client_id}) & ~Q(**{f"{prefix}status": "draft"})
    return Q(pk__in=[])


# --- delivery (events, enrolment, attendance) --------------------------------------------------

EVENT_MANAGERS = frozenset({Role.ADMIN, Role.COORDINATOR})
EVENT_DENIED = "Only L&D coordinators and admins schedule and change events."


def can_manage_events(user: AnyUser) -> bool:
    """Coordinators and admins create, schedule, change and cancel events."""
    return has_role(user, EVENT_MANAGERS)


def can_enrol_employee(user: AnyUser, *, employee_id: int, unit_path: str) -> bool:
    """Who may put an employee on an event: event managers anyone; a line manager the people of
    their units; an employee themselves (a request, approved by their manager if the event asks)."""
    if not user.is_authenticated:
        return False
    if can_manage_events(user):
        return True
    if own_employee_id(user) == employee_id:
        return True
    if user.role == Role.LINE_MANAGER:
        unit = managed_unit(user)
        return unit is not None and unit_path.startswith(unit.path)
    return False


def can_approve_employee(user: AnyUser, *, employee_id: int, unit_path: str) -> bool:
    """Approving a request: event managers, or a line manager for the people of their units
    (never their own request)."""
    if own_employee_id(user) == employee_id and not can_manage_events(user):
        return False
    return can_enrol_employee(user, employee_id=employee_id, unit_path=unit_path) and (
        can_manage_events(user) or has_role(user, {Role.LINE_MANAGER})
    )


def can_enrol_guest(user: AnyUser, *, client_id: int) -> bool:
    """An outside employer's people: event managers, or that employer's own contact."""
    return can_manage_events(user) or (
        own_client_id(user) is not None and own_client_id(user) == client_id
    )
