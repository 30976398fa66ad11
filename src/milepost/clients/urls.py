from django.urls import path

from milepost.clients.views import clients

app_name = "clients"

urlpatterns = [
    path("", clients.client_list, name="list"),
    path("<int:client_id>/", clients.client_detail, name="detail"),
]
