"""Seed the catalogue of reasons for the final stages (rejected, withdrawn).

"declined: compensation" is in both lists: the candidate may decline our pay
(withdrawn), or we may reject because their expectations sit above the band.
"""

from django.db import migrations

REASONS = {
    "rejected": [
        ("not-enough-experience", "Not enough experience"),
        ("skills-gap", "Skills gap"),
        ("failed-interview", "Failed interview"),
        ("declined-compensation", "Declined: compensation"),
        ("position-filled", "Position filled"),
        ("other", "Other"),
    ],
    "withdrawn": [
        ("accepted-another-offer", "Accepted another offer"),
        ("declined-compensation", "Declined: compensation"),
        ("personal-reasons", "Personal reasons"),
        ("no-response", "No response"),
        ("other", "Other"),
    ],
}


def seed(apps, schema_editor):
    reason_model = apps.get_model("hiring", "DispositionReason")
    for applies_to, reasons in REASONS.items():
        for order, (code, label) in enumerate(reasons, start=1):
            reason_model.objects.update_or_create(
                applies_to=applies_to,
                code=code,
                defaults={"label": label, "display_order": order, "is_active": True},
            )


def unseed(apps, schema_editor):
    reason_model = apps.get_model("hiring", "DispositionReason")
    for applies_to, reasons in REASONS.items():
        reason_model.objects.filter(
            applies_to=applies_to, code__in=[code for code, _ in reasons]
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("hiring", "0002_disposition_reason_code_per_stage")]

    operations = [migrations.RunPython(seed, unseed)]
