from django.urls import path

from milepost.clients.views import clients, interactions

app_name = "clients"

urlpatterns = [
    path("", clients.client_list, name="list"),
    path("<int:client_id>/", clients.client_detail, name="detail"),
    path("new/", clients.client_create, name="create"),
    path("<int:client_id>/edit/", clients.client_edit, name="edit"),
    path("<int:client_id>/owner/", clients.client_owner, name="owner"),
    path("<int:client_id>/contacts/new/", clients.contact_create, name="contact-create"),
    path(
        "<int:client_id>/contacts/<int:contact_id>/edit/",
        clients.contact_edit,
        name="contact-edit",
    ),
    path(
        "<int:client_id>/interactions/new/",
        interactions.interaction_create,
        name="interaction-create",
    ),
    path(
        "<int:client_id>/interactions/<int:interaction_id>/done/",
        interactions.next_step_done,
        name="next-step-done",
    ),
]
