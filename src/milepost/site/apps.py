from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The top floor: the home page, project URLs, the API root and project-wide commands."""

    name = "milepost.site"
    label = "site"
    verbose_name = "Site"
