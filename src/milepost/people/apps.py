from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "milepost.people"
    label = "people"
    verbose_name = "People and assessments"
