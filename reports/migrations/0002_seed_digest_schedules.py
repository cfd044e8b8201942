from django.db import migrations


def seed(apps, schema_editor):
    DigestSchedule = apps.get_model("reports", "DigestSchedule")
    for digest in ("pipeline", "band_review"):
        DigestSchedule.objects.get_or_create(
            digest=digest, defaults={"enabled": True, "weekday": 0, "hour": 7, "format": "xlsx"}
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
