from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "milepost.delivery"
    verbose_name = "Delivery: events, enrolment, attendance"

    def ready(self) -> None:
        from milepost.accounts.audit import audited

        # The audit trail (docs/audit.md). EnrolmentChange is itself the enrolment's history.
        audited(self.get_model("Event"), m2m=["clients"])
        audited(self.get_model("Session"), m2m=["facilitators"])
        audited(self.get_model("EventCost"))
        audited(self.get_model("Facilitator"))
        audited(self.get_model("Enrolment"))
        audited(self.get_model("Attendance"))
