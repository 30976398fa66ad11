from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The top floor: the home page, project URLs, the API root and project-wide commands."""

    name = "milepost.site"
    label = "site"
    verbose_name = "Site"

    def ready(self) -> None:
        from milepost.people.signals import employee_page_sections
        from milepost.site.privacy_views import employee_section

        employee_page_sections.connect(employee_section, dispatch_uid="site-personal-data")
