from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "milepost.reviews"
    label = "reviews"
    verbose_name = "Reviews (cycles, objectives, development plans)"

    def ready(self) -> None:
        from milepost.accounts.audit import audited
        from milepost.people.signals import employee_page_sections
        from milepost.reviews.views import employee_section

        # The audit trail (docs/audit.md): one line a model.
        audited(self.get_model("ReviewCycle"), m2m=["units", "job_profiles"])
        audited(self.get_model("ReviewParticipant"))
        audited(self.get_model("Objective"))
        audited(self.get_model("DevelopmentPlanItem"))

        employee_page_sections.connect(employee_section, dispatch_uid="reviews-employee-section")
