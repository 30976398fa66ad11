from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "milepost.reviews"
    label = "reviews"
    verbose_name = "Reviews (cycles, objectives, development plans)"

    def ready(self) -> None:
        from milepost.people.signals import employee_page_sections
        from milepost.reviews.views import employee_section

        employee_page_sections.connect(employee_section, dispatch_uid="reviews-employee-section")
