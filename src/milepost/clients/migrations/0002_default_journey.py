"""The employer journey that ships: six stages, each with its exit criteria and usual role."""

from django.db import migrations

DEFAULT_NAME = "Employer journey"
STAGES = [
    (
        "First contact and onboarding",
        "We know who they are, who owns them here, and their main contact has met us.",
        "account_manager",
    ),
    (
        "Understanding the business",
        "Their business issues are written down with the manager who owns them.",
        "account_manager",
    ),
    (
        "Proposal",
        "A proposal tied to a business issue and a measure has been agreed or declined.",
        "account_manager",
    ),
    (
        "Delivery",
        "The agreed training has run and attendance and completion are recorded.",
        "coordinator",
    ),
    (
        "Service review",
        "The client has told us how satisfied they are and we have answered what they raised.",
        "account_manager",
    ),
    (
        "Growing the relationship",
        "We have agreed what comes next with them: new needs, renewal or a wider scope.",
        "account_manager",
    ),
]


def create(apps, schema_editor):
    template_model = apps.get_model("clients", "JourneyTemplate")
    stage_model = apps.get_model("clients", "JourneyStage")
    if template_model.objects.filter(is_default=True).exists():
        return
    template = template_model.objects.create(name=DEFAULT_NAME, is_default=True)
    stage_model.objects.bulk_create(
        stage_model(template=template, position=position, name=name, exit_criteria=exit, usual_role=role)
        for position, (name, exit, role) in enumerate(STAGES, start=1)
    )


def remove(apps, schema_editor):
    apps.get_model("clients", "JourneyTemplate").objects.filter(name=DEFAULT_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("clients", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
