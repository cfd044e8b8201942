"""Full-text GIN index on the search document (PostgreSQL only).

The expression is exactly what ``SearchVector("search_document", config="simple")``
compiles to, so the planner can use the index (see candidates.selectors.search).
"""

from django.db import migrations

from core.migration_ops import PostgresOnlySQL


class Migration(migrations.Migration):
    dependencies = [("candidates", "0001_initial")]

    operations = [
        PostgresOnlySQL(
            sql=(
                "CREATE INDEX candidates_candidate_search_gin ON candidates_candidate "
                "USING gin (to_tsvector('simple'::regconfig, "
                "COALESCE(search_document, ''::text)))"
            ),
            reverse_sql="DROP INDEX IF EXISTS candidates_candidate_search_gin",
        ),
    ]
