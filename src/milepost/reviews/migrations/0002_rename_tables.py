# The moved models take their own app's table names (the many-to-many tables follow).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0003_review_cycles_to_reviews'),
        ('reviews', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelTable(name='reviewcycle', table=None),
        migrations.AlterModelTable(name='reviewparticipant', table=None),
        migrations.AlterModelTable(name='objective', table=None),
        migrations.AlterModelTable(name='developmentplanitem', table=None),
    ]
