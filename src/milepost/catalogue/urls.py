from django.urls import path

from milepost.catalogue import booklet_views, views

app_name = "catalogue"

urlpatterns = [
    path("", views.course_list, name="course-list"),
    path("courses/new/", views.course_create, name="course-create"),
    path("courses/<int:pk>/", views.course_detail, name="course-detail"),
    path("courses/<int:pk>/edit/", views.course_edit, name="course-edit"),
    path("qualifications/", views.qualification_list, name="qualification-list"),
    path("qualifications/new/", views.qualification_create, name="qualification-create"),
    path("qualifications/<int:pk>/", views.qualification_detail, name="qualification-detail"),
    path("qualifications/<int:pk>/edit/", views.qualification_edit, name="qualification-edit"),
    path("tracks/", views.track_list, name="track-list"),
    path("tracks/new/", views.track_create, name="track-create"),
    path("tracks/<int:pk>/", views.track_detail, name="track-detail"),
    path("tracks/<int:pk>/edit/", views.track_edit, name="track-edit"),
    path("tracks/<int:pk>/steps/", views.track_step_add, name="track-step-add"),
    path(
        "tracks/<int:pk>/steps/<int:step_pk>/move/",
        views.track_step_move,
        name="track-step-move",
    ),
    path(
        "tracks/<int:pk>/steps/<int:step_pk>/remove/",
        views.track_step_remove,
        name="track-step-remove",
    ),
    path("tracks/<int:pk>/order/", views.track_enforce_order, name="track-enforce-order"),
    path("booklet/", booklet_views.booklet, name="booklet"),
    path("booklet/pdf/", booklet_views.booklet_pdf, name="booklet-pdf"),
]
