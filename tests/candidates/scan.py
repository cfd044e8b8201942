"""Where a person's data still is: every text column of every table, and every stored file.

A generic scanner for the erasure tests: it knows no model. Tables and columns come from
``connection.introspection`` (history tables, many-to-many tables and Django's own
included); files from walking the storage roots.
"""

from __future__ import annotations

from pathlib import Path

from django.db import connection

TEXT_FIELDS = {"CharField", "TextField", "JSONField", "SlugField", "EmailField", "URLField"}


def text_columns() -> dict[str, list[str]]:
    """Every table's text, char and JSON columns."""
    introspection = connection.introspection
    found: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        for table in introspection.table_names(cursor):
            columns = [
                column.name
                for column in introspection.get_table_description(cursor, table)
                if introspection.get_field_type(column.type_code, column) in TEXT_FIELDS
            ]
            if columns:
                found[table] = columns
    return found


def rows_mentioning(needles: list[str], columns_by_table: dict | None = None) -> dict[str, int]:
    """``{"table.column": rows}`` for every column holding any needle (case-insensitive).

    ``columns_by_table``: ``text_columns()`` computed once, for a test that scans twice.
    """
    patterns = [f"%{needle}%" for needle in needles]
    quote = connection.ops.quote_name
    hits: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table, columns in (columns_by_table or text_columns()).items():
            counts = ", ".join(
                f"count(*) FILTER (WHERE {quote(c)}::text ILIKE ANY(%s))" for c in columns
            )
            cursor.execute(f"SELECT {counts} FROM {quote(table)}", [patterns] * len(columns))
            for column, count in zip(columns, cursor.fetchone(), strict=True):
                if count:
                    hits[f"{table}.{column}"] = count
    return hits


def files_mentioning(roots: list[Path], needles: list[str]) -> list[str]:
    """Every file under ``roots`` whose bytes hold any needle (UTF-8, case-insensitive)."""
    wanted = [needle.lower().encode() for needle in needles]
    found = []
    for root in roots:
        for path in sorted(p for p in Path(root).rglob("*") if p.is_file()):
            content = path.read_bytes().lower()
            if any(needle in content for needle in wanted):
                found.append(str(path.relative_to(root)))
    return found
