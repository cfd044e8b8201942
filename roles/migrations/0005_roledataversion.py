import uuid

from django.db import migrations, models
from django.utils import timezone


def create_row(apps, schema_editor):
    RoleDataVersion = apps.get_model("roles", "RoleDataVersion")
    RoleDataVersion.objects.get_or_create(
        id=1, defaults={"token": uuid.uuid4().hex, "changed_at": timezone.now()}
    )


class Migration(migrations.Migration):
    dependencies = [("roles", "0004_guide_notes_and_units")]

    operations = [
        migrations.CreateModel(
            name="RoleDataVersion",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(
                        default=1, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("token", models.CharField(max_length=32)),
                ("changed_at", models.DateTimeField()),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("id", 1)), name="roles_roledataversion_singleton"
                    )
                ]
            },
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
