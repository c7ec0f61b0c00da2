"""Charts drawn on the server as inline SVG with pygal, each shown beside a table of the same
figures (Circular 32/2017: a chart's content must be there as text too).

The portal's Content-Security-Policy allows no inline script or style, so pygal's <script>
and <style> are taken out of the SVG and `.chart` in site.css colours it. The SVG is one image
to assistive technology (role="img", named by its <title> and aria-label); the table beside it
carries the figures. Titles and series names come from the templates, in Vietnamese.
"""
from __future__ import annotations

import math
from datetime import date
from functools import partial

import pygal
from markupsafe import Markup
from pygal.style import Style

from gateway.templating import vn_number

WIDTH, HEIGHT = 600, 300
# Text sizes pygal leaves room for; site.css draws the text at the same sizes (`.chart svg`).
TEXT = Style(label_font_size=16, major_label_font_size=16, legend_font_size=16, title_font_size=18)
# Of a month's days, the x axis names every seventh; the table beside the chart names them all.
DAY_LABEL_EVERY = 7
MONTH_LABELS = 6  # at most, under the history; more would overlap
_KEPT_OUT = ("style", "script", "desc")  # pygal's styling and the data its JavaScript tooltips read


def history_chart(rows: list[dict], title: str, series: str) -> Markup:
    """A unit's score month by month: `rows` as unit_standing's "history" (oldest first), on a
    scale from 0 to the maximum score."""
    chart = _chart(pygal.Line, title, range=(0, max((row["maximum"] for row in rows), default=100)), dots_size=5,
                   x_labels_major_every=math.ceil(len(rows) / MONTH_LABELS), show_minor_x_labels=False)
    chart.x_labels = [month_label(row["month"]) for row in rows]
    chart.add(series, [row["score"] for row in rows])
    return Markup(chart.render(is_unicode=True))


def visits_chart(days: list[dict], title: str, views: str, visitors: str) -> Markup:
    """Page views and visitors day by day: `days` as visit_history's "days" (oldest first)."""
    top = max((max(day["views"], day["visitors"]) for day in days), default=0)
    chart = _chart(pygal.Bar, title, x_labels_major_every=DAY_LABEL_EVERY, show_minor_x_labels=False,
                   show_legend=True, legend_at_bottom=True, legend_at_bottom_columns=2, y_labels=whole_ticks(top))
    chart.x_labels = [date.fromisoformat(day["day"]).strftime("%d/%m") for day in days]
    chart.add(views, [day["views"] for day in days])
    chart.add(visitors, [day["visitors"] for day in days])
    return Markup(chart.render(is_unicode=True))


def whole_ticks(top: int, most: int = 5) -> list[int]:
    """Ticks from 0 to at least `top` in at most `most` steps of 1, 2 or 5 times a power of ten:
    counts have no fractions."""
    power = 1
    while True:
        for nice in (1, 2, 5):
            step = nice * power
            if step * most >= top:
                return list(range(0, step * math.ceil(max(top, 1) / step) + 1, step))
        power *= 10


def month_label(month: str) -> str:
    """'2026-12' → '12/2026'."""
    return f"{month[5:7]}/{month[:4]}"


def _chart(kind, title: str, **config):
    options = {"show_legend": False, "show_x_guides": False, "truncate_label": -1, "min_scale": 4, "max_scale": 8}
    chart = kind(title=title, width=WIDTH, height=HEIGHT, style=TEXT, js=[], disable_xml_declaration=True,
                 no_prefix=True, value_formatter=vn_number, **{**options, **config})
    return chart.add_xml_filter(partial(_image, title=title))


def _image(svg, title: str):
    """The SVG as one accessible image that draws without script or inline style: no <style>,
    <script>, comments, tooltip data or tooltip layer, and no ids (two charts share a page)."""
    for parent in list(svg.iter()):
        parent.attrib.pop("id", None)
        for child in list(parent):
            classes = child.get("class", "").split()
            if not isinstance(child.tag, str) or child.tag in _KEPT_OUT or "tooltip-overlay" in classes:
                parent.remove(child)
    for empty in [defs for defs in svg.findall("defs") if not len(defs)]:
        svg.remove(empty)
    svg.set("role", "img")
    svg.set("aria-label", title)
    return svg

