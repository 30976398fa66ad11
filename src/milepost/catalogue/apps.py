from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "milepost.catalogue"
    label = "catalogue"
    verbose_name = "Catalogue: courses, qualifications and training tracks"

    def ready(self) -> None:
        from milepost.accounts.audit import audited
        from milepost.catalogue import printing

        printing.connect()  # kept booklet prints turn stale when the offer changes

        # The audit trail (docs/audit.md): one line a model.
        audited(self.get_model("Course"), m2m=["prerequisites"])
        audited(self.get_model("Qualification"))
        audited(self.get_model("LearningOutcome"))
        audited(self.get_model("Track"), m2m=["competencies"])
        audited(self.get_model("TrackStep"))
