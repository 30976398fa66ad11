"""A mapping's score becomes the fit a person reads (0..1, shown as a percentage).

Stored scores were raw hybrid scores (up to about 1.8); they are rescaled as
needs.matching.fit_from_score does for the dense model: score / 1.2, capped at 1.
"""

from django.db import migrations
from django.db.models import F, Value
from django.db.models.functions import Least

FULL_FIT = 1.2


def rescale(apps, schema_editor):
    NeedCompetency = apps.get_model("needs", "NeedCompetency")
    NeedCompetency.objects.filter(score__isnull=False).update(
        score=Least(F("score") / Value(FULL_FIT), Value(1.0))
    )


class Migration(migrations.Migration):
    dependencies = [("needs", "0001_initial")]

    operations = [migrations.RunPython(rescale, migrations.RunPython.noop)]
