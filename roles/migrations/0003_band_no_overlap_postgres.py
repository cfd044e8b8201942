from django.db import migrations

from core.migration_ops import PostgresOnlySQL


class Migration(migrations.Migration):
    """Band versions of one track and level never overlap (PostgreSQL).

    ``track`` is NULL for the shared ladder; COALESCE makes the ladder compare
    equal to itself. Elsewhere the ``band_*`` services check the same rule.
    """

    dependencies = [("roles", "0002_band_one_open_version")]
    operations = [
        PostgresOnlySQL(
            sql=[
                "CREATE EXTENSION IF NOT EXISTS btree_gist",
                "ALTER TABLE roles_salaryband ADD CONSTRAINT roles_band_no_overlap "
                "EXCLUDE USING gist (COALESCE(track_id, 0) WITH =, level_id WITH =, "
                "daterange(effective_from, effective_to, '[)') WITH &&)",
            ],
            reverse_sql=["ALTER TABLE roles_salaryband DROP CONSTRAINT roles_band_no_overlap"],
        )
    ]
