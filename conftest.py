"""Fixtures shared by every app's tests: users of each role placed in a small organisation."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from milepost.accounts.models import OrgUnit, Role, User
from milepost.frameworks.models import Competency, JobProfile
from milepost.people.models import Employee
from milepost.testing.factories import (
    CompetencyFactory,
    EmployeeFactory,
    FrameworkFactory,
    JobProfileFactory,
    OrgUnitFactory,
    RequirementFactory,
    UserFactory,
)


@dataclass
class SmallOrganisation:
    """Group > (Claims > Motor claims team, Underwriting); one login per role."""

    group: OrgUnit
    claims: OrgUnit
    motor_team: OrgUnit
    underwriting: OrgUnit
    admin: User
    coordinator: User
    claims_manager: User
    underwriting_manager: User
    employee_user: User
    employer_contact: User
    executive: User
    claims_manager_employee: Employee
    motor_handler: Employee
    underwriter: Employee


@pytest.fixture
def org(db: None) -> SmallOrganisation:
    group = OrgUnitFactory(code="GRP", name="Group", kind=OrgUnit.Kind.ORGANISATION)
    claims = OrgUnitFactory(code="CLM", name="Claims", parent=group)
    motor_team = OrgUnitFactory(code="CLM-MOT", name="Motor claims", parent=claims)
    underwriting = OrgUnitFactory(code="UW", name="Underwriting", parent=group)
    claims_manager = UserFactory(username="claims.manager", role=Role.LINE_MANAGER)
    underwriting_manager = UserFactory(username="uw.manager", role=Role.LINE_MANAGER)
    employee_user = UserFactory(username="motor.handler", role=Role.EMPLOYEE)
    claims_manager_employee = EmployeeFactory(
        unit=claims, user=claims_manager, first_name="Clara", last_name="Claims"
    )
    EmployeeFactory(unit=underwriting, user=underwriting_manager, first_name="Uma")
    motor_handler = EmployeeFactory(
        unit=motor_team,
        user=employee_user,
        manager=claims_manager_employee,
        first_name="Mo",
        last_name="Handler",
    )
    underwriter = EmployeeFactory(unit=underwriting, first_name="Ursula", last_name="Writer")
    return SmallOrganisation(
        group=group,
        claims=claims,
        motor_team=motor_team,
        underwriting=underwriting,
        admin=UserFactory(username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True),
        coordinator=UserFactory(username="coordinator", role=Role.COORDINATOR),
        claims_manager=claims_manager,
        underwriting_manager=underwriting_manager,
        employee_user=employee_user,
        employer_contact=UserFactory(username="employer", role=Role.EMPLOYER_CONTACT),
        executive=UserFactory(username="exec", role=Role.EXECUTIVE),
        claims_manager_employee=claims_manager_employee,
        motor_handler=motor_handler,
        underwriter=underwriter,
    )


@pytest.fixture
def login(client: Client):
    """`login(user)` returns the test client signed in as `user`."""

    def sign_in(user: User) -> Client:
        client.force_login(user)
        return client

    return sign_in


@dataclass
class ClaimsProfile:
    """A claims handler profile on the motor handler and the underwriter (people, reviews)."""

    job_profile: JobProfile
    negotiation: Competency
    fraud_awareness: Competency
    customer_care: Competency  # on the same framework but not on the profile


@pytest.fixture
def claims_profile(org) -> ClaimsProfile:
    framework = FrameworkFactory(name="Claims skills")
    job_profile = JobProfileFactory.create(code="claims-handler", title="Claims handler")
    negotiation = CompetencyFactory.create(framework=framework, name="Negotiation")
    fraud = CompetencyFactory.create(framework=framework, name="Fraud awareness")
    customer_care = CompetencyFactory.create(framework=framework, name="Customer care")
    RequirementFactory(job_profile=job_profile, competency=negotiation, required_level=3)
    RequirementFactory(job_profile=job_profile, competency=fraud, required_level=2, essential=False)
    org.motor_handler.job_profile = job_profile
    org.motor_handler.save()
    org.underwriter.job_profile = job_profile
    org.underwriter.save()
    return ClaimsProfile(job_profile, negotiation, fraud, customer_care)
