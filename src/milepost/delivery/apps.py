from typing import Any

from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "milepost.delivery"
    verbose_name = "Delivery: events, enrolment, attendance"

    def ready(self) -> None:
        from milepost.accounts.audit import audited
        from milepost.proposals.signals import proposal_accepted

        proposal_accepted.connect(_events_to_schedule, dispatch_uid="delivery-events-to-schedule")

        # The audit trail (docs/audit.md). EnrolmentChange is itself the enrolment's history.
        audited(self.get_model("Event"), m2m=["clients"])
        audited(self.get_model("Session"), m2m=["facilitators"])
        audited(self.get_model("EventCost"))
        audited(self.get_model("Facilitator"))
        audited(self.get_model("Enrolment"))
        audited(self.get_model("Attendance"))


def _events_to_schedule(sender: Any, proposal: Any, **kwargs: Any) -> None:
    from milepost.delivery.services.events import events_from_proposal

    events_from_proposal(proposal)
