"""Create the one GapStructure row up front, so bumping it is always a single UPDATE."""

import uuid

from django.db import migrations


def create_row(apps, schema_editor):
    GapStructure = apps.get_model("insights", "GapStructure")
    GapStructure.objects.get_or_create(pk=1, defaults={"token": uuid.uuid4().hex})


def delete_row(apps, schema_editor):
    apps.get_model("insights", "GapStructure").objects.filter(pk=1).delete()


class Migration(migrations.Migration):
    dependencies = [("insights", "0001_initial")]

    operations = [migrations.RunPython(create_row, delete_row)]
