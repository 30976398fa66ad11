from django.urls import path

from milepost.people import views

app_name = "people"

urlpatterns = [
    path("units/", views.unit_list, name="unit-list"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit-detail"),
    path("employees/", views.employee_list, name="employee-list"),
    path("job-titles/", views.job_title_list, name="job-titles"),
    path("job-titles/confirm/", views.confirm_job_title_view, name="job-title-confirm"),
    path("employees/<int:employee_id>/", views.employee_detail, name="employee-detail"),
    path(
        "employees/<int:employee_id>/history/",
        views.employee_history,
        name="employee-history",
    ),
    path(
        "employees/<int:employee_id>/assessments/",
        views.record_assessment_view,
        name="assessment-create",
    ),
    path(
        "employees/<int:employee_id>/agreed-changes/",
        views.propose_agreed_change_view,
        name="agreed-change-propose",
    ),
    path(
        "agreed-changes/<int:change_id>/answer/",
        views.answer_agreed_change_view,
        name="agreed-change-answer",
    ),
    path(
        "agreed-changes/<int:change_id>/withdraw/",
        views.withdraw_agreed_change_view,
        name="agreed-change-withdraw",
    ),
]
