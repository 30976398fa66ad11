from django.urls import path

from milepost.frameworks import views

app_name = "frameworks"

urlpatterns = [
    path("", views.framework_list, name="framework-list"),
    path("<int:pk>/", views.framework_detail, name="framework-detail"),
    path("competencies/", views.competency_search, name="competency-search"),
    path("competencies/options/", views.competency_options, name="competency-options"),
    path("competencies/<int:pk>/", views.competency_detail, name="competency-detail"),
    path(
        "competencies/<int:pk>/children/",
        views.competency_children_view,
        name="competency-children",
    ),
    path("profiles/", views.profile_list, name="profile-list"),
    path("profiles/new/", views.profile_create, name="profile-create"),
    path("profiles/<int:pk>/", views.profile_detail, name="profile-detail"),
    path("profiles/<int:pk>/edit/", views.profile_edit, name="profile-edit"),
]
