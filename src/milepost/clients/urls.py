from django.urls import path

from milepost.clients.views import clients, journey, portal, surveys

app_name = "clients"

urlpatterns = [
    path("", clients.client_list, name="list"),
    path("<int:client_id>/", clients.client_detail, name="detail"),
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
