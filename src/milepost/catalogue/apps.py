from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "milepost.catalogue"
    label = "catalogue"
    verbose_name = "Catalogue: courses, qualifications and training tracks"

    def ready(self) -> None:
        from milepost.catalogue import printing

        printing.connect()  # kept booklet prints turn stale when the offer changes
