from django.urls import path

from milepost.people import views

app_name = "people"

urlpatterns = [
    path("units/", views.unit_list, name="unit-list"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit-detail"),
    path("employees/", views.employee_list, name="employee-list"),
    path("job-titles/", views.job_title_list, name="job-titles"),
    path("job-titles/confirm/", views.confirm_job_title, name="job-title-confirm"),
    path("employees/<int:employee_id>/", views.employee_detail, name="employee-detail"),
    path(
        "employees/<int:employee_id>/history/",
        views.employee_history,
        name="employee-history",
    ),
    path(
        "employees/<int:employee_id>/assessments/",
        views.record_assessment,
        name="assessment-create",
    ),
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
