"""The report's bar charts: every parliament's name is written whole, above its bar."""
import html
import re

from elearn.reports.charts import WIDTH, Bar, bar_chart

NAMES = ["National Assembly of Côte d'Ivoire", "National Assembly of The Gambia",
         "Chambre de la Fédération d'Éthiopie"]


def labels(svg: str) -> list[str]:
    return [html.unescape(text) for text in re.findall(r'<text class="chart-label"[^>]*>([^<]*)</text>', svg)]


def test_long_parliament_names_are_not_cut():
    svg = bar_chart("by-parliament", "By parliament", "Participations per parliament",
                    [Bar(name, value, str(value)) for name, value in zip(NAMES, (3, 16, 7), strict=True)])
    assert labels(svg) == NAMES


def test_the_longest_bar_and_its_figure_stay_inside_the_chart():
    svg = bar_chart("c", "t", "d", [Bar("A", 1000, "1,000"), Bar("B", 1, "1")])
    widths = [float(w) for w in re.findall(r'<rect class="chart-bar" x="[\d.]+" y="[\d.]+" width="([\d.]+)"', svg)]
    figure_x = max(float(x) for x in re.findall(r'<text class="chart-value" x="([\d.]+)"', svg))
    assert max(widths) < WIDTH and figure_x + 40 <= WIDTH
