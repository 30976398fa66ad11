"""Fixtures for the people tests: a job profile with requirements on the motor handler."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from milepost.frameworks.models import Competency, JobProfile
from milepost.testing.factories import (
    CompetencyFactory,
    FrameworkFactory,
    JobProfileFactory,
    RequirementFactory,
)


@dataclass
class ClaimsProfile:
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
