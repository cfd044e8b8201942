"""A ``Report`` to a file: CSV, XLSX, PDF or JSON, streamed to an open binary handle.

Every writer consumes the sections in order, one row at a time, and calls
``tick(rows_so_far)`` as it goes (the run's progress). CSV and XLSX cells that a
spreadsheet would run as a formula are neutralised (``reports.kinds.neutralise``).
A section with no rows still appears, saying so.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import json
from collections.abc import Callable
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils import timezone

from reports.document import Report
from reports.kinds import EMPTY_NOTE, Format, neutralise

Tick = Callable[[int], None]
PDF_MAX_ROWS = 200


def write(report: Report, fmt: str, handle, tick: Tick) -> int:
    """Write the report to ``handle``; returns the number of data rows."""
    writer = {
        Format.CSV: write_csv,
        Format.XLSX: write_xlsx,
        Format.PDF: write_pdf,
        Format.JSON: write_json,
    }[fmt]
    return writer(report, handle, tick)


def write_csv(report: Report, handle, tick: Tick) -> int:
    handle.write(codecs.BOM_UTF8)
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="", write_through=True)
    out = csv.writer(text)
    out.writerow([report.title])
    out.writerow([f"Generated {_local(timezone.now()):%Y-%m-%d %H:%M}"])
    for label, value in report.filters:
        out.writerow([neutralise(f"{label}: {value}")])
    total = 0
    for section in report.sections():
        out.writerow([])
        out.writerow([neutralise(section.title)])
        out.writerow([neutralise(c) for c in section.columns])
        count = 0
        for row in section.rows:
            out.writerow([_csv(value) for value in row])
            count += 1
            total += 1
            tick(total)
        if not count:
            out.writerow([EMPTY_NOTE])
    text.flush()
    text.detach()
    return total


def write_xlsx(report: Report, handle, tick: Tick) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook(write_only=True)
    summary_sheet = book.create_sheet("Summary")
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="1F4E79")

    def header(sheet, values):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=neutralise(value))
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cells.append(cell)
        sheet.append(cells)

    total, names = 0, {"Summary"}
    for section in report.sections():
        sheet = book.create_sheet(_sheet_name(section.title, names))
        sheet.freeze_panes = "A2"
        for index in range(len(section.columns)):
            sheet.column_dimensions[_column_letter(index)].width = 18
        header(sheet, section.columns)
        count = 0
        for row in section.rows:
            sheet.append([neutralise(_cell(value)) for value in row])
            count += 1
            total += 1
            tick(total)
        if not count:
            sheet.append([EMPTY_NOTE])
    summary_sheet.column_dimensions["A"].width = 90
    header(summary_sheet, [report.title])
    summary_sheet.append([f"Generated {_local(timezone.now()):%Y-%m-%d %H:%M}"])
    for label, value in report.filters:
        summary_sheet.append([neutralise(f"{label}: {value}")])
    for line in report.summary() or [EMPTY_NOTE]:
        summary_sheet.append([neutralise(line)])
    book.save(handle)
    return total


def write_json(report: Report, handle, tick: Tick) -> int:
    text = io.TextIOWrapper(handle, encoding="utf-8", write_through=True)
    head = {
        "kind": report.kind,
        "title": report.title,
        "generated_at": timezone.now().isoformat(),
        "filters": dict(report.filters),
    }
    text.write(json.dumps(head)[:-1] + ', "sections": [')
    total = 0
    for index, section in enumerate(report.sections()):
        text.write(", " if index else "")
        text.write(json.dumps({"title": section.title, "columns": section.columns})[:-1])
        text.write(', "rows": [')
        count = 0
        for row in section.rows:
            text.write((", " if count else "") + json.dumps([_json(v) for v in row]))
            count += 1
            total += 1
            tick(total)
        text.write("]" + ("" if count else f', "note": {json.dumps(EMPTY_NOTE)}') + "}")
    text.write('], "summary": ' + json.dumps(report.summary()) + "}")
    text.flush()
    text.detach()
    return total


def write_pdf(report: Report, handle, tick: Tick) -> int:
    from reports import pdf

    return pdf.write_pdf(report, handle, tick, max_rows=PDF_MAX_ROWS)


def display(value) -> str:
    """A value as a PDF or a page shows it."""
    if isinstance(value, datetime.datetime):
        return f"{_local(value):%Y-%m-%d %H:%M}"
    return escape(_text(value))


def _csv(value) -> str:
    # Only text is neutralised: a negative number is data, not a formula.
    return neutralise(value) if isinstance(value, str) else _text(value)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return _local(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date | Decimal):
        return str(value)
    if isinstance(value, list | dict):
        return json.dumps(value)
    return str(value)


def _cell(value):
    """Typed XLSX cells: numbers stay numbers, dates dates (naive local time)."""
    if isinstance(value, datetime.datetime):
        return _local(value).replace(tzinfo=None)
    if isinstance(value, bool | int | float | Decimal | datetime.date) or value is None:
        return value
    return _text(value)


def _json(value):
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, list | dict):
        return value
    return _text(value)


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def _sheet_name(title: str, taken: set[str]) -> str:
    base = "".join(c for c in title if c not in "[]:*?/\\")[:28] or "Sheet"
    name, n = base, 2
    while name in taken:
        name, n = f"{base} {n}", n + 1
    taken.add(name)
    return name


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
