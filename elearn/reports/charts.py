"""Horizontal bar charts drawn as SVG on the server: no JavaScript, no chart library.

Each chart carries a <title> and a <desc> for assistive technology, and the page
shows the same figures in a table beside it.
"""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
PAD = 10
BAR_LEFT = PAD
BAR_AREA = 520  # leaves room on the right for the figure written after the longest bar
ROW = 46  # a label line, then its bar under it: names need the whole width, not a narrow column
LABEL_CHARS = 80


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: a hidden figure, written but not drawn
    text: str
    target: float | None = None


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1].rstrip() + "…"


def bar_chart(chart_id: str, title: str, description: str, bars: list[Bar], *, scale: float | None = None) -> Markup:
    """An accessible horizontal bar chart; `scale` is the value of a full bar (the largest by default)."""
    values = [b.value for b in bars if b.value is not None] + [b.target for b in bars if b.target is not None]
    scale = scale or max(values + [0]) or 1
    height = PAD * 2 + ROW * max(len(bars), 1)
    chart_id = escape(chart_id)
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        f'<line class="chart-axis" x1="{BAR_LEFT}" y1="{PAD - 4}" x2="{BAR_LEFT}" y2="{height - PAD + 4}"/>',
    ]
    for index, bar in enumerate(bars):
        top = PAD + index * ROW
        bar_top = top + 20
        length = 0.0 if bar.value is None else BAR_AREA * bar.value / scale
        if bar.value:
            length = max(length, 1.5)  # a tiny figure still shows
        parts.append('<g class="chart-row">')
        parts.append(f'<text class="chart-label" x="{BAR_LEFT + 6}" y="{top + 14}">{escape(_short(bar.label))}</text>')
        if length:
            parts.append(f'<rect class="chart-bar" x="{BAR_LEFT}" y="{bar_top}" width="{length:.1f}" height="16"/>')
        if bar.target is not None:
            x = BAR_LEFT + BAR_AREA * bar.target / scale
            parts.append(f'<line class="chart-target" x1="{x:.1f}" y1="{bar_top - 3}" x2="{x:.1f}" '
                         f'y2="{bar_top + 19}"/>')
        parts.append(f'<text class="chart-value{" chart-hidden" if bar.value is None else ""}" '
                     f'x="{BAR_LEFT + length + 6:.1f}" y="{bar_top + 13}">{escape(bar.text)}</text>')
        parts.append("</g>")
    parts.append("</svg>")
    # Every text above went through escape() and every number is formatted here: safe to mark.
    return Markup("".join(parts))  # nosec B704
