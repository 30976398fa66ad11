from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "milepost.people"
    label = "people"
    verbose_name = "People and assessments"

    def ready(self) -> None:
        from milepost.accounts.audit import audited

        # The audit trail (docs/audit.md): one line a model.
        audited(self.get_model("Employee"))
        audited(self.get_model("Assessment"))
        audited(self.get_model("AgreedLevelChange"))
