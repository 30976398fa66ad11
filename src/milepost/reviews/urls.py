"""Mounted under /people/ (the review pages kept their addresses when they left the people app)."""

from django.urls import path

from milepost.reviews import views

app_name = "reviews"

urlpatterns = [
    path("reviews/", views.review_list, name="review-list"),
    path("reviews/new/", views.review_cycle_create, name="review-cycle-create"),
    path("reviews/<int:cycle_id>/", views.review_cycle_detail, name="review-cycle"),
    path("reviews/<int:cycle_id>/close/", views.review_cycle_close, name="review-cycle-close"),
    path("reviews/<int:cycle_id>/remind/", views.review_cycle_remind, name="review-cycle-remind"),
    path("reviews/sheets/<int:participant_id>/", views.review_detail, name="review"),
    path(
        "reviews/sheets/<int:participant_id>/ratings/",
        views.review_submit,
        name="review-submit",
    ),
    path(
        "employees/<int:employee_id>/objectives/",
        views.objective_create,
        name="objective-create",
    ),
    path(
        "objectives/<int:objective_id>/progress/",
        views.objective_progress,
        name="objective-progress",
    ),
    path(
        "employees/<int:employee_id>/development/",
        views.development_item_create,
        name="development-create",
    ),
    path(
        "development/<int:item_id>/status/",
        views.development_item_status,
        name="development-status",
    ),
]
