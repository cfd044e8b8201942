"""The shape every report takes before it becomes a file: sections of rows, streamed.

A selector returns a ``Report``: a title, the filters, and sections whose ``rows``
are generators reading one query each. A section may be built from what earlier
sections streamed (the pipeline's overall table), so writers consume sections in
order and ask for ``summary`` and ``charts`` only at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field


@dataclass
class Chart:
    """A bar chart: one bar per label (the funnel, days in stage)."""

    title: str
    labels: list[str]
    values: list[float]
    unit: str = ""


@dataclass
class Section:
    title: str
    columns: list[str]
    rows: Iterable[tuple]
    #: Indexes of the columns a PDF table shows (a page is narrower than a sheet).
    pdf_columns: list[int] | None = None


@dataclass
class Report:
    kind: str
    title: str
    filters: list[tuple[str, str]]
    sections: Callable[[], Iterator[Section]]
    #: Sentences for a non-technical reader, known once the sections are consumed.
    summary: Callable[[], list[str]] = lambda: []
    charts: Callable[[], list[Chart]] = lambda: []
    notes: list[str] = field(default_factory=list)
