from django.apps import AppConfig


class ClientsConfig(AppConfig):
    name = "milepost.clients"
    verbose_name = "Clients and stakeholders"

    def ready(self) -> None:
        from milepost.accounts.audit import audited

        # The audit trail (docs/audit.md). OwnerChange, StageChange and MapVersion are
        # themselves histories; survey answers are the client's words, kept as they came.
        audited(self.get_model("Client"))
        audited(self.get_model("Contact"))
        audited(self.get_model("JourneyTemplate"))
        audited(self.get_model("JourneyStage"))
        audited(self.get_model("StageResponsibility"))
        audited(self.get_model("Interaction"), m2m=["contacts", "colleagues"])
        audited(self.get_model("StakeholderMap"))
        audited(self.get_model("Stakeholder"))
        audited(self.get_model("MapReview"))
        audited(self.get_model("SurveyInvitation"))
