from django.urls import path

from milepost.insights import views
from milepost.insights.views import solutions

app_name = "insights"

urlpatterns = [
    path("gaps/", views.overview, name="gap-overview"),
    path("gaps/units/<int:unit_id>/", views.unit_gaps_view, name="unit-gaps"),
    path("gaps/teams/<int:employee_id>/", views.team_gaps_view, name="team-gaps"),
    path("gaps/people/<int:employee_id>/", views.person_gaps_view, name="person-gaps"),
    path(
        "gaps/people/<int:employee_id>/recommendations/",
        views.person_recommendations,
        name="person-recommendations",
    ),
    path(
        "gaps/teams/<int:employee_id>/recommendations/",
        views.team_recommendations,
        name="team-recommendations",
    ),
    path(
        "gaps/units/<int:unit_id>/recommendations/",
        views.unit_recommendations,
        name="unit-recommendations",
    ),
    path(
        "gaps/people/<int:employee_id>/recommendations/plan/",
        views.person_recommendations_plan,
        name="person-recommendations-plan",
    ),
    path(
        "gaps/teams/<int:employee_id>/recommendations/plan/",
        views.team_recommendations_plan,
        name="team-recommendations-plan",
    ),
    path(
        "gaps/units/<int:unit_id>/recommendations/plan/",
        views.unit_recommendations_plan,
        name="unit-recommendations-plan",
    ),
    path(
        "proposals/<int:pk>/suggest/",
        solutions.proposal_suggest,
        name="proposal-suggest",
    ),
    path("gaps/bench/", views.profile_list, name="profile-list"),
    path("gaps/bench/<int:profile_id>/", views.profile_bench_view, name="profile-bench"),
]
