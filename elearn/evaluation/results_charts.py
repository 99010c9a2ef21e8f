"""SVG charts of the results, drawn with the reports' accessible bar chart (the page shows the same figures)."""
from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup

from elearn.reports.charts import Bar, bar_chart
from elearn.reports.tables import Table


def distribution_chart(table: Table) -> Markup | None:
    """Bars of answers per point or option of one question's table (rows: label, answers, share)."""
    if not table.rows:
        return None
    bars = [Bar(str(label), count, f"{count} ({share} %)" if share != "—" else str(count))
            for label, count, share in table.rows]
    return bar_chart(f"chart-{table.key}", table.title,
                     _("Bar chart of answers per point or option; the table below gives every figure."), bars)


def session_chart(table: Table) -> Markup | None:
    """Bars of each session's average rating (rows: session, ratings, average)."""
    if not table.rows:
        return None
    bars = [Bar(str(label), None if mean == "—" else float(mean), str(mean)) for label, _count, mean in table.rows]
    return bar_chart(f"chart-{table.key}", table.title,
                     _("Bar chart of each session's average rating; the table below gives every figure."), bars)


def charts(tables: list[Table]) -> dict[str, Markup]:
    result = {}
    for table in tables:
        chart = distribution_chart(table) if table.key.startswith("dist-") else \
            session_chart(table) if table.key.startswith("sess-") else None
        if chart is not None:
            result[table.key] = chart
    return result
