# Review cycles, objectives and development plans moved here from the people app. Their tables
# already exist (people 0002): this migration only tells Django's state, under the old table
# names; 0002 then renames the tables.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0002_notification'),
        ('frameworks', '0001_initial'),
        ('people', '0002_review_cycles'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
            migrations.CreateModel(
                name='ReviewCycle',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=200, unique=True)),
                    ('description', models.TextField(blank=True)),
                    ('opens_on', models.DateField()),
                    ('self_assessment_due', models.DateField()),
                    ('manager_assessment_due', models.DateField()),
                    ('closes_on', models.DateField()),
                    ('status', models.CharField(choices=[('open', 'Open'), ('closed', 'Closed')], default='open', max_length=16)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('closed_at', models.DateTimeField(blank=True, null=True)),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('job_profiles', models.ManyToManyField(blank=True, related_name='review_cycles', to='frameworks.jobprofile')),
                    ('units', models.ManyToManyField(blank=True, help_text='Each with the units below it.', related_name='review_cycles', to='accounts.orgunit')),
                ],
                options={
                    'db_table': 'people_reviewcycle',
                    'ordering': ['-opens_on', 'name'],
                },
            ),
            migrations.CreateModel(
                name='Objective',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('title', models.CharField(max_length=300)),
                    ('description', models.TextField(blank=True)),
                    ('weight', models.PositiveSmallIntegerField(help_text="Share of the cycle's objectives, in %.")),
                    ('progress', models.PositiveSmallIntegerField(default=0, help_text='Per cent done, 0-100.')),
                    ('due_on', models.DateField(blank=True, null=True)),
                    ('status', models.CharField(choices=[('active', 'Active'), ('achieved', 'Achieved'), ('dropped', 'Dropped')], default='active', max_length=16)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('updated_at', models.DateTimeField(auto_now=True)),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('employee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='objectives', to='people.employee')),
                    ('cycle', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='objectives', to='reviews.reviewcycle')),
                ],
                options={
                    'db_table': 'people_objective',
                    'ordering': ['employee', 'cycle', '-weight', 'title'],
                },
            ),
            migrations.CreateModel(
                name='DevelopmentPlanItem',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('target_level', models.PositiveSmallIntegerField()),
                    ('action', models.CharField(help_text='What will be done: course, project...', max_length=500)),
                    ('due_on', models.DateField(blank=True, null=True)),
                    ('status', models.CharField(choices=[('planned', 'Planned'), ('in_progress', 'In progress'), ('done', 'Done')], default='planned', max_length=16)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('updated_at', models.DateTimeField(auto_now=True)),
                    ('competency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='frameworks.competency')),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('employee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='development_items', to='people.employee')),
                    ('cycle', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='development_items', to='reviews.reviewcycle')),
                ],
                options={
                    'db_table': 'people_developmentplanitem',
                    'ordering': ['employee', 'status', 'due_on', 'pk'],
                },
            ),
            migrations.CreateModel(
                name='ReviewParticipant',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('self_submitted_at', models.DateTimeField(blank=True, null=True)),
                    ('manager_submitted_at', models.DateTimeField(blank=True, null=True)),
                    ('agreed_at', models.DateTimeField(blank=True, null=True)),
                    ('cycle', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='participants', to='reviews.reviewcycle')),
                    ('employee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reviews', to='people.employee')),
                    ('job_profile', models.ForeignKey(help_text="As at the cycle's start.", on_delete=django.db.models.deletion.PROTECT, related_name='+', to='frameworks.jobprofile')),
                ],
                options={
                    'db_table': 'people_reviewparticipant',
                    'ordering': ['cycle', 'employee__last_name', 'employee__first_name', 'employee_id'],
                    'constraints': [models.UniqueConstraint(fields=('cycle', 'employee'), name='unique_cycle_participant')],
                },
            ),
            ],
        ),
    ]
