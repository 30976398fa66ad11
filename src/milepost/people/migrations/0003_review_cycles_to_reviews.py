# Review cycles, objectives and development plans now belong to the reviews app (state only:
# the tables are kept and renamed by reviews 0002); assessments point at reviews.ReviewCycle.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0002_review_cycles'),
        ('reviews', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='assessment',
                    name='cycle',
                    field=models.ForeignKey(blank=True, help_text='The review cycle this rating was given in, if any.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='assessments', to='reviews.reviewcycle'),
                ),
                migrations.DeleteModel(name='ReviewParticipant'),
                migrations.DeleteModel(name='Objective'),
                migrations.DeleteModel(name='DevelopmentPlanItem'),
                migrations.DeleteModel(name='ReviewCycle'),
            ],
        ),
    ]
