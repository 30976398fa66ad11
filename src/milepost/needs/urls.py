from django.urls import path

from milepost.needs import board, views

app_name = "needs"

urlpatterns = [
    path("", views.need_list, name="need-list"),
    path("new/", views.need_create, name="need-create"),
    path("suggest/", views.need_suggest, name="need-suggest"),
    path("<int:need_id>/", views.need_detail, name="need-detail"),
    path("<int:need_id>/confirm/", views.need_confirm, name="need-confirm"),
    path("<int:need_id>/mapping/", views.need_mapping, name="need-mapping"),
    path("<int:need_id>/status/", views.need_status, name="need-status"),
    path("<int:need_id>/theme/", views.need_theme, name="need-theme"),
    path("themes/", views.theme_list, name="theme-list"),
    path("themes/suggest/", views.theme_suggest, name="theme-suggest"),
    path("themes/<int:theme_id>/", views.theme_detail, name="theme-detail"),
    path("themes/<int:theme_id>/status/", views.theme_status, name="theme-status"),
    path("themes/<int:theme_id>/delete/", views.theme_delete, name="theme-delete"),
    # Demand board, dashboard and training plan: see board.py.
    path("board/", board.board, name="board"),
    path("board/weights/", board.weights, name="weights"),
    path("dashboard/", board.dashboard, name="dashboard"),
    path("plan/", board.plan, name="plan"),
]
