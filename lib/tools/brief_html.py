"""The brief as HTML for Chromium's printer: two fixed A4 pages, bundled fonts, escaped values."""

from __future__ import annotations

from html import escape

from lib.data.engine import ROOT
from lib.tools.brief import Brief, Table
from lib.view import theme
from lib.view.svg_charts import line_chart
from lib.view.tiles import Tile

FONTS = ROOT / "static" / "fonts"
DEVANAGARI_RANGE = "U+0900-097F, U+1CD0-1CFF, U+200C-200D, U+20F0, U+25CC, U+A830-A839, U+A8E0-A8FF"


def _font_faces() -> str:
    """@font-face rules: Noto Sans for Latin, Noto Sans Devanagari for Devanagari (file:// URLs)."""
    rules = []
    for weight, style in ((400, "Regular"), (700, "Bold")):
        rules.append(f'@font-face {{ font-family: "Brief"; font-weight: {weight}; '
                     f'src: url("{(FONTS / f"NotoSans-{style}.ttf").as_uri()}"); }}')
        rules.append(f'@font-face {{ font-family: "Brief"; font-weight: {weight}; '
                     f'src: url("{(FONTS / f"NotoSansDevanagari-{style}.ttf").as_uri()}"); '
                     f"unicode-range: {DEVANAGARI_RANGE}; }}")
    return "\n".join(rules)


def _css() -> str:
    """The brief's style sheet (sizes in points, so that print and screenshot agree)."""
    return _font_faces() + f"""
@page {{ size: A4; margin: 0; }}
* {{ box-sizing: border-box; }}
html, body {{ margin: 0; padding: 0; background: #fff; }}
body {{ font-family: "Brief"; color: {theme.TEXT}; font-size: 9pt; line-height: 1.3; }}
.page {{ width: 210mm; height: 297mm; padding: 11mm 12mm 10mm; overflow: hidden;
        break-after: page; position: relative; }}
.page:last-child {{ break-after: auto; }}
header {{ border-bottom: 2pt solid {theme.PRIMARY}; padding-bottom: 2.5mm; margin-bottom: 4mm; }}
.org {{ color: {theme.MUTED}; font-size: 9pt; }}
h1 {{ font-size: 19pt; margin: 0.5mm 0 1mm; color: {theme.PRIMARY}; }}
.lines {{ display: flex; flex-wrap: wrap; gap: 1mm 5mm; font-size: 9.5pt; }}
h2 {{ font-size: 12pt; margin: 5mm 0 2mm; color: {theme.PRIMARY}; }}
.tiles {{ display: grid; grid-template-columns: repeat(4, 1fr); gap: 2.5mm; }}
.tile {{ border: 0.8pt solid {theme.GRID}; border-radius: 2mm; padding: 2mm 2.5mm; }}
.tile .label {{ color: {theme.MUTED}; font-size: 8.5pt; }}
.tile .value {{ font-size: 16pt; font-weight: 700; margin: 0.5mm 0; }}
.tile .delta {{ font-size: 8.5pt; }}
.up {{ color: {theme.POSITIVE}; }} .down {{ color: {theme.NEGATIVE}; }}
.tile .delta .desc {{ color: {theme.MUTED}; font-size: 7.5pt; }}
.tile .note {{ color: {theme.MUTED}; font-size: 8pt; }}
table {{ border-collapse: collapse; width: 100%; font-size: 8.5pt; }}
th {{ text-align: left; color: {theme.MUTED}; font-weight: 400; border-bottom: 1pt solid
     {theme.TEXT}; padding: 1mm 1.5mm; vertical-align: bottom; }}
td {{ border-bottom: 0.5pt solid {theme.GRID}; padding: 1mm 1.5mm; }}
td:nth-child(2) {{ white-space: nowrap; }}
td.num {{ text-align: right; white-space: nowrap; }} th.num {{ text-align: right; }}
tr.top td {{ background: #E8F5E9; }} tr.bottom td {{ background: #FDECEA; }}
.badge {{ font-size: 7.5pt; padding: 0.2mm 1.2mm; border-radius: 1mm; color: #fff;
          white-space: nowrap; }}
.badge.top {{ background: {theme.POSITIVE}; }} .badge.bottom {{ background: {theme.NEGATIVE}; }}
.charts {{ display: flex; gap: 6mm; }}
svg.chart {{ font-family: inherit; }}
svg .chart-title {{ font-size: 10pt; font-weight: 700; fill: {theme.TEXT}; }}
svg .tick {{ font-size: 7.5pt; fill: {theme.MUTED}; }}
svg .legend {{ font-size: 8pt; fill: {theme.TEXT}; }}
footer {{ position: absolute; left: 12mm; right: 12mm; bottom: 9mm; font-size: 7.5pt;
          color: {theme.MUTED}; border-top: 1pt solid {theme.GRID}; padding-top: 2mm; }}
footer dl {{ display: grid; grid-template-columns: max-content 1fr; gap: 0.4mm 3mm; margin: 0 0 2mm; }}
footer dt {{ color: {theme.TEXT}; font-weight: 700; }} footer dd {{ margin: 0; }}
footer h3 {{ font-size: 9pt; margin: 0 0 1.5mm; color: {theme.TEXT}; }}
.ok {{ color: {theme.POSITIVE}; }}
"""


def _tile(tile: Tile) -> str:
    """One KPI tile: label, value, change since the previous day (coloured), progress to target."""
    good_when_up = tile.delta_color != "inverse"
    delta = tile.delta or ""
    cls = "" if delta[:1] not in "+-" or not delta or tile.delta_color == "off" else (
        "up" if (delta.startswith("+") == good_when_up) else "down")
    parts = [f'<div class="label">{escape(tile.label)}</div>',
             f'<div class="value">{escape(tile.value)}</div>']
    if delta:
        desc = (f' <span class="desc">{escape(tile.delta_description)}</span>'
                if tile.delta_description else "")
        parts.append(f'<div class="delta {cls}">{escape(delta)}{desc}</div>')
    if tile.note:
        parts.append(f'<div class="note">{escape(tile.note)}</div>')
    return '<div class="tile">' + "".join(parts) + "</div>"


def _table(table: Table, marks_text: tuple[str, str] = ("", ""), numeric_from: int = 2) -> str:
    """A table; columns from ``numeric_from`` on are right-aligned; marked rows get a badge."""
    head = "".join(f'<th class="{"num" if i >= numeric_from else ""}">{escape(h)}</th>'
                   for i, h in enumerate(table.headers))
    body = []
    for i, row in enumerate(table.rows):
        mark = table.marks[i] if i < len(table.marks) else ""
        cells = []
        for j, cell in enumerate(row):
            text = escape(cell)
            if j == 1 and mark:
                label = marks_text[0] if mark == "top" else marks_text[1]
                text += f' <span class="badge {mark}">{escape(label)}</span>'
            cells.append(f'<td class="{"num" if j >= numeric_from else ""}">{text}</td>')
        body.append(f'<tr class="{mark}">' + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _page_one(brief: Brief) -> str:
    """Title block, the Overview's tiles, the league table and the campaign day by day."""
    lines = "".join(f"<span>{escape(line)}</span>" for line in brief.lines)
    tiles = "".join(_tile(tile) for tile in brief.tiles)
    charts = "".join(line_chart(brief.days, series, title, brief.lang)
                     for title, series in brief.charts)
    return (f'<section class="page"><header><div class="org">{escape(brief.org)}</div>'
            f"<h1>{escape(brief.title)}</h1><div class=\"lines\">{lines}</div></header>"
            f'<div class="tiles">{tiles}</div>'
            f"<h2>{escape(brief.league_title)}</h2>{_table(brief.league, brief.marks_text)}"
            f'<h2>{escape(brief.trend_title)}</h2><div class="charts">{charts}</div>'
            "</section>")


def _page_two(brief: Brief) -> str:
    """The units needing attention, each figure's definition and the data's freshness."""
    attention = (_table(brief.attention, numeric_from=2) if brief.attention is not None
                 else f'<p class="ok">{escape(brief.on_track)}</p>')
    terms = "".join(f"<dt>{escape(label)}</dt><dd>{escape(text)}</dd>"
                    for label, text in brief.definitions)
    fresh = "".join(f"<div>{escape(line)}</div>" for line in brief.freshness)
    return (f'<section class="page"><h2>{escape(brief.attention_title)}</h2>{attention}'
            f"<footer><h3>{escape(brief.definitions_title)}</h3><dl>{terms}</dl>{fresh}</footer>"
            "</section>")


def to_html(brief: Brief) -> str:
    """The whole document."""
    title = f"{brief.title} · {brief.lines[0]}"
    return (f'<!doctype html><html lang="{brief.lang}"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title><style>{_css()}</style></head>"
            f"<body>{_page_one(brief)}{_page_two(brief)}</body></html>")
