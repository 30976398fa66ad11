from django.apps import AppConfig


class NeedsConfig(AppConfig):
    name = "milepost.needs"
    verbose_name = "Needs (the pull engine)"

    def ready(self) -> None:
        from milepost.accounts.audit import audited

        # The audit trail (docs/audit.md): one line a model. A need's status history
        # (StatusChange) is itself a log; the status on the need is recorded here.
        audited(self.get_model("DemandTheme"))
        audited(self.get_model("Need"))
        audited(self.get_model("NeedCompetency"))
        audited(self.get_model("PriorityWeights"))
        audited(self.get_model("PlannedTraining"))
