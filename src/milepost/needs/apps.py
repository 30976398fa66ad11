from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "milepost.needs"
    verbose_name = "Needs (the pull engine)"
