"""Who may open which page and call which API endpoint: the README "Roles" table, as tests.

WEB_ACCESS_TABLE and API_ACCESS_TABLE are permissions tables. Each line is one request
(method, route, the objects it names, a payload) and the status each role must get. The
statuses come from the documented rules (README "Roles", docs/architecture.md "Access"), not
from the code:

- admin and L&D coordinator see everything and change frameworks, job profiles and any
  assessment; account manager, quality lead and executive see the whole organisation and
  change nothing (403);
- a line manager sees their own unit, every unit below it and the people in them, and records
  manager and agreed assessments of those people; anything outside is not found (404);
- an employee sees their own record and records their own self-assessments;
- an employer contact sees frameworks and job profiles and no internal unit or person (404).
- catalogue: everyone logged in browses courses, qualifications and tracks (employer contacts
  too: it is the offer); only admin and L&D coordinator change them (403 for the others).
- audit trail: admins and the quality lead read it (403 for the others); nobody changes it.
- needs: everyone sees the needs they raised; a line manager also those of their units, an
  employee those of their own unit, organisation-wide roles all of them. Everyone but the
  quality lead and the executive raises needs; the requester confirms a need's competencies
  and is the only one who withdraws it;
  only admin and L&D coordinator triage, map, group into themes (403 for the others).

Anonymous visitors are not a column: every page sends them to the login page (except
PUBLIC_PAGES) and every API endpoint answers 401. The guard tests at the end fail when a URL
or an API operation has no line here, so a new view cannot ship without its access rules.

Objects are named from the columns' point of view (the people come from the `org` fixture):
  units       group (above the line manager's unit), claims (the line manager's unit),
              motor_team (below it: the employee's team), underwriting (outside it)
  people      line_manager, employee (the records of those columns' logins),
              underwriter (outside the line manager's units)
  frameworks  framework, competency (required by profile), spare_competency, profile
  tokens      own_token (the requester's), colleague_token (someone else's)
  catalogue   course, qualification, track (course and qualification are its steps), track_step,
              booklet_print (the whole catalogue's), underwriting_print (narrowed to underwriting)
  needs       team_need (raised by the employee for their team, in the line manager's units),
              other_need (raised in underwriting by someone outside every column),
              theme (holds team_need)
  clients     unit_client (Claims, the line manager's unit, owned by the coordinator),
              portal_client (an employer owned by the account manager column; the employer
              contact column's login is its contact), other_client (an employer owned by
              another account manager); portal_contact, other_contact; portal_interaction
              (internal only, its next step owned by the account manager), other_interaction;
              own_map (the training function's own stakeholder map, owned by the coordinator),
              portal_map, other_map (the clients' maps) with portal_stakeholder (shared with the
              client) and other_stakeholder; map_review (the employee column asked to confirm
              version 1 of own_map); survey_token (an open survey link of another contact at
              portal_client)
  proposals   unit_issue, portal_issue (with portal_metric, complete), other_issue: business
              issues of unit_client, portal_client and other_client; portal_engagement,
              other_engagement (consultancy at portal_client and other_client);
              unit_proposal (sent to the line manager column, the internal sponsor of
              unit_client), portal_proposal (sent to the employer contact column),
              portal_draft (a draft at portal_client, with portal_item and
              portal_cost_line), other_proposal (sent, at other_client)
The admin column is an admin by role only, without Django's superuser flag, so the role
itself is tested.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from milepost.accounts.models import OrgUnit, Role, User
from milepost.accounts.services import issue_api_token
from milepost.catalogue.models import (
    BookletPrint,
    Course,
    LearningOutcome,
    Qualification,
    Track,
    TrackStep,
)
from milepost.clients.models import Client as ClientRecord
from milepost.clients.models import (
    Contact,
    Interaction,
    MapReview,
    MapStatus,
    MapVersion,
    Stakeholder,
    StakeholderMap,
)
from milepost.clients.services.surveys import issue_invitation
from milepost.frameworks.forms import competency_label
from milepost.frameworks.models import Competency, Framework, JobProfile
from milepost.needs.models import DemandTheme, Need
from milepost.people.models import AgreedLevelChange, Assessment, Employee
from milepost.proposals.models import (
    BusinessIssue,
    CostLine,
    Engagement,
    Metric,
    Proposal,
    ProposalItem,
    ProposalStatus,
)
from milepost.reviews.models import DevelopmentPlanItem, Objective, ReviewCycle, ReviewParticipant
from milepost.reviews.services import open_review_cycle
from milepost.site.api import api
from milepost.testing.factories import (
    BusinessIssueFactory,
    ClientFactory,
    CompetencyFactory,
    ContactFactory,
    EngagementFactory,
    FrameworkFactory,
    InteractionFactory,
    InternalClientFactory,
    JobProfileFactory,
    MetricFactory,
    ProposalFactory,
    ProposalItemFactory,
    RequirementFactory,
    StakeholderFactory,
    StakeholderMapFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# The tables' column headings and the role each stands for, in the README's order.
COLUMNS = {
    "admin": Role.ADMIN,
    "coord": Role.COORDINATOR,
    "acct": Role.ACCOUNT_MANAGER,
    "line": Role.LINE_MANAGER,
    "empl": Role.EMPLOYEE,
    "cont": Role.EMPLOYER_CONTACT,
    "qual": Role.QUALITY_LEAD,
    "exec": Role.EXECUTIVE,
}
ROLES = list(COLUMNS.values())
OBJECTS = frozenset(
    {
        "group",
        "claims",
        "motor_team",
        "underwriting",
        "line_manager",
        "employee",
        "underwriter",
        "framework",
        "competency",
        "spare_competency",
        "profile",
        "own_token",
        "colleague_token",
        "team_need",
        "other_need",
        "theme",
        "cycle",
        "employee_review",
        "underwriter_review",
        "objective",
        "plan_item",
        "agreed_change",
        "course",
        "qualification",
        "track",
        "track_step",
        "booklet_print",
        "underwriting_print",
        "unit_client",
        "portal_client",
        "other_client",
        "portal_contact",
        "other_contact",
        "portal_interaction",
        "other_interaction",
        "own_map",
        "portal_map",
        "other_map",
        "portal_stakeholder",
        "other_stakeholder",
        "map_review",
        "survey_token",
        "unit_issue",
        "portal_issue",
        "other_issue",
        "portal_metric",
        "portal_engagement",
        "other_engagement",
        "unit_proposal",
        "portal_proposal",
        "portal_draft",
        "portal_item",
        "other_proposal",
        "portal_cost_line",
    }
)
# Pages anyone may open without logging in, with what an anonymous visitor gets: the login form,
# the about page, which carries the ESCO and O*NET attributions linked from every page's footer,
# and the two single sign-on steps (not found while single sign-on is off, the default).
PUBLIC_PAGES = {
    "login": 200,
    "about": 200,
    "oidc-login": 404,
    "oidc-callback": 404,
    # A client contact answers the satisfaction survey through their emailed link, no login.
    "clients:survey-answer": 200,
}
LOGIN = "redirect to login"
API_PREFIX = "/api/v1"

WEB_ACCESS_TABLE = """
request                                                  admin coord acct line empl cont qual exec
GET  home                                                200   200   200  200  200  200  200  200
GET  about                                               200   200   200  200  200  200  200  200
GET  login                                               200   200   200  200  200  200  200  200
GET  oidc-login                                          404   404   404  404  404  404  404  404
GET  oidc-callback                                       404   404   404  404  404  404  404  404
POST logout                                              302   302   302  302  302  302  302  302
GET  password_change                                     200   200   200  200  200  200  200  200
GET  password_change_done                                200   200   200  200  200  200  200  200
GET  api-tokens                                          200   200   200  200  200  200  200  200
POST api-tokens token-name                               200   200   200  200  200  200  200  200
POST api-token-revoke own_token                          302   302   302  302  302  302  302  302
POST api-token-revoke colleague_token                    404   404   404  404  404  404  404  404
GET  two-factor                                          200   200   200  200  200  200  200  200
POST two-factor wrong-code                               200   200   200  200  200  200  200  200
POST two-factor-codes                                    302   302   302  302  302  302  302  302
GET  two-factor-verify                                   302   302   302  302  302  302  302  302
GET  frameworks:framework-list                           200   200   200  200  200  200  200  200
GET  frameworks:framework-list export=csv                200   200   200  200  200  200  200  200
GET  frameworks:framework-detail framework               200   200   200  200  200  200  200  200
GET  frameworks:competency-search q=assess               200   200   200  200  200  200  200  200
GET  frameworks:competency-options q=assess              200   200   200  200  200  200  200  200
GET  frameworks:competency-detail competency             200   200   200  200  200  200  200  200
GET  frameworks:competency-children competency           200   200   200  200  200  200  200  200
GET  frameworks:profile-list                             200   200   200  200  200  200  200  200
GET  frameworks:profile-detail profile                   200   200   200  200  200  200  200  200
GET  frameworks:profile-create                           200   200   403  403  403  403  403  403
POST frameworks:profile-create new-profile               302   302   403  403  403  403  403  403
GET  frameworks:profile-edit profile                     200   200   403  403  403  403  403  403
POST frameworks:profile-edit profile profile-form        302   302   403  403  403  403  403  403
GET  people:unit-list                                    200   200   200  200  200  200  200  200
GET  people:unit-list export=csv                         200   200   200  200  200  200  200  200
GET  people:unit-detail group                            200   200   200  404  404  404  200  200
GET  people:unit-detail claims                           200   200   200  200  404  404  200  200
GET  people:unit-detail motor_team                       200   200   200  200  404  404  200  200
GET  people:unit-detail underwriting                     200   200   200  404  404  404  200  200
GET  people:employee-list                                200   200   200  200  200  200  200  200
GET  people:employee-list export=csv                     200   200   200  200  200  200  200  200
GET  people:job-titles                                   200   200   403  403  403  403  403  403
POST people:job-title-confirm                            302   302   403  403  403  403  403  403
GET  people:employee-detail line_manager                 200   200   200  200  404  404  200  200
GET  people:employee-detail employee                     200   200   200  200  200  404  200  200
GET  people:employee-detail underwriter                  200   200   200  404  404  404  200  200
GET  people:employee-history line_manager                200   200   200  200  404  404  200  200
GET  people:employee-history employee                    200   200   200  200  200  404  200  200
GET  people:employee-history underwriter                 200   200   200  404  404  404  200  200
GET  people:employee-history underwriter export=csv      200   200   200  404  404  404  200  200
POST people:assessment-create employee manager-rating    302   302   403  302  403  404  403  403
POST people:assessment-create employee agreed-rating     302   302   403  302  403  404  403  403
POST people:assessment-create employee self-rating       302   302   403  403  302  404  403  403
POST people:assessment-create line_manager self-rating   302   302   403  302  404  404  403  403
POST people:assessment-create line_manager agreed-rating 302   302   403  403  404  404  403  403
POST people:assessment-create underwriter manager-rating 302   302   403  404  404  404  403  403
POST people:agreed-change-propose employee agreed-change 302   302   403  302  302  404  403  403
POST people:agreed-change-propose underwriter agreed-change 200 200  403  404  404  404  403  403
POST people:agreed-change-answer agreed_change agree     403   403   403  403  302  404  403  403
POST people:agreed-change-withdraw agreed_change         403   403   403  302  403  404  403  403
GET  clients:list                                         200   200   200  200  403  403  200  200
GET  clients:detail unit_client                           200   200   200  200  403  403  200  200
GET  clients:detail portal_client                         200   200   200  404  403  403  200  200
GET  clients:detail other_client                          200   200   200  404  403  403  200  200
GET  clients:list export=csv                              200   200   200  200  403  403  200  200
GET  clients:list owner=none export=xlsx                  200   200   200  200  403  403  200  200
GET  clients:create                                       200   200   200  403  403  403  403  403
POST clients:create new-client                            302   302   302  403  403  403  403  403
GET  clients:edit unit_client                             200   200   403  403  403  403  403  403
GET  clients:edit portal_client                           200   200   200  404  403  403  403  403
GET  clients:edit other_client                            200   200   403  404  403  403  403  403
POST clients:edit portal_client client-form               302   302   302  404  403  403  403  403
POST clients:edit other_client client-form                302   302   403  404  403  403  403  403
GET  clients:owner portal_client                          200   200   403  404  403  403  403  403
POST clients:owner portal_client owner-form               302   302   403  404  403  403  403  403
GET  clients:contact-create portal_client                 200   200   200  404  403  403  403  403
POST clients:contact-create portal_client contact-form    302   302   302  404  403  403  403  403
POST clients:contact-create other_client contact-form     302   302   403  404  403  403  403  403
GET  clients:contact-edit portal_client portal_contact    200   200   200  404  403  403  403  403
POST clients:contact-edit portal_client portal_contact contact-form 302 302 302 404 403 403 403 403
GET  clients:contact-edit other_client portal_contact     404   404   404  404  403  403  404  404
POST clients:contact-erase portal_client portal_contact erase-reason 302 302 302 404 403 403 403 403
POST clients:contact-erase other_client other_contact erase-reason 302 302 403 404 403 403 403 403
POST clients:contact-erase other_client portal_contact erase-reason 404 404 404 404 403 403 404 404
GET  clients:interaction-create portal_client             200   200   200  404  403  403  403  403
GET  clients:interaction-create unit_client               200   200   403  403  403  403  403  403
POST clients:interaction-create portal_client interaction-form 302 302 302 404 403 403 403 403
POST clients:interaction-create other_client interaction-form 302 302 403 404 403 403 403 403
POST clients:next-step-done portal_client portal_interaction 302 302 302 404 403 403 403 403
POST clients:next-step-done other_client portal_interaction 404 404 404 404 403 403 404 404
POST clients:next-step-done other_client other_interaction 302 302 403 404 403 403 403 403
GET  clients:own-map                                      200   200   200  200  403  403  200  200
GET  clients:client-map unit_client                       200   200   200  200  403  403  200  200
GET  clients:client-map portal_client                     200   200   200  404  403  403  200  200
GET  clients:client-map other_client                      200   200   200  404  403  403  200  200
GET  clients:map own_map                                  200   200   200  200  200  403  200  200
GET  clients:map portal_map                               200   200   200  404  403  403  200  200
GET  clients:map other_map                                200   200   200  404  403  403  200  200
GET  clients:map-download own_map format=svg              200   200   200  200  200  403  200  200
GET  clients:map-download portal_map format=png           200   200   200  404  403  403  200  200
GET  clients:map-download other_map format=pdf            200   200   200  404  403  403  200  200
GET  clients:map-history own_map                          200   200   200  200  200  403  200  200
GET  clients:map-history portal_map                       200   200   200  404  403  403  200  200
GET  clients:stakeholder-add own_map                      200   200   403  403  403  403  403  403
GET  clients:stakeholder-add portal_map                   200   200   200  404  403  403  403  403
GET  clients:stakeholder-add other_map                    200   200   403  404  403  403  403  403
POST clients:stakeholder-add portal_map body-form         302   302   302  404  403  403  403  403
POST clients:stakeholder-add other_map body-form          302   302   403  404  403  403  403  403
GET  clients:stakeholder-edit portal_stakeholder          200   200   200  404  403  403  403  403
POST clients:stakeholder-edit portal_stakeholder stakeholder-form 302 302 302 404 403 403  403  403
GET  clients:stakeholder-edit other_stakeholder           200   200   403  404  403  403  403  403
POST clients:stakeholder-remove portal_stakeholder        302   302   302  404  403  403  403  403
POST clients:stakeholder-remove other_stakeholder         302   302   403  404  403  403  403  403
GET  clients:map-ask portal_map                           200   200   200  404  403  403  403  403
POST clients:map-ask portal_map ask-form                  302   302   302  404  403  403  403  403
POST clients:map-ask other_map ask-form                   302   302   403  404  403  403  403  403
GET  clients:map-review map_review                        404   404   404  404  200  404  404  404
POST clients:map-review map_review agree-map              404   404   404  404  302  404  404  404
GET  clients:journey-map                                  200   200   200  200  403  403  200  200
GET  clients:journey-map export=csv                       200   200   200  200  403  403  200  200
GET  clients:journey unit_client                          200   200   200  200  403  403  200  200
GET  clients:journey portal_client                        200   200   200  404  403  403  200  200
POST clients:journey-move portal_client journey-move      302   302   302  404  403  403  403  403
POST clients:journey-move other_client journey-move       302   302   403  404  403  403  403  403
POST clients:journey-move unit_client journey-move        302   302   403  403  403  403  403  403
POST clients:journey-responsible portal_client responsible 302  302   302  404  403  403  403  403
POST clients:journey-responsible unit_client responsible  302   302   403  403  403  403  403  403
GET  clients:survey-overview                              200   200   200  200  403  403  200  200
GET  clients:survey-overview export=xlsx                  200   200   200  200  403  403  200  200
GET  clients:survey-results portal_client                 200   200   200  404  403  403  200  200
GET  clients:survey-results unit_client export=csv        200   200   200  200  403  403  200  200
GET  clients:survey-send portal_client                    200   200   200  404  403  403  403  403
GET  clients:survey-send other_client                     200   200   403  404  403  403  403  403
POST clients:survey-send portal_client                    302   302   302  404  403  403  403  403
GET  clients:survey-answer survey_token                   200   200   200  200  200  200  200  200
POST clients:survey-answer survey_token survey-answers    200   200   200  200  200  200  200  200
GET  clients:portal                                       403   403   403  403  403  200  403  403
GET  clients:client-portal portal_client                  200   200   200  404  403  200  200  200
GET  clients:client-portal other_client                   200   200   200  404  403  404  200  200
GET  clients:client-portal unit_client                    200   200   200  200  403  404  200  200
GET  reviews:review-list                                  200   200   200  200  200  200  200  200
GET  reviews:review-cycle-create                          200   200   403  403  403  403  403  403
POST reviews:review-cycle-create new-cycle                302   302   403  403  403  403  403  403
GET  reviews:review-cycle cycle                           200   200   200  200  200  404  200  200
GET  reviews:review-cycle cycle export=csv                200   200   200  200  200  404  200  200
POST reviews:review-cycle-close cycle                     302   302   403  403  403  404  403  403
POST reviews:review-cycle-remind cycle                    302   302   403  403  403  404  403  403
GET  reviews:review employee_review                       200   200   200  200  200  404  200  200
GET  reviews:review underwriter_review                    200   200   200  404  404  404  200  200
POST reviews:review-submit employee_review self-sheet     302   302   403  403  302  404  403  403
POST reviews:review-submit employee_review manager-sheet  302   302   403  302  403  404  403  403
POST reviews:review-submit underwriter_review manager-sheet 302 302   403  404  404  404  403  403
POST reviews:objective-create employee objective-form     302   302   403  302  403  404  403  403
POST reviews:objective-create underwriter objective-form  302   302   403  404  404  404  403  403
POST reviews:objective-progress objective progress-form   302   302   403  302  302  404  403  403
POST reviews:development-create employee plan-form        302   302   403  302  302  404  403  403
POST reviews:development-create underwriter plan-form     302   302   403  404  404  404  403  403
POST reviews:development-status plan_item status-done     302   302   403  302  302  404  403  403
GET  notifications                                       200   200   200  200  200  200  200  200
GET  my-data                                             200   200   200  200  200  200  200  200
GET  audit-trail                                         200   403   403  403  403  403  200  403
GET  audit-trail export=csv                              200   403   403  403  403  403  200  403
GET  audit-trail export=xlsx kind=update                 200   403   403  403  403  403  200  403
GET  unit-search                                         200   200   200  200  200  200  200  200
GET  personal-data-export employee                       200   403   403  403  200  404  403  403
GET  personal-data-export underwriter                    200   403   403  404  404  404  403  403
GET  personal-data-erase employee                        200   403   403  403  403  404  403  403
POST personal-data-erase employee erase-form             302   403   403  403  403  404  403  403
POST notifications                                       302   302   302  302  302  302  302  302
GET  notification-settings                               200   200   200  200  200  200  200  200
POST notification-settings email-on                      302   302   302  302  302  302  302  302
GET  needs:need-list                                     200   200   200  200  200  200  200  200
GET  needs:need-list export=csv                          200   200   200  200  200  200  200  200
GET  needs:need-create                                   200   200   200  200  200  200  403  403
POST needs:need-create need-form                         302   302   302  302  302  302  403  403
POST needs:need-suggest need-text                        200   200   200  200  200  200  403  403
GET  needs:need-detail team_need                         200   200   200  200  200  404  200  200
GET  needs:need-detail other_need                        200   200   200  404  404  404  200  200
POST needs:need-confirm team_need                        302   302   403  403  302  404  403  403
POST needs:need-mapping team_need                        302   302   403  403  403  404  403  403
POST needs:need-status team_need status-triaged          302   302   403  403  403  404  403  403
POST needs:need-theme team_need new-theme                302   302   403  403  403  404  403  403
POST needs:need-withdraw team_need                      403   403   403  403  302  404  403  403
GET  needs:theme-list                                    200   200   200  200  200  200  200  200
GET  needs:theme-suggest                                 200   200   403  403  403  403  403  403
POST needs:theme-suggest theme-from-needs                302   302   403  403  403  403  403  403
GET  needs:theme-detail theme                            200   200   200  200  200  404  200  200
POST needs:theme-status theme status-triaged             302   302   403  403  403  404  403  403
POST needs:theme-delete theme                            302   302   403  403  403  404  403  403
GET  needs:board                                         200   200   200  200  403  403  200  200
GET  needs:weights                                       200   200   403  403  403  403  403  403
GET  needs:dashboard                                     200   200   200  403  403  403  200  200
GET  needs:plan                                          200   200   200  403  403  403  200  200
GET  insights:gap-overview                               200   200   200  200  302  403  200  200
GET  insights:gap-overview export=csv                    200   200   200  200  302  403  200  200
GET  insights:unit-gaps group                            200   200   200  404  404  404  200  200
GET  insights:unit-gaps claims                           200   200   200  200  404  404  200  200
GET  insights:unit-gaps motor_team                       200   200   200  200  404  404  200  200
GET  insights:unit-gaps underwriting                     200   200   200  404  404  404  200  200
GET  insights:unit-gaps claims export=xlsx               200   200   200  200  404  404  200  200
GET  insights:unit-gaps claims export=csv table=risks    200   200   200  200  404  404  200  200
GET  insights:unit-gaps underwriting export=csv          200   200   200  404  404  404  200  200
GET  insights:team-gaps line_manager                     200   200   200  200  404  404  200  200
GET  insights:team-gaps line_manager export=csv          200   200   200  200  404  404  200  200
GET  insights:team-gaps employee                         200   200   200  200  403  404  200  200
GET  insights:team-gaps underwriter                      200   200   200  404  404  404  200  200
GET  insights:person-gaps line_manager                   200   200   200  200  404  404  200  200
GET  insights:person-gaps employee                       200   200   200  200  200  404  200  200
GET  insights:person-gaps employee export=csv            200   200   200  200  200  404  200  200
GET  insights:person-gaps underwriter                    200   200   200  404  404  404  200  200
GET  insights:person-recommendations employee            200   200   200  200  200  404  200  200
GET  insights:person-recommendations employee export=csv 200   200   200  200  200  404  200  200
GET  insights:person-recommendations underwriter         200   200   200  404  404  404  200  200
GET  insights:team-recommendations line_manager        200   200   200  200  404  404  200  200
GET  insights:team-recommendations line_manager export=csv 200 200   200  200  404  404  200  200
GET  insights:team-recommendations employee            200   200   200  200  403  404  200  200
GET  insights:team-recommendations underwriter         200   200   200  404  404  404  200  200
GET  insights:unit-recommendations claims              200   200   200  200  404  404  200  200
GET  insights:unit-recommendations claims export=xlsx  200   200   200  200  404  404  200  200
GET  insights:unit-recommendations group               200   200   200  404  404  404  200  200
GET  insights:unit-recommendations underwriting        200   200   200  404  404  404  200  200
POST insights:person-recommendations-plan employee      302   302   403  302  302  404  403  403
POST insights:person-recommendations-plan underwriter   302   302   403  404  404  404  403  403
POST insights:team-recommendations-plan line_manager    302   302   403  403  404  404  403  403
POST insights:unit-recommendations-plan claims          302   302   403  403  404  404  403  403
POST insights:unit-recommendations-plan underwriting    302   302   403  404  404  404  403  403
GET  insights:profile-list                               200   200   200  200  403  403  200  200
GET  insights:profile-bench profile                      200   200   200  200  403  403  200  200
GET  insights:profile-bench profile export=xlsx          200   200   200  200  403  403  200  200
# suggest a solution (insights, for a draft proposal's editors)
GET  insights:proposal-suggest portal_draft              200   200   200  404  403  404  403  403
GET  insights:proposal-suggest portal_draft target=unit  200   200   200  404  403  404  403  403
GET  insights:proposal-suggest unit_proposal             200   200   403  403  403  404  403  403
GET  insights:proposal-suggest other_proposal            200   200   403  404  403  404  403  403
POST insights:proposal-suggest portal_draft suggest-people 302 302   302  404  403  404  403  403
POST insights:proposal-suggest other_proposal suggest-people 200 200 403  404  403  404  403  403
GET  catalogue:course-list                               200   200   200  200  200  200  200  200
GET  catalogue:course-list export=csv                    200   200   200  200  200  200  200  200
GET  catalogue:course-list export=xlsx modality=online   200   200   200  200  200  200  200  200
GET  catalogue:course-detail course                      200   200   200  200  200  200  200  200
GET  catalogue:course-create                             200   200   403  403  403  403  403  403
POST catalogue:course-create new-course                  302   302   403  403  403  403  403  403
GET  catalogue:course-edit course                        200   200   403  403  403  403  403  403
POST catalogue:course-edit course course-form            302   302   403  403  403  403  403  403
GET  catalogue:qualification-list                        200   200   200  200  200  200  200  200
GET  catalogue:qualification-list export=xlsx            200   200   200  200  200  200  200  200
GET  catalogue:qualification-detail qualification        200   200   200  200  200  200  200  200
GET  catalogue:qualification-create                      200   200   403  403  403  403  403  403
POST catalogue:qualification-create new-qualification    302   302   403  403  403  403  403  403
GET  catalogue:qualification-edit qualification          200   200   403  403  403  403  403  403
POST catalogue:qualification-edit qualification qualification-form 302 302 403 403 403 403 403 403
GET  catalogue:track-list                                200   200   200  200  200  200  200  200
GET  catalogue:track-list export=csv                     200   200   200  200  200  200  200  200
GET  catalogue:track-detail track                        200   200   200  200  200  200  200  200
GET  catalogue:track-create                              200   200   403  403  403  403  403  403
POST catalogue:track-create new-track                    302   302   403  403  403  403  403  403
GET  catalogue:track-edit track                          200   200   403  403  403  403  403  403
POST catalogue:track-edit track track-form               302   302   403  403  403  403  403  403
POST catalogue:track-step-add track step-form            302   302   403  403  403  403  403  403
POST catalogue:track-step-move track track_step move-up  302   302   403  403  403  403  403  403
POST catalogue:track-step-remove track track_step        302   302   403  403  403  403  403  403
POST catalogue:track-enforce-order track enforce-on      302   302   403  403  403  403  403  403
GET  catalogue:booklet                                   200   200   200  200  200  200  200  200
GET  catalogue:booklet prices=on audience=handler        200   200   200  200  200  200  200  200
GET  catalogue:booklet-pdf                               200   200   200  200  200  200  200  200
GET  catalogue:booklet-print booklet_print               200   200   200  200  200  200  200  200
GET  catalogue:booklet-print-file booklet_print          200   200   200  200  200  200  200  200
GET  catalogue:booklet-print underwriting_print          200   200   200  404  404  404  200  200
GET  catalogue:booklet-print-file underwriting_print     200   200   200  404  404  404  200  200
# proposals: business issues register and consultancy engagements (issue 13, part H1)
GET  proposals:issue-list                                200   200   200  200  403  403  200  200
GET  proposals:issue-list export=csv                     200   200   200  200  403  403  200  200
GET  proposals:issue-list client=portal_client export=xlsx 200 200   200  200  403  403  200  200
GET  proposals:issue-detail unit_issue                   200   200   200  200  403  404  200  200
GET  proposals:issue-detail portal_issue                 200   200   200  404  403  404  200  200
GET  proposals:issue-detail other_issue                  200   200   200  404  403  404  200  200
GET  proposals:issue-create                              200   200   200  403  403  403  403  403
POST proposals:issue-create portal-issue-form            302   302   302  403  403  403  403  403
POST proposals:issue-create other-issue-form             302   302   200  403  403  403  403  403
GET  proposals:issue-edit unit_issue                     200   200   403  403  403  404  403  403
GET  proposals:issue-edit portal_issue                   200   200   200  404  403  404  403  403
GET  proposals:issue-edit other_issue                    200   200   403  404  403  404  403  403
POST proposals:issue-edit portal_issue issue-edit-form   302   302   302  404  403  404  403  403
POST proposals:issue-edit other_issue issue-edit-form    302   302   403  404  403  404  403  403
POST proposals:issue-status portal_issue issue-dropped   302   302   302  404  403  404  403  403
POST proposals:issue-status unit_issue issue-dropped     302   302   403  403  403  404  403  403
GET  proposals:metric-create portal_issue                200   200   200  404  403  404  403  403
POST proposals:metric-create portal_issue metric-form    302   302   302  404  403  404  403  403
POST proposals:metric-create other_issue metric-form     302   302   403  404  403  404  403  403
GET  proposals:metric-edit portal_issue portal_metric    200   200   200  404  403  404  403  403
GET  proposals:metric-edit other_issue portal_metric     404   404   403  404  403  404  403  403
POST proposals:metric-edit portal_issue portal_metric metric-form 302 302 302 404 403 404 403  403
POST proposals:metric-remove portal_issue portal_metric  302   302   302  404  403  404  403  403
POST proposals:promote-need team_need                    302   302   302  403  403  404  403  403
POST proposals:promote-theme theme promote-theme-form    302   302   302  403  403  404  403  403
GET  proposals:engagement-list                           200   200   200  200  403  403  200  200
GET  proposals:engagement-list export=csv status=open    200   200   200  200  403  403  200  200
GET  proposals:engagement-create                         200   200   200  403  403  403  403  403
POST proposals:engagement-create engagement-form         302   302   302  403  403  403  403  403
GET  proposals:engagement-detail portal_engagement       200   200   200  404  403  404  200  200
GET  proposals:engagement-detail other_engagement        200   200   200  404  403  404  200  200
GET  proposals:engagement-analysis portal_engagement     200   200   200  404  403  404  403  403
GET  proposals:engagement-analysis other_engagement      200   200   403  404  403  404  403  403
POST proposals:engagement-analysis portal_engagement analysis-form 302 302 302 404 403 404 403 403
POST proposals:engagement-session portal_engagement session-form 302  302 302 404 403 404 403 403
POST proposals:engagement-propose portal_engagement      302   302   302  404  403  404  403  403
POST proposals:engagement-propose other_engagement       302   302   403  404  403  404  403  403
# proposals: the proposal document (HTML and PDF)
GET  proposals:proposal-document unit_proposal           200   200   200  200  403  404  200  200
GET  proposals:proposal-document portal_proposal         200   200   200  404  403  200  200  200
GET  proposals:proposal-document portal_draft            200   200   200  404  403  404  200  200
GET  proposals:proposal-document other_proposal          200   200   200  404  403  404  200  200
GET  proposals:proposal-pdf unit_proposal                200   200   200  200  403  404  200  200
GET  proposals:proposal-pdf portal_proposal              200   200   200  404  403  200  200  200
GET  proposals:proposal-pdf portal_draft                 200   200   200  404  403  404  200  200
GET  proposals:proposal-pdf other_proposal               200   200   200  404  403  404  200  200
# proposals: list, page, items, cost lines, lifecycle, the contact's list (issue 13, H2)
GET  proposals:proposal-list                             200   200   200  200  403  403  200  200
GET  proposals:proposal-list export=csv                  200   200   200  200  403  403  200  200
GET  proposals:proposal-list rule=meets export=xlsx      200   200   200  200  403  403  200  200
GET  proposals:proposal-create                           200   200   200  403  403  403  403  403
GET  proposals:proposal-create client=portal_client      200   200   200  403  403  403  403  403
GET  proposals:proposal-create client=other_client       200   200   403  403  403  403  403  403
POST proposals:proposal-create new-proposal              302   302   302  403  403  403  403  403
POST proposals:proposal-create other-proposal-form       302   302   403  403  403  403  403  403
GET  proposals:proposal-detail unit_proposal             200   200   200  200  403  404  200  200
GET  proposals:proposal-detail portal_proposal           200   200   200  404  403  200  200  200
GET  proposals:proposal-detail portal_draft              200   200   200  404  403  404  200  200
GET  proposals:proposal-detail other_proposal            200   200   200  404  403  404  200  200
GET  proposals:proposal-edit portal_draft                200   200   200  404  403  404  403  403
POST proposals:proposal-edit portal_draft proposal-form  302   302   302  404  403  404  403  403
GET  proposals:item-add portal_draft                     200   200   200  404  403  404  403  403
POST proposals:item-add portal_draft item-form           302   302   302  404  403  404  403  403
GET  proposals:item-edit portal_draft portal_item        200   200   200  404  403  404  403  403
POST proposals:item-edit portal_draft portal_item item-form 302 302  302  404  403  404  403  403
POST proposals:item-remove portal_draft portal_item      302   302   302  404  403  404  403  403
POST proposals:item-remove other_proposal portal_item    404   404   403  404  403  404  403  403
POST proposals:cost-line-add portal_draft cost-form      302   302   302  404  403  404  403  403
POST proposals:cost-line-remove portal_draft portal_cost_line 302 302 302 404  403  404  403  403
POST proposals:proposal-send portal_draft                302   302   302  404  403  404  403  403
POST proposals:proposal-withdraw portal_draft            302   302   302  404  403  404  403  403
POST proposals:proposal-new-version portal_proposal      302   302   302  404  403  403  403  403
POST proposals:proposal-new-version other_proposal       302   302   403  404  403  404  403  403
POST proposals:proposal-accept unit_proposal             403   403   403  302  403  404  403  403
POST proposals:proposal-accept portal_proposal           403   403   403  404  403  302  403  403
POST proposals:proposal-accept other_proposal            403   403   403  404  403  404  403  403
POST proposals:proposal-decline portal_proposal decline-form 403 403 403  404  403  302  403  403
POST proposals:proposal-decline unit_proposal decline-form 403 403   403  302  403  404  403  403
GET  proposals:portal-proposals                          403   403   403  403  403  200  403  403
"""

API_ACCESS_TABLE = """
request                                                  admin coord acct line empl cont qual exec
GET    /frameworks                                       200   200   200  200  200  200  200  200
GET    /frameworks/{framework}                           200   200   200  200  200  200  200  200
GET    /competencies q=assess                            200   200   200  200  200  200  200  200
GET    /competencies/{competency}                        200   200   200  200  200  200  200  200
GET    /job-profiles                                     200   200   200  200  200  200  200  200
GET    /job-profiles/{profile}                           200   200   200  200  200  200  200  200
POST   /job-profiles new-profile                         201   201   403  403  403  403  403  403
PATCH  /job-profiles/{profile} profile-patch             200   200   403  403  403  403  403  403
POST   /job-profiles/{profile}/requirements requirement  201   201   403  403  403  403  403  403
PUT    /job-profiles/{profile}/requirements/{competency} 200   200   403  403  403  403  403  403
DELETE /job-profiles/{profile}/requirements/{competency} 204   204   403  403  403  403  403  403
GET    /org-units                                        200   200   200  200  200  200  200  200
GET    /org-units/{group}                                200   200   200  404  404  404  200  200
GET    /org-units/{claims}                               200   200   200  200  404  404  200  200
GET    /org-units/{motor_team}                           200   200   200  200  404  404  200  200
GET    /org-units/{underwriting}                         200   200   200  404  404  404  200  200
GET    /employees                                        200   200   200  200  200  200  200  200
GET    /employees unit=claims                            200   200   200  200  404  404  200  200
GET    /employees unit=underwriting                      200   200   200  404  404  404  200  200
GET    /employees/{line_manager}                         200   200   200  200  404  404  200  200
GET    /employees/{employee}                             200   200   200  200  200  404  200  200
GET    /employees/{underwriter}                          200   200   200  404  404  404  200  200
GET    /employees/{line_manager}/assessments             200   200   200  200  404  404  200  200
GET    /employees/{employee}/assessments                 200   200   200  200  200  404  200  200
GET    /employees/{underwriter}/assessments              200   200   200  404  404  404  200  200
POST   /employees/{employee}/assessments manager-rating  201   201   403  201  403  404  403  403
POST   /employees/{employee}/assessments agreed-rating   201   201   403  201  403  404  403  403
POST   /employees/{employee}/assessments self-rating     201   201   403  403  201  404  403  403
POST   /employees/{line_manager}/assessments self-rating 201   201   403  201  404  404  403  403
POST   /employees/{line_manager}/assessments agreed-rating 201 201   403  403  404  404  403  403
POST   /employees/{underwriter}/assessments manager-rating 201 201   403  404  404  404  403  403
GET    /review-cycles                                    200   200   200  200  200  200  200  200
POST   /review-cycles new-cycle                          201   201   403  403  403  403  403  403
GET    /review-cycles/{cycle}                            200   200   200  200  200  404  200  200
GET    /review-cycles/{cycle}/participants               200   200   200  200  200  404  200  200
POST   /reviews/{employee_review}/ratings self-sheet     201   201   403  403  201  404  403  403
POST   /reviews/{employee_review}/ratings manager-sheet  201   201   403  201  403  404  403  403
POST   /reviews/{underwriter_review}/ratings manager-sheet 201 201   403  404  404  404  403  403
GET    /employees/{employee}/objectives                  200   200   200  200  200  404  200  200
GET    /employees/{underwriter}/objectives               200   200   200  404  404  404  200  200
POST   /employees/{employee}/objectives objective        201   201   403  201  403  404  403  403
POST   /employees/{underwriter}/objectives objective     201   201   403  404  404  404  403  403
GET    /employees/{employee}/development-plan            200   200   200  200  200  404  200  200
GET    /employees/{underwriter}/development-plan         200   200   200  404  404  404  200  200
POST   /employees/{employee}/development-plan plan-item  201   201   403  201  201  404  403  403
GET    /needs                                            200   200   200  200  200  200  200  200
GET    /needs/{team_need}                                200   200   200  200  200  404  200  200
GET    /needs/{other_need}                               200   200   200  404  404  404  200  200
POST   /needs new-need                                   201   201   201  201  201  422  403  403
POST   /needs/{team_need}/confirm confirm-none           200   200   403  403  200  404  403  403
PUT    /needs/{team_need}/mapping mapping                200   200   403  403  403  404  403  403
POST   /needs/{team_need}/status status-triaged          200   200   403  403  403  404  403  403
POST   /needs/{other_need}/status status-triaged         200   200   403  404  404  404  403  403
POST   /needs/{team_need}/withdraw withdraw-note         403   403   403  403  200  404  403  403
GET    /themes                                           200   200   200  200  200  200  200  200
GET    /themes/{theme}                                   200   200   200  200  200  404  200  200
GET    /org-units/{claims}/gaps                          200   200   200  200  404  404  200  200
GET    /org-units/{underwriting}/gaps                    200   200   200  404  404  404  200  200
GET    /org-units/{claims}/heatmap                       200   200   200  200  404  404  200  200
GET    /org-units/{group}/heatmap                        200   200   200  404  404  404  200  200
GET    /org-units/{motor_team}/key-person-risks          200   200   200  200  404  404  200  200
GET    /org-units/{underwriting}/key-person-risks        200   200   200  404  404  404  200  200
GET    /employees/{employee}/gaps                        200   200   200  200  200  404  200  200
GET    /employees/{line_manager}/gaps                    200   200   200  200  404  404  200  200
GET    /employees/{underwriter}/gaps                     200   200   200  404  404  404  200  200
GET    /employees/{employee}/recommendations             200   200   200  200  200  404  200  200
GET    /employees/{underwriter}/recommendations          200   200   200  404  404  404  200  200
GET    /employees/{line_manager}/team-recommendations    200   200   200  200  404  404  200  200
GET    /employees/{employee}/team-recommendations        200   200   200  200  403  404  200  200
GET    /employees/{underwriter}/team-recommendations     200   200   200  404  404  404  200  200
GET    /org-units/{claims}/recommendations               200   200   200  200  404  404  200  200
GET    /org-units/{underwriting}/recommendations         200   200   200  404  404  404  200  200
GET    /job-profiles/{profile}/bench                     200   200   200  200  403  403  200  200
GET    /courses q=calm                                   200   200   200  200  200  200  200  200
GET    /courses/{course}                                 200   200   200  200  200  200  200  200
POST   /courses new-course                               201   201   403  403  403  403  403  403
GET    /qualifications                                   200   200   200  200  200  200  200  200
GET    /tracks                                           200   200   200  200  200  200  200  200
GET    /tracks/{track}                                   200   200   200  200  200  200  200  200
GET    /clients                                          200   200   200  200  403  403  200  200
GET    /clients q=harbour                                200   200   200  200  403  403  200  200
GET    /clients/{unit_client}                            200   200   200  200  403  403  200  200
GET    /clients/{portal_client}                          200   200   200  404  403  403  200  200
GET    /clients/{other_client}                           200   200   200  404  403  403  200  200
GET    /clients/{unit_client}/contacts                   200   200   200  200  403  403  200  200
GET    /clients/{portal_client}/contacts                 200   200   200  404  403  403  200  200
GET    /clients/{portal_client}/interactions             200   200   200  404  403  403  200  200
GET    /clients/{other_client}/interactions              200   200   200  404  403  403  200  200
POST   /clients new-client                               201   201   201  403  403  403  403  403
PATCH  /clients/{portal_client} client-patch             200   200   200  404  403  403  403  403
PATCH  /clients/{other_client} client-patch              200   200   403  404  403  403  403  403
PATCH  /clients/{unit_client} client-patch               200   200   403  403  403  403  403  403
POST   /clients/{portal_client}/interactions interaction 201   201   201  404  403  403  403  403
POST   /clients/{other_client}/interactions interaction  201   201   403  404  403  403  403  403
POST   /clients/{unit_client}/interactions interaction   201   201   403  403  403  403  403  403
GET    /needs client=portal_client                       200   200   200  200  200  200  200  200
# business issues, engagements and proposals (proposals/api.py)
GET    /business-issues                                  200   200   200  200  403  403  200  200
GET    /business-issues client=portal_client status=open 200   200   200  200  403  403  200  200
GET    /business-issues/{unit_issue}                     200   200   200  200  403  404  200  200
GET    /business-issues/{portal_issue}                   200   200   200  404  403  404  200  200
GET    /business-issues/{other_issue}                    200   200   200  404  403  404  200  200
POST   /business-issues new-issue                        201   201   201  403  403  403  403  403
POST   /business-issues other-issue                      201   201   403  403  403  403  403  403
PATCH  /business-issues/{portal_issue} issue-patch       200   200   200  404  403  404  403  403
PATCH  /business-issues/{other_issue} issue-patch        200   200   403  404  403  404  403  403
PATCH  /business-issues/{unit_issue} issue-patch         200   200   403  403  403  404  403  403
POST   /business-issues/{portal_issue}/metrics metric    201   201   201  404  403  404  403  403
POST   /business-issues/{other_issue}/metrics metric     201   201   403  404  403  404  403  403
GET    /engagements                                      200   200   200  200  403  403  200  200
GET    /engagements/{portal_engagement}                  200   200   200  404  403  404  200  200
GET    /engagements/{other_engagement}                   200   200   200  404  403  404  200  200
GET    /proposals                                        200   200   200  200  403  200  200  200
GET    /proposals status=sent client=portal_client       200   200   200  200  403  200  200  200
GET    /proposals/{unit_proposal}                        200   200   200  200  403  404  200  200
GET    /proposals/{portal_proposal}                      200   200   200  404  403  200  200  200
GET    /proposals/{portal_draft}                         200   200   200  404  403  404  200  200
GET    /proposals/{other_proposal}                       200   200   200  404  403  404  200  200
POST   /proposals new-proposal                           201   201   201  403  403  403  403  403
POST   /proposals/{portal_draft}/items item              201   201   201  404  403  404  403  403
POST   /proposals/{portal_draft}/send                    200   200   200  404  403  404  403  403
POST   /proposals/{other_proposal}/send                  422   422   403  404  403  404  403  403
POST   /proposals/{portal_proposal}/accept               403   403   403  404  403  200  403  403
POST   /proposals/{unit_proposal}/accept                 403   403   403  200  403  404  403  403
POST   /proposals/{portal_proposal}/decline decline-reason 403 403   403  404  403  200  403  403
POST   /proposals/{unit_proposal}/decline decline-reason 403   403   403  200  403  404  403  403
"""


# --- the world the tables talk about ---------------------------------------------------------


@dataclass
class World:
    """The `org` fixture, one login per role and a tiny framework and job profile."""

    logins: dict[Role, User]
    bearer: dict[Role, str]  # a raw API token per role
    colleague: User  # a login outside every column (the underwriting manager)
    group: OrgUnit
    claims: OrgUnit
    motor_team: OrgUnit
    underwriting: OrgUnit
    line_manager: Employee
    employee: Employee
    underwriter: Employee
    framework: Framework
    competency: Competency
    spare_competency: Competency
    profile: JobProfile
    team_need: Need
    other_need: Need
    theme: DemandTheme
    cycle: ReviewCycle
    employee_review: ReviewParticipant
    underwriter_review: ReviewParticipant
    objective: Objective
    plan_item: DevelopmentPlanItem
    agreed_change: AgreedLevelChange
    agreed_competency: Competency
    course: Course
    qualification: Qualification
    track: Track
    track_step: TrackStep
    booklet_print: BookletPrint  # of the whole catalogue
    underwriting_print: BookletPrint  # of the underwriting unit's booklet
    unit_client: ClientRecord
    portal_client: ClientRecord
    other_client: ClientRecord
    portal_contact: Contact
    other_contact: Contact
    portal_interaction: Interaction
    other_interaction: Interaction
    own_map: StakeholderMap
    portal_map: StakeholderMap
    other_map: StakeholderMap
    portal_stakeholder: Stakeholder
    other_stakeholder: Stakeholder
    map_review: MapReview
    survey_token: str  # the raw token of an open survey link at portal_client
    unit_issue: BusinessIssue
    portal_issue: BusinessIssue
    other_issue: BusinessIssue
    portal_metric: Metric
    portal_engagement: Engagement
    other_engagement: Engagement
    unit_proposal: Proposal  # sent; the line manager column is its internal sponsor
    portal_proposal: Proposal  # sent; the employer contact column is its sponsor
    portal_draft: Proposal
    portal_item: ProposalItem  # of portal_draft
    other_proposal: Proposal  # sent, at other_client
    portal_cost_line: CostLine  # of portal_draft

    def pk(self, name: str, requester: User | None) -> int | str:
        """The primary key of a named object; tokens are issued on demand."""
        if name == "survey_token":
            return self.survey_token
        if name == "own_token":
            return issue_api_token(acting_user=requester or self.colleague, name="mine")[0].pk
        if name == "colleague_token":
            return issue_api_token(acting_user=self.colleague, name="theirs")[0].pk
        return int(getattr(self, name).pk)


@pytest.fixture
def world(org: Any) -> World:
    framework = FrameworkFactory.create(code="service", name="Service skills")
    competency = CompetencyFactory.create(framework=framework, name="Competency to assess")
    spare = CompetencyFactory.create(framework=framework, name="Competency not yet required")
    profile = JobProfileFactory.create(code="HANDLER", title="Handler")
    RequirementFactory.create(job_profile=profile, competency=competency, required_level=3)
    for person in (org.claims_manager_employee, org.motor_handler, org.underwriter):
        person.job_profile = profile  # the web form rates the competencies on the profile
        person.save(update_fields=["job_profile"])
    logins = {
        Role.ADMIN: UserFactory.create(username="role.admin", role=Role.ADMIN),
        Role.COORDINATOR: org.coordinator,
        Role.ACCOUNT_MANAGER: UserFactory.create(username="accounts", role=Role.ACCOUNT_MANAGER),
        Role.LINE_MANAGER: org.claims_manager,
        Role.EMPLOYEE: org.employee_user,
        Role.EMPLOYER_CONTACT: org.employer_contact,
        Role.QUALITY_LEAD: UserFactory.create(username="quality", role=Role.QUALITY_LEAD),
        Role.EXECUTIVE: org.executive,
    }
    assert all(user.role == role and not user.is_superuser for role, user in logins.items())
    team_need = Need.objects.create(
        title="Calming angry callers",
        description="Our handlers struggle with angry callers since the new policy wording.",
        unit=org.motor_team,
        requester=org.employee_user,
    )
    other_need = Need.objects.create(
        title="Pricing cyber risks",
        description="Underwriters need to price cyber risks for small businesses.",
        unit=org.underwriting,
        requester=org.underwriting_manager,
    )
    theme = DemandTheme.objects.create(title="Difficult calls")
    Need.objects.filter(pk=team_need.pk).update(theme=theme)
    cycle = open_review_cycle(
        acting_user=org.coordinator,
        name="2026 annual review",
        units=[org.group],
        opens_on=datetime.date(2026, 3, 2),
        self_assessment_due=datetime.date(2026, 3, 16),
        manager_assessment_due=datetime.date(2026, 3, 30),
        closes_on=datetime.date(2026, 4, 24),
    )
    objective = Objective.objects.create(
        employee=org.motor_handler, cycle=cycle, title="Close 90 % of claims in 30 days", weight=40
    )
    plan_item = DevelopmentPlanItem.objects.create(
        employee=org.motor_handler,
        cycle=cycle,
        competency=competency,
        target_level=4,
        action="Negotiation course",
    )
    # Agreed levels of the employee: one with a change the line manager proposed (the employee
    # answers), one free for a new proposal.
    agreed_competency = CompetencyFactory.create(framework=framework, name="Agreed competency")
    for agreed in (spare, agreed_competency):
        Assessment.objects.create(
            employee=org.motor_handler,
            competency=agreed,
            kind=Assessment.Kind.AGREED,
            level=2,
            assessed_on=datetime.date(2026, 1, 15),
            assessed_by=org.claims_manager,
        )
    agreed_change = AgreedLevelChange.objects.create(
        employee=org.motor_handler,
        competency=spare,
        from_level=2,
        to_level=3,
        reason="Led the complaints pilot since January.",
        proposed_by=org.claims_manager,
    )
    course = Course.objects.create(code="CALM-1", title="Calm calls", modality="classroom")
    LearningOutcome.objects.create(course=course, competency=competency, raises_to_level=3)
    qualification = Qualification.objects.create(
        code="CII-CERT", title="Certificate in Insurance", awarding_body="CII", level=3
    )
    track = Track.objects.create(code="HANDLER-TRACK", title="Handler track", job_profile=profile)
    TrackStep.objects.create(track=track, position=1, qualification=qualification)
    track_step = TrackStep.objects.create(track=track, position=2, course=course)
    printed = {"status": BookletPrint.Status.DONE, "pdf": b"%PDF-1.7 booklet", "pages": 1}
    booklet_print = BookletPrint.objects.create(**printed)
    underwriting_print = BookletPrint.objects.create(unit=org.underwriting, **printed)
    other_manager = UserFactory.create(username="accounts.other", role=Role.ACCOUNT_MANAGER)
    unit_client = InternalClientFactory.create(
        name="Claims", unit=org.claims, owner=org.coordinator
    )
    portal_client = ClientFactory.create(name="Harbour Brokers", owner=logins[Role.ACCOUNT_MANAGER])
    other_client = ClientFactory.create(name="Northgate Insurance", owner=other_manager)
    portal_contact = ContactFactory.create(
        client=portal_client, name="Hana Harbour", user=org.employer_contact
    )
    other_contact = ContactFactory.create(client=other_client, name="Nick Gate")
    portal_interaction = InteractionFactory.create(
        client=portal_client,
        internal_only=True,
        next_step="Send the workshop outline",
        next_step_owner=logins[Role.ACCOUNT_MANAGER],
        next_step_due=datetime.date(2026, 1, 10),
    )
    other_interaction = InteractionFactory.create(client=other_client)
    own_map = StakeholderMapFactory.create(client=None, owner=org.coordinator)
    portal_map = StakeholderMapFactory.create(client=portal_client)
    other_map = StakeholderMapFactory.create(client=other_client)
    unit_issue = BusinessIssueFactory.create(client=unit_client, title="Claims backlog")
    portal_issue = BusinessIssueFactory.create(client=portal_client, title="Broker complaints")
    other_issue = BusinessIssueFactory.create(client=other_client, title="Slow renewals")
    portal_metric = MetricFactory.create(issue=portal_issue)
    sent = {
        "status": ProposalStatus.SENT,
        "sent_at": datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC),
    }
    unit_proposal = ProposalFactory.create(
        client=unit_client, sponsor_user=org.claims_manager, **sent
    )
    portal_proposal = ProposalFactory.create(
        client=portal_client, sponsor_contact=portal_contact, **sent
    )
    portal_draft = ProposalFactory.create(client=portal_client, sponsor_contact=portal_contact)
    other_proposal = ProposalFactory.create(
        client=other_client, sponsor_contact=other_contact, **sent
    )
    for proposal, issue in (
        (unit_proposal, unit_issue),
        (portal_proposal, portal_issue),
        (portal_draft, portal_issue),
        (other_proposal, other_issue),
    ):
        proposal.issues.set([issue])
        ProposalItemFactory.create(proposal=proposal).issues.set([issue])
    return World(
        logins=logins,
        bearer={
            role: issue_api_token(acting_user=user, name="matrix")[1]
            for role, user in logins.items()
        },
        colleague=org.underwriting_manager,
        group=org.group,
        claims=org.claims,
        motor_team=org.motor_team,
        underwriting=org.underwriting,
        line_manager=org.claims_manager_employee,
        employee=org.motor_handler,
        underwriter=org.underwriter,
        framework=framework,
        competency=competency,
        spare_competency=spare,
        profile=profile,
        team_need=team_need,
        other_need=other_need,
        theme=theme,
        cycle=cycle,
        employee_review=cycle.participants.get(employee=org.motor_handler),
        underwriter_review=cycle.participants.get(employee=org.underwriter),
        objective=objective,
        plan_item=plan_item,
        agreed_change=agreed_change,
        agreed_competency=agreed_competency,
        course=course,
        qualification=qualification,
        track=track,
        track_step=track_step,
        booklet_print=booklet_print,
        underwriting_print=underwriting_print,
        unit_client=unit_client,
        portal_client=portal_client,
        other_client=other_client,
        portal_contact=portal_contact,
        other_contact=other_contact,
        portal_interaction=portal_interaction,
        other_interaction=other_interaction,
        own_map=own_map,
        portal_map=portal_map,
        other_map=other_map,
        portal_stakeholder=StakeholderFactory.create(
            map=portal_map, contact=portal_contact, body_name="", shared_with_client=True
        ),
        other_stakeholder=StakeholderFactory.create(map=other_map),
        map_review=_map_review(own_map, org.employee_user),
        survey_token=issue_invitation(
            client=portal_client,
            contact=ContactFactory.create(client=portal_client, name="Sam Survey"),
            sent_by=logins[Role.ACCOUNT_MANAGER],
        )[1],
        unit_issue=unit_issue,
        portal_issue=portal_issue,
        other_issue=other_issue,
        portal_metric=portal_metric,
        portal_engagement=EngagementFactory.create(client=portal_client, sponsor=portal_contact),
        other_engagement=EngagementFactory.create(client=other_client),
        unit_proposal=unit_proposal,
        portal_proposal=portal_proposal,
        portal_draft=portal_draft,
        portal_item=portal_draft.items.get(),
        other_proposal=other_proposal,
        portal_cost_line=CostLine.objects.create(proposal=portal_draft, label="Venue", amount=300),
    )


def _map_review(own_map: StakeholderMap, colleague: User) -> MapReview:
    """Version 1 of the own map put to `colleague` (the employee column) to confirm."""
    StakeholderFactory.create(map=own_map)
    version = MapVersion.objects.create(map=own_map, number=1, stakeholders=[])
    StakeholderMap.objects.filter(pk=own_map.pk).update(status=MapStatus.IN_REVIEW)
    return MapReview.objects.create(version=version, colleague=colleague)


# Request bodies, by the name a table line gives them.
Payload = Callable[[World], dict[str, Any]]


def _web_rating(kind: str) -> Payload:
    return lambda world: {
        "competency": world.competency.pk,
        "kind": kind,
        "level": 3,
        "assessed_on": "2026-02-01",
    }


def _api_rating(kind: str) -> Payload:
    return lambda world: {"competency_id": world.competency.pk, "kind": kind, "level": 3}


def _profile_form(code: str) -> Payload:
    return lambda world: {
        "title": "Motor claims handler",
        "code": code,
        "is_active": "on",
        "requirements-TOTAL_FORMS": "1",
        "requirements-INITIAL_FORMS": "0",
        "requirements-MIN_NUM_FORMS": "0",
        "requirements-MAX_NUM_FORMS": "1000",
        "requirements-0-competency": competency_label(world.competency),
        "requirements-0-required_level": "3",
        "requirements-0-importance": "3",
        "requirements-0-essential": "yes",
    }


def _need_form(world: World) -> dict[str, Any]:
    return {
        "title": "Excel for the team",
        "description": "The team needs pivot tables and lookups in Excel for the new reports.",
        "unit": world.motor_team.pk,
        "people_affected": "4",
        "urgency": "2",
        "impact": "2",
    }


def _journey_move(world: World) -> dict[str, Any]:
    return {"stage": world.portal_client.journey.stages.get(position=2).pk, "note": "Met them"}


def _responsible(world: World) -> dict[str, Any]:
    stage = world.portal_client.journey.stages.get(position=1)
    return {
        "stage_id": stage.pk,
        f"stage-{stage.pk}-responsible": world.logins[Role.COORDINATOR].pk,
    }


def _survey_answers(world: World) -> dict[str, Any]:
    return {"recommend": "9", "met_needs": "4", "easy": "5", "results": "3", "value": "4"}


def _cycle_form(world: World) -> dict[str, Any]:
    return {
        "name": "Claims mid-year",
        "opens_on": "2026-06-01",
        "self_assessment_due": "2026-06-15",
        "manager_assessment_due": "2026-06-29",
        "closes_on": "2026-07-10",
        "units": [world.claims.pk],
    }


def _rating_sheet(kind: str) -> Payload:
    return lambda world: {"kind": kind, f"{kind}-level_{world.competency.pk}": "3"}


def _course_form(code: str) -> Payload:
    return lambda world: {
        "code": code,
        "title": "Calm calls",
        "modality": "blended",
        "duration_hours": "7",
        "cost_per_person": "250",
        "cost_per_run": "0",
        "provider_kind": "internal",
        "is_active": "on",
        "outcomes-TOTAL_FORMS": "1",
        "outcomes-INITIAL_FORMS": "0",
        "outcomes-0-competency": competency_label(world.competency),
        "outcomes-0-raises_to_level": "3",
    }


def _qualification_form(code: str) -> Payload:
    return lambda world: {
        "code": code,
        "title": "Diploma in Insurance",
        "awarding_body": "Chartered Insurance Institute",
        "level_framework": "RQF",
        "level": "4",
        "cost_per_person": "900",
        "outcomes-TOTAL_FORMS": "0",
        "outcomes-INITIAL_FORMS": "0",
    }


def _track_form(code: str) -> Payload:
    return lambda world: {
        "code": code,
        "title": "Handler route",
        "job_profile": world.profile.pk,
        "targets-TOTAL_FORMS": "1",
        "targets-INITIAL_FORMS": "0",
        "targets-0-competency": competency_label(world.competency),
    }


WEB_PAYLOADS: dict[str, Payload] = {
    "new-course": _course_form("CALM-2"),
    "course-form": _course_form("CALM-1"),
    "new-qualification": _qualification_form("CII-DIP"),
    "qualification-form": _qualification_form("CII-CERT"),
    "new-track": _track_form("NEW-TRACK"),
    "track-form": _track_form("HANDLER-TRACK"),
    "step-form": lambda world: {
        "offer": f"course:{Course.objects.create(code='X', title='X', modality='online').pk}"
    },
    "move-up": lambda world: {"direction": "up"},
    "enforce-on": lambda world: {"enforce_order": "on"},
    "wrong-code": lambda world: {"code": "000000"},
    "token-name": lambda world: {"name": "Reporting script", "scope": "read", "lifetime": "30"},
    "email-on": lambda world: {"email_notifications": "on"},
    "need-form": _need_form,
    "need-text": lambda world: {"title": "Angry callers", "description": "Calming angry callers"},
    "status-triaged": lambda world: {"status": "triaged", "note": "Looking at it"},
    "new-theme": lambda world: {"new_theme": "Difficult calls, second wave"},
    "theme-from-needs": lambda world: {"title": "Excel", "need": [world.other_need.pk]},
    "new-profile": _profile_form("MOTOR-HANDLER"),
    "profile-form": _profile_form("HANDLER"),
    "manager-rating": _web_rating("manager"),
    "agreed-rating": _web_rating("agreed"),
    "self-rating": _web_rating("self"),
    "agreed-change": lambda world: {
        "competency": world.agreed_competency.pk,
        "to_level": 3,
        "reason": "Handled the complaints pilot alone.",
    },
    "agree": lambda world: {"answer": "agree"},
    "erase-form": lambda world: {"reason": "DSAR-1", "confirm": world.employee.employee_id},
    "new-cycle": _cycle_form,
    "self-sheet": _rating_sheet("self"),
    "manager-sheet": _rating_sheet("manager"),
    "objective-form": lambda world: {"title": "Coach two new starters", "weight": "30"},
    "progress-form": lambda world: {"progress": "50"},
    "plan-form": lambda world: {
        "competency": world.competency.pk,
        "target_level": "4",
        "action": "Shadow a senior handler",
    },
    "status-done": lambda world: {"status": "done"},
    "new-client": lambda world: {"kind": "external", "name": "Quayside Mutual"},
    "client-form": lambda world: {
        "name": "Renamed Client Ltd",
        "sector": "Broking",
        "is_active": "on",
    },
    "owner-form": lambda world: {
        "owner": world.logins[Role.COORDINATOR].pk,
        "reason": "Handed over while the owner is on leave.",
    },
    "erase-reason": lambda world: {"reason": "Erasure request 2026-114"},
    "contact-form": lambda world: {"name": "Pat Quay", "email": "pat@quay.test", "is_active": "on"},
    "interaction-form": lambda world: {
        "kind": "call",
        "occurred_at": "2026-01-05T10:00",
        "summary": "Called about the workshop dates.",
    },
    "body-form": lambda world: {
        "body_name": "Regulator",
        "body_type": "regulator",
        "power": 4,
        "interest": 2,
    },
    "stakeholder-form": lambda world: {
        "contact": world.portal_contact.pk,
        "power": 5,
        "interest": 4,
    },
    "ask-form": lambda world: {"colleagues": [world.colleague.pk], "agreement_share": 60},
    "agree-map": lambda world: {"answer": "agreed"},
    "journey-move": _journey_move,
    "responsible": _responsible,
    "survey-answers": _survey_answers,
    # proposals: business issues register and consultancy engagements (part H1)
    "portal-issue-form": lambda world: {
        "client": world.portal_client.pk,
        "title": "Broker complaints up 30 % since the new wording",
        "priority": "1",
    },
    "other-issue-form": lambda world: {
        "client": world.other_client.pk,
        "title": "Renewals take twice as long as last year",
        "priority": "2",
    },
    "issue-edit-form": lambda world: {"title": "Broker complaints up a third", "priority": "2"},
    "issue-dropped": lambda world: {"status": "dropped", "reason": "The client sold the book."},
    "metric-form": lambda world: {
        "name": "Complaints a month",
        "baseline_value": "130",
        "baseline_on": "2026-01-01",
        "target_value": "90",
        "target_on": "2026-06-30",
    },
    "promote-theme-form": lambda world: {"client": world.portal_client.pk},
    "engagement-form": lambda world: {
        "client": world.portal_client.pk,
        "title": "Why broker complaints rose",
        "sponsor": world.portal_contact.pk,
        "issues": [world.portal_issue.pk],
    },
    "analysis-form": lambda world: {
        "business_goal": "Complaints down from 130 to 90 a month by June",
        "should_do": "Explain the new wording on the first call",
    },
    "session-form": lambda world: {"interaction": world.portal_interaction.pk},
    # proposals (H2)
    "new-proposal": lambda world: {
        "client": world.portal_client.pk,
        "title": "Calmer broker calls",
        "issues": [world.portal_issue.pk],
        "sponsor_contact": world.portal_contact.pk,
    },
    "other-proposal-form": lambda world: {
        "client": world.other_client.pk,
        "title": "Faster renewals",
        "issues": [world.other_issue.pk],
    },
    "proposal-form": lambda world: {
        "title": "Calmer broker calls, revised",
        "issues": [world.portal_issue.pk],
        "sponsor_contact": world.portal_contact.pk,
        "forecast_benefit": "40000",
        "level_4": "Complaints a month from the complaints log, 6 months after",
    },
    "item-form": lambda world: {
        "kind": "bespoke",
        "title": "Broker call clinic",
        "people": "12",
        "cost": "1800",
        "issues": [world.portal_issue.pk],
        "metrics": [world.portal_metric.pk],
    },
    "cost-form": lambda world: {"label": "Venue", "amount": "350"},
    "decline-form": lambda world: {"reason": "The budget went to the new system this year."},
    # suggest a solution
    "suggest-people": lambda world: {"target": "people", "person": [world.employee.pk]},
}
API_PAYLOADS: dict[str, Payload] = {
    "new-profile": lambda world: {
        "code": "MOTOR-HANDLER",
        "title": "Motor claims handler",
        "requirements": [{"competency_id": world.competency.pk, "required_level": 3}],
    },
    "profile-patch": lambda world: {"title": "Senior handler"},
    "requirement": lambda world: {"competency_id": world.spare_competency.pk, "required_level": 2},
    "manager-rating": _api_rating("manager"),
    "agreed-rating": _api_rating("agreed"),
    "self-rating": _api_rating("self"),
    "new-need": lambda world: {
        "title": "Excel for the team",
        "description": "The team needs pivot tables and lookups in Excel for the new reports.",
        "unit_id": world.motor_team.pk,
    },
    "confirm-none": lambda world: {"competency_ids": []},
    "mapping": lambda world: {"accepted_ids": [], "add_ids": [world.competency.pk]},
    "status-triaged": lambda world: {"status": "triaged", "note": "Looking at it"},
    "withdraw-note": lambda world: {"note": "Sent twice"},
    "new-cycle": lambda world: {
        "name": "Claims mid-year",
        "opens_on": "2026-06-01",
        "self_assessment_due": "2026-06-15",
        "manager_assessment_due": "2026-06-29",
        "closes_on": "2026-07-10",
        "unit_ids": [world.claims.pk],
    },
    "self-sheet": lambda world: {
        "kind": "self",
        "ratings": [{"competency_id": world.competency.pk, "level": 3}],
    },
    "manager-sheet": lambda world: {
        "kind": "manager",
        "ratings": [{"competency_id": world.competency.pk, "level": 3}],
    },
    "objective": lambda world: {"title": "Coach two new starters", "weight": 30},
    "new-course": lambda world: {
        "code": "CALM-2",
        "title": "Calm calls, part two",
        "modality": "online",
        "prerequisites": ["CALM-1"],
        "outcomes": [{"competency_id": world.competency.pk, "raises_to_level": 4}],
    },
    "plan-item": lambda world: {
        "competency_id": world.competency.pk,
        "target_level": 4,
        "action": "Shadow a senior handler",
    },
    "new-client": lambda world: {"kind": "external", "name": "Lighthouse Logistics"},
    "client-patch": lambda world: {"sector": "Marine insurance"},
    "interaction": lambda world: {
        "kind": "call",
        "occurred_at": "2026-02-01T10:00:00Z",
        "summary": "Called about the complaints workshop",
    },
    # business issues, engagements and proposals
    "new-issue": lambda world: {"client_id": world.portal_client.pk, "title": "Renewals slip"},
    "other-issue": lambda world: {"client_id": world.other_client.pk, "title": "Renewals slip"},
    "issue-patch": lambda world: {"priority": 1},
    "metric": lambda world: {
        "name": "Renewal rate",
        "unit": "%",
        "baseline_value": "80",
        "baseline_on": "2026-01-01",
        "target_value": "90",
        "target_on": "2026-12-31",
    },
    "new-proposal": lambda world: {
        "client_id": world.portal_client.pk,
        "title": "Broker care",
        "issue_ids": [world.portal_issue.pk],
    },
    "item": lambda world: {
        "kind": "bespoke",
        "title": "Broker workshop",
        "issue_ids": [world.portal_issue.pk],
    },
    "decline-reason": lambda world: {"reason": "No budget this year"},
}
# What a line without a payload name sends: PUT of a requirement takes only its level.
API_DEFAULT_PAYLOADS: dict[str, Payload] = {"PUT": lambda world: {"required_level": 4}}


# --- reading the tables ----------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of a table: a request and the status each role gets."""

    text: str
    method: str
    route: str  # a URL name (web) or a path below /api/v1 with {object} placeholders (API)
    objects: tuple[str, ...]  # the web route's arguments
    query: tuple[tuple[str, str], ...]  # values naming an object are sent as its pk
    payload: str
    expected: dict[Role, int]


def _read_table(table: str, payloads: dict[str, Payload]) -> list[Line]:
    """A word after the route is a query (`key=value`), a payload name or an object name."""
    # A line starting with "#" names the part of the product the lines below it belong to.
    header, *rows = (
        row.split() for row in table.strip().splitlines() if not row.lstrip().startswith("#")
    )
    assert header == ["request", *COLUMNS], f"the columns must be: request {' '.join(COLUMNS)}"
    lines = []
    for cells in rows:
        request, statuses = cells[: -len(COLUMNS)], cells[-len(COLUMNS) :]
        method, route, *words = request
        query = tuple(
            (key, value) for key, _, value in (w.partition("=") for w in words if "=" in w)
        )
        payload = next((word for word in words if word in payloads), "")
        objects = tuple(word for word in words if "=" not in word and word not in payloads)
        unknown = {*objects, *re.findall(r"{(\w+)}", route)} - OBJECTS
        assert not unknown, f"{' '.join(request)}: no object or payload named {unknown}"
        lines.append(
            Line(
                text=" ".join(request),
                method=method,
                route=route,
                objects=objects,
                query=query,
                payload=payload,
                expected=dict(zip(ROLES, map(int, statuses), strict=True)),
            )
        )
    return lines


WEB_ACCESS = _read_table(WEB_ACCESS_TABLE, WEB_PAYLOADS)
API_ACCESS = _read_table(API_ACCESS_TABLE, API_PAYLOADS)


# --- sending the requests --------------------------------------------------------------------


def _query(world: World, line: Line, user: User | None) -> dict[str, Any]:
    return {key: world.pk(value, user) if value in OBJECTS else value for key, value in line.query}


def _web_request(world: World, line: Line, user: User | None) -> HttpResponseBase:
    client = Client()  # a fresh one each time: the logout line must not log out the next
    if user is not None:
        client.force_login(user)
    url = reverse(line.route, args=[world.pk(name, user) for name in line.objects])
    if line.method == "GET":
        return client.get(url, _query(world, line, user))
    assert line.method == "POST", f"{line.text}: the web table sends GET or POST"
    return client.post(url, WEB_PAYLOADS[line.payload](world) if line.payload else {})


def _api_request(world: World, line: Line, user: User | None) -> HttpResponseBase:
    def object_pk(placeholder: re.Match[str]) -> str:
        return str(world.pk(placeholder.group(1), user))

    path = API_PREFIX + re.sub(r"{(\w+)}", object_pk, line.route)
    headers = {"Authorization": f"Bearer {world.bearer[Role(user.role)]}"} if user else {}
    if line.method == "GET":
        return Client().get(path, _query(world, line, user), headers=headers)
    payload = API_PAYLOADS.get(line.payload) or API_DEFAULT_PAYLOADS.get(line.method)
    body = json.dumps(payload(world)) if payload else ""
    return Client().generic(line.method, path, body, "application/json", headers=headers)


Send = Callable[[World, Line, User | None], HttpResponseBase]


def _outcomes(world: World, lines: list[Line], send: Send, user: User | None) -> dict[str, Any]:
    """The status `user` (None: anonymous) gets for each line. Each request runs in a savepoint
    rolled back afterwards, so one line's write never changes what the next line finds."""
    outcomes: dict[str, Any] = {}
    for line in lines:
        with transaction.atomic():
            response = send(world, line, user)
            transaction.set_rollback(True)
        outcome: Any = response.status_code
        if user is None and outcome == 302:
            location = response.headers["Location"]
            outcome = LOGIN if location.startswith(reverse("login")) else location
        outcomes[line.text] = outcome
    return outcomes


# --- the matrix: one test per column, every line of the table in each -------------------------


def test_anonymous_visitor_is_sent_to_login_from_every_page_but_the_public_ones(
    world: World,
) -> None:
    expected = {line.text: PUBLIC_PAGES.get(line.route, LOGIN) for line in WEB_ACCESS}
    assert _outcomes(world, WEB_ACCESS, _web_request, None) == expected


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_web_pages_the_access_table_gives_it(world: World, role: Role) -> None:
    expected = {line.text: line.expected[role] for line in WEB_ACCESS}
    assert _outcomes(world, WEB_ACCESS, _web_request, world.logins[role]) == expected


def test_anonymous_api_caller_gets_401_from_every_endpoint(world: World) -> None:
    expected = {line.text: 401 for line in API_ACCESS}
    assert _outcomes(world, API_ACCESS, _api_request, None) == expected


def test_api_write_on_a_browser_session_without_the_csrf_token_is_refused(world: World) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.logins[Role.COORDINATOR])
    payload = json.dumps(API_PAYLOADS["new-profile"](world))
    response = browser.post(f"{API_PREFIX}/job-profiles", payload, "application/json")
    assert response.status_code == 403
    assert not JobProfile.objects.filter(code="MOTOR-HANDLER").exists()
    assert browser.get(f"{API_PREFIX}/job-profiles").status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_api_answers_the_access_table_gives_it(world: World, role: Role) -> None:
    expected = {line.text: line.expected[role] for line in API_ACCESS}
    assert _outcomes(world, API_ACCESS, _api_request, world.logins[role]) == expected


# --- what the lists show ---------------------------------------------------------------------

EVERY_UNIT = frozenset({"group", "claims", "motor_team", "underwriting"})
EVERYONE = frozenset({"line_manager", "employee", "underwriter", "colleague"})
# The units and people each role finds in the organisation chart, the people list, their CSV
# exports, the API lists and the start page counts.
LIST_SCOPE: dict[Role, tuple[frozenset[str], frozenset[str]]] = {
    Role.ADMIN: (EVERY_UNIT, EVERYONE),
    Role.COORDINATOR: (EVERY_UNIT, EVERYONE),
    Role.ACCOUNT_MANAGER: (EVERY_UNIT, EVERYONE),
    Role.LINE_MANAGER: (
        frozenset({"claims", "motor_team"}),
        frozenset({"line_manager", "employee"}),
    ),
    Role.EMPLOYEE: (frozenset(), frozenset({"employee"})),
    Role.EMPLOYER_CONTACT: (frozenset(), frozenset()),
    Role.QUALITY_LEAD: (EVERY_UNIT, EVERYONE),
    Role.EXECUTIVE: (EVERY_UNIT, EVERYONE),
}


def _tree_unit_ids(nodes: list[Any]) -> Iterator[int]:
    for node in nodes:
        yield node.unit.pk
        yield from _tree_unit_ids(node.children)


def _first_column(export: Any) -> set[str]:
    """The first column of a CSV export (unit code, employee ID), without its header."""
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    return {row[0] for row in list(csv.reader(io.StringIO(text)))[1:]}


@pytest.mark.parametrize("role", ROLES)
def test_lists_show_each_role_only_the_units_and_people_in_its_scope(
    world: World, role: Role
) -> None:
    records: dict[str, Any] = {
        "group": world.group,
        "claims": world.claims,
        "motor_team": world.motor_team,
        "underwriting": world.underwriting,
        "line_manager": world.line_manager,
        "employee": world.employee,
        "underwriter": world.underwriter,
        "colleague": world.colleague.employee,
    }
    units, people = LIST_SCOPE[role]
    unit_ids = {records[name].pk for name in units}
    people_ids = {records[name].pk for name in people}
    web = Client()
    web.force_login(world.logins[role])
    bearer = {"Authorization": f"Bearer {world.bearer[role]}"}

    unit_tree = web.get(reverse("people:unit-list")).context["tree"]
    unit_export = web.get(reverse("people:unit-list"), {"export": "csv"})
    people_page = web.get(reverse("people:employee-list")).context["page_obj"]
    people_export = web.get(reverse("people:employee-list"), {"export": "csv"})
    summary = web.get(reverse("home")).context["page"].counts
    api_units = Client().get(f"{API_PREFIX}/org-units", headers=bearer).json()["items"]
    api_people = Client().get(f"{API_PREFIX}/employees", headers=bearer).json()["items"]

    assert set(_tree_unit_ids(unit_tree)) == unit_ids
    assert _first_column(unit_export) == {records[name].code for name in units}
    assert {unit["id"] for unit in api_units} == unit_ids
    assert {employee.pk for employee in people_page} == people_ids
    assert _first_column(people_export) == {records[name].employee_id for name in people}
    assert {employee["id"] for employee in api_people} == people_ids
    assert (summary["units"], summary["employees"]) == (len(unit_ids), len(people_ids))


# --- every route is in the matrix ------------------------------------------------------------

# Left out of the web table: Django's admin site (staff only, guarded by Django itself), the
# API (covered operation by operation below) and static files.
UNGUARDED_PREFIXES = ("admin/", "api/", "static/")


def _web_routes(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[str]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(UNGUARDED_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _web_routes(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            yield namespace + (pattern.name or route)


def _any_placeholder(path: str) -> str:
    return re.sub(r"{\w+}", "{}", path)


def test_every_web_route_has_a_line_in_the_access_table() -> None:
    routes = set(_web_routes(get_resolver().url_patterns))
    in_table = {line.route for line in WEB_ACCESS}
    missing, gone = sorted(routes - in_table), sorted(in_table - routes)
    assert not missing, f"add lines to WEB_ACCESS_TABLE for: {', '.join(missing)}"
    assert not gone, f"WEB_ACCESS_TABLE names routes that no longer exist: {', '.join(gone)}"


def test_every_api_operation_has_a_line_in_the_access_table() -> None:
    operations = {
        (method.upper(), _any_placeholder(path.removeprefix(API_PREFIX)))
        for path, methods in api.get_openapi_schema()["paths"].items()
        for method in methods
    }
    in_table = {(line.method, _any_placeholder(line.route)) for line in API_ACCESS}
    missing = [" ".join(operation) for operation in sorted(operations - in_table)]
    gone = [" ".join(operation) for operation in sorted(in_table - operations)]
    assert not missing, f"add lines to API_ACCESS_TABLE for: {', '.join(missing)}"
    assert not gone, f"API_ACCESS_TABLE names operations that no longer exist: {', '.join(gone)}"
