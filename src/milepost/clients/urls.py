from django.urls import path

from milepost.clients.views import clients, interactions, journey, maps, portal, surveys

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
        "<int:client_id>/contacts/<int:contact_id>/erase/",
        clients.contact_erase,
        name="contact-erase",
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
    path("stakeholder-map/", maps.own_map_view, name="own-map"),
    path("<int:client_id>/stakeholder-map/", maps.client_map_view, name="client-map"),
    path("maps/<int:map_id>/", maps.map_view, name="map"),
    path("maps/<int:map_id>/download/", maps.map_download, name="map-download"),
    path("maps/<int:map_id>/stakeholders/new/", maps.stakeholder_add, name="stakeholder-add"),
    path("stakeholders/<int:stakeholder_id>/edit/", maps.stakeholder_edit, name="stakeholder-edit"),
    path(
        "stakeholders/<int:stakeholder_id>/remove/",
        maps.stakeholder_remove,
        name="stakeholder-remove",
    ),
    path("maps/<int:map_id>/ask/", maps.map_ask, name="map-ask"),
    path("maps/<int:map_id>/history/", maps.map_history, name="map-history"),
    path("map-reviews/<int:review_id>/", maps.map_review_answer, name="map-review"),
    path("journey/", journey.journey_map, name="journey-map"),
    path("<int:client_id>/journey/", journey.client_journey, name="journey"),
    path("<int:client_id>/journey/move/", journey.journey_move, name="journey-move"),
    path(
        "<int:client_id>/journey/responsible/",
        journey.journey_responsible,
        name="journey-responsible",
    ),
    path("surveys/", surveys.survey_overview, name="survey-overview"),
    path("<int:client_id>/surveys/", surveys.survey_results, name="survey-results"),
    path("<int:client_id>/surveys/send/", surveys.survey_send, name="survey-send"),
    path("survey/<str:token>/", surveys.survey_answer, name="survey-answer"),
    path("portal/", portal.own_portal, name="portal"),
    path("<int:client_id>/portal/", portal.client_portal, name="client-portal"),
]
