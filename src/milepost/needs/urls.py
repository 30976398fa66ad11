from django.urls import path

from milepost.needs.views import board, needs, themes

app_name = "needs"

urlpatterns = [
    path("", needs.need_list, name="need-list"),
    path("new/", needs.need_create, name="need-create"),
    path("suggest/", needs.need_suggest, name="need-suggest"),
    path("<int:need_id>/", needs.need_detail, name="need-detail"),
    path("<int:need_id>/confirm/", needs.need_confirm, name="need-confirm"),
    path("<int:need_id>/mapping/", needs.need_mapping, name="need-mapping"),
    path("<int:need_id>/status/", needs.need_status, name="need-status"),
    path("<int:need_id>/withdraw/", needs.need_withdraw, name="need-withdraw"),
    path("<int:need_id>/theme/", needs.need_theme, name="need-theme"),
    path("themes/", themes.theme_list, name="theme-list"),
    path("themes/suggest/", themes.theme_suggest, name="theme-suggest"),
    path("themes/<int:theme_id>/", themes.theme_detail, name="theme-detail"),
    path("themes/<int:theme_id>/status/", themes.theme_status, name="theme-status"),
    path("themes/<int:theme_id>/delete/", themes.theme_delete, name="theme-delete"),
    # Demand board, dashboard and training plan: see board.py.
    path("board/", board.board, name="board"),
    path("board/weights/", board.weights, name="weights"),
    path("dashboard/", board.dashboard, name="dashboard"),
    path("plan/", board.plan, name="plan"),
]
