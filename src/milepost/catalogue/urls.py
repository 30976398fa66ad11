from django.urls import path

from milepost.catalogue.views import booklet, offers, tracks

app_name = "catalogue"

urlpatterns = [
    path("", offers.course_list, name="course-list"),
    path("courses/new/", offers.course_create, name="course-create"),
    path("courses/<int:pk>/", offers.course_detail, name="course-detail"),
    path("courses/<int:pk>/edit/", offers.course_edit, name="course-edit"),
    path("qualifications/", offers.qualification_list, name="qualification-list"),
    path("qualifications/new/", offers.qualification_create, name="qualification-create"),
    path("qualifications/<int:pk>/", offers.qualification_detail, name="qualification-detail"),
    path("qualifications/<int:pk>/edit/", offers.qualification_edit, name="qualification-edit"),
    path("tracks/", tracks.track_list, name="track-list"),
    path("tracks/new/", tracks.track_create, name="track-create"),
    path("tracks/<int:pk>/", tracks.track_detail, name="track-detail"),
    path("tracks/<int:pk>/edit/", tracks.track_edit, name="track-edit"),
    path("tracks/<int:pk>/steps/", tracks.track_step_add, name="track-step-add"),
    path(
        "tracks/<int:pk>/steps/<int:step_pk>/move/",
        tracks.track_step_move,
        name="track-step-move",
    ),
    path(
        "tracks/<int:pk>/steps/<int:step_pk>/remove/",
        tracks.track_step_remove,
        name="track-step-remove",
    ),
    path("tracks/<int:pk>/order/", tracks.track_enforce_order, name="track-enforce-order"),
    path("booklet/", booklet.booklet, name="booklet"),
    path("booklet/pdf/", booklet.booklet_pdf, name="booklet-pdf"),
    path("booklet/prints/<int:pk>/", booklet.booklet_print, name="booklet-print"),
    path("booklet/prints/<int:pk>/pdf/", booklet.booklet_print_file, name="booklet-print-file"),
]
