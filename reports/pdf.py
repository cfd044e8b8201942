"""The PDF briefing: a summary for a non-technical reader, charts, then the tables.

Drawn with reportlab (as the offer letter is), its built-in Helvetica and its own
graphics for the charts: no fonts or scripts from the network. Tables stop after
``max_rows`` rows with a note that the CSV or XLSX holds them all; the rest is
still streamed, so the row count and the summary cover everything.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from reports.document import Chart, Report
from reports.kinds import EMPTY_NOTE
from reports.writers import display

BAR = colors.HexColor("#1f4e79")
GRID = colors.HexColor("#c8ccd2")


def write_pdf(report: Report, handle, tick, *, max_rows: int) -> int:
    styles = _styles()
    tables, total = [], 0
    for section in report.sections():
        columns = section.pdf_columns or list(range(len(section.columns)))
        data = [[Paragraph(_esc(section.columns[i]), styles["head"]) for i in columns]]
        count = 0
        for row in section.rows:
            count += 1
            total += 1
            tick(total)
            if count <= max_rows:
                data.append([Paragraph(_display(row[i]), styles["cell"]) for i in columns])
        tables.append(Paragraph(_esc(section.title), styles["h2"]))
        if count:
            tables.append(_table(data))
            if count > max_rows:
                tables.append(
                    Paragraph(
                        f"Showing the first {max_rows} of {count:,} rows; the CSV or XLSX "
                        "version of this report has them all.",
                        styles["small"],
                    )
                )
        else:
            tables.append(Paragraph(EMPTY_NOTE, styles["body"]))
        tables.append(Spacer(1, 0.4 * cm))
    story = [
        Paragraph(_esc(report.title), styles["h1"]),
        Paragraph(f"Generated {timezone.localtime():%Y-%m-%d %H:%M}", styles["small"]),
    ]
    for label, value in report.filters:
        story.append(Paragraph(f"{_esc(label)}: {_esc(value)}", styles["small"]))
    story.append(Spacer(1, 0.3 * cm))
    story.append(Paragraph("Summary", styles["h2"]))
    for line in report.summary() or [EMPTY_NOTE]:
        story.append(Paragraph(_esc(line), styles["body"]))
    for chart in report.charts():
        story += [Spacer(1, 0.3 * cm), bar_chart(chart)]
    story += [Spacer(1, 0.4 * cm), *tables]
    document = SimpleDocTemplate(
        handle,
        pagesize=landscape(A4),
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
        title=report.title,
        author="Hiring pipeline",
        creator="Hiring pipeline",
    )
    document.build(story)
    return total


def bar_chart(chart: Chart, *, width: float = 22 * cm, height: float = 6 * cm) -> Drawing:
    """Horizontal bars, one per label, with the title above and values at the bars' ends."""
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 12, chart.title, fontName="Helvetica-Bold", fontSize=11))
    bars = HorizontalBarChart()
    bars.x, bars.y = 3.5 * cm, 0.3 * cm
    bars.width, bars.height = width - 5 * cm, height - 1.2 * cm
    # Top to bottom in the order given: reportlab draws the first category at the bottom.
    bars.data = [list(reversed(chart.values)) or [0]]
    bars.categoryAxis.categoryNames = list(reversed(chart.labels)) or [""]
    bars.categoryAxis.labels.fontName = "Helvetica"
    bars.valueAxis.valueMin = 0
    bars.valueAxis.valueMax = max([*chart.values, 1]) * 1.15
    bars.valueAxis.labels.fontName = "Helvetica"
    bars.bars[0].fillColor = BAR
    bars.barLabelFormat = "%.1f" if chart.unit else "%d"
    bars.barLabels.nudge = 12
    bars.barLabels.fontName = "Helvetica"
    drawing.add(bars)
    return drawing


def _table(data) -> Table:
    table = Table(data, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e5eaf1")),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _display(value) -> str:
    return display(value)


def _esc(value) -> str:
    return escape(str(value))


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()["Normal"]
    body = ParagraphStyle("rbody", parent=base, fontName="Helvetica", fontSize=10, leading=13)
    return {
        "h1": ParagraphStyle(
            "rh1", parent=body, fontName="Helvetica-Bold", fontSize=18, leading=24
        ),
        "h2": ParagraphStyle(
            "rh2", parent=body, fontName="Helvetica-Bold", fontSize=12, leading=16, spaceBefore=6
        ),
        "body": ParagraphStyle("rbody2", parent=body, spaceAfter=4),
        "small": ParagraphStyle("rsmall", parent=body, fontSize=8, leading=10, textColor="#4b5563"),
        "head": ParagraphStyle(
            "rhead", parent=body, fontName="Helvetica-Bold", fontSize=8, leading=10
        ),
        "cell": ParagraphStyle("rcell", parent=body, fontSize=8, leading=10),
    }
