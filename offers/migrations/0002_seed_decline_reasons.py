"""Seed the catalogue of reasons a candidate declines an offer."""

from django.db import migrations

REASONS = [
    ("compensation", "Compensation"),
    ("accepted-another-offer", "Accepted another offer"),
    ("role-or-location", "Role or location"),
    ("timing", "Timing"),
    ("other", "Other"),
]


def seed(apps, schema_editor):
    reason_model = apps.get_model("offers", "DeclineReason")
    for order, (code, label) in enumerate(REASONS, start=1):
        reason_model.objects.update_or_create(
            code=code, defaults={"label": label, "display_order": order, "is_active": True}
        )


def unseed(apps, schema_editor):
    apps.get_model("offers", "DeclineReason").objects.filter(
        code__in=[code for code, _ in REASONS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("offers", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
