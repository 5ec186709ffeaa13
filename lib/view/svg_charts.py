"""Small vector line charts as SVG text for print (the PDF brief): real <text>, no JavaScript.

The text is left to the page's fonts (``font-family: inherit``), so Chromium shapes Devanagari
with HarfBuzz and the PDF keeps it as text. Every label is HTML-escaped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from lib.view import theme
from lib.view.formats import fmt_short


@dataclass(frozen=True)
class Series:
    """One line: its label, colour and a value per day (None: no value)."""

    label: str
    color: str
    values: tuple[float | None, ...]


def nice_ticks(top: float, count: int = 4) -> list[float]:
    """Round axis ticks from 0 to at least ``top`` (steps of 1, 2 or 5 × 10ⁿ, whole numbers)."""
    if not top or top <= 0 or not math.isfinite(top):
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(step, 1.0)
    return [i * step for i in range(int(math.ceil(top / step - 1e-9)) + 1)]


def line_chart(days: Sequence[str], series: Sequence[Series], title: str, lang: str, *,
               width: int = 340, height: int = 190) -> str:
    """A line chart of day-by-day values with a y axis in lakh/crore, day labels and a legend."""
    left, right, top, legend_h = 46, 10, 24, 16 * math.ceil(len(series) / 2)
    bottom = 22 + legend_h
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for s in series for v in s.values if v is not None]
    ticks = nice_ticks(max(values, default=0))
    y_max = ticks[-1] or 1.0
    n = max(len(days), 1)

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n)

    def y(v: float) -> float:
        return top + plot_h * (1 - v / y_max)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{escape(title)}">',
           f'<text x="0" y="13" class="chart-title">{escape(title)}</text>']
    for tick in ticks:
        ty = y(tick)
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{ty:.1f}" y2="{ty:.1f}" '
                   f'stroke="{theme.GRID}" stroke-width="0.8"/>')
        out.append(f'<text x="{left - 5}" y="{ty + 3:.1f}" text-anchor="end" class="tick">'
                   f'{escape(fmt_short(tick, lang))}</text>')
    every = max(1, math.ceil(n / 8))
    for i, day in enumerate(days):
        if i % every == 0:
            out.append(f'<text x="{x(i):.1f}" y="{top + plot_h + 13}" text-anchor="middle" '
                       f'class="tick">{escape(day)}</text>')
    for i, s in enumerate(series):
        out.extend(_line(s, x, y, DASHES[i % len(DASHES)]))
    out.extend(_legend(series, left, height - legend_h + 4, plot_w))
    out.append("</svg>")
    return "\n".join(out)


DASHES = ("", "6 3", "2 2.5", "9 3 2 3")  # lines that overlap stay apart by their dashes


def _line(s: Series, x, y, dash: str) -> list[str]:
    """One series: a polyline through its points and a dot on each."""
    points = [(x(i), y(v)) for i, v in enumerate(s.values) if v is not None]
    if not points:
        return []
    path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
    out = [f'<polyline points="{path}" fill="none" stroke="{s.color}" stroke-width="2" '
           f'stroke-dasharray="{dash}" stroke-opacity="0.9"/>']
    out += [f'<circle cx="{px:.1f}" cy="{py:.1f}" r="2.4" fill="{s.color}"/>' for px, py in points]
    return out


def _legend(series: Sequence[Series], left: int, top: float, width: int) -> list[str]:
    """Two legend entries a row: a swatch and the label."""
    out = []
    for i, s in enumerate(series):
        lx, ly = left + (i % 2) * width / 2, top + 16 * (i // 2)
        out.append(f'<line x1="{lx:.1f}" x2="{lx + 12:.1f}" y1="{ly - 4:.1f}" y2="{ly - 4:.1f}" '
                   f'stroke="{s.color}" stroke-width="2" stroke-dasharray="{DASHES[i % len(DASHES)]}"/>')
        out.append(f'<text x="{lx + 16:.1f}" y="{ly:.1f}" class="legend">{escape(s.label)}</text>')
    return out
