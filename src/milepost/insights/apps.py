from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "milepost.insights"
    verbose_name = "Insights (gap analytics)"

    def ready(self) -> None:
        from milepost.insights import signals

        signals.connect()
