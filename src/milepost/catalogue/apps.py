from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "milepost.catalogue"
    label = "catalogue"
    verbose_name = "Catalogue: courses, qualifications and training tracks"
