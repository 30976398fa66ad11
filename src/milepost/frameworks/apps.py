from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "milepost.frameworks"
    label = "frameworks"
    verbose_name = "Competency frameworks and job profiles"
