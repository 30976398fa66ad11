from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "milepost.frameworks"
    label = "frameworks"
    verbose_name = "Competency frameworks and job profiles"

    def ready(self) -> None:
        from milepost.accounts.audit import audited

        # The audit trail (docs/audit.md): one line a model.
        audited(self.get_model("ProficiencyScale"))
        audited(self.get_model("ScaleLevel"))
        audited(self.get_model("Framework"))
        audited(self.get_model("Competency"), exclude=["path", "depth", "sort_key"])
        audited(self.get_model("CompetencyLevel"))
        audited(self.get_model("JobProfile"))
        audited(self.get_model("JobProfileRequirement"))
