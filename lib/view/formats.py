"""Indian number, money, date and time formats for screen and print, in English and Hindi.

Grouping comes from babel's ``en_IN`` / ``hi_IN`` locales (12,34,567); both languages keep Latin
digits, as Indian government dashboards do. Rounding is half-up (2.245 -> 2.25), as in MIS
reports, not banker's rounding. Missing values (None, NaN, NaT, pd.NA) print as an em dash.
``axis_label_expr`` gives the same lakh/crore short forms as Vega expressions for chart axes.
"""

from __future__ import annotations

import decimal
import math
import numbers
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from zoneinfo import ZoneInfo

import pandas as pd
from babel import Locale
from babel.dates import format_date as _babel_date
from babel.numbers import NumberPattern, parse_pattern

from lib.view.labels import LABELS, t

DASH = "—"
IST = ZoneInfo("Asia/Kolkata")
LOCALES = {"en": "en_IN", "hi": "hi_IN"}
LAKH = 100_000
CRORE = 10_000_000

# How each KPI of the KPI object (lib.figures.metrics.KPI_KEYS) is printed.
KPI_KINDS: dict[str, str] = {
    "consumers": "int",
    "negative_balance": "int",
    "arrears_inr": "inr",
    "negative_at_start": "int",
    "negative_cleared": "int",
    "otp_verified": "int",
    "app_downloaded": "int",
    "app_trained": "int",
    "contacted": "int",
    "verification_coverage": "pct",
    "app_coverage": "pct",
    "recharge_count": "int",
    "recharge_inr": "inr",
    "app_recharge_share": "pct",
    "complaints_received": "int",
    "complaints_resolved": "int",
    "complaints_open": "int",
    "resolution_hours_median": "hours",
}


# --- helpers --------------------------------------------------------------------------------

def is_missing(x: object) -> bool:
    """True for None, NaN, NaT and pd.NA (and anything pandas calls missing)."""
    if x is None:
        return True
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):  # lists, arrays: not a scalar, so not "missing"
        return False


def _locale(lang: str) -> str:
    try:
        return LOCALES[lang]
    except KeyError:
        raise ValueError(f"unknown language {lang!r}; expected one of {tuple(LOCALES)}") from None


def _dec(x: object) -> Decimal:
    """A number as an exact Decimal: ints as they are, floats by their shortest repr (0.1 -> 0.1)."""
    if isinstance(x, Decimal):
        return x
    if isinstance(x, numbers.Integral) and not isinstance(x, bool):
        return Decimal(int(x))
    return Decimal(repr(float(x)))  # type: ignore[arg-type]


def _number(x: object, decimals: int, lang: str, *, trim: bool = False) -> str:
    """Indian-grouped number with ``decimals`` places (``trim``: drop trailing zeros), half-up."""
    frac = "#" * decimals if trim else "0" * decimals
    pattern = _pattern("#,##,##0" + ("." + frac if decimals else ""))
    value = _dec(x)
    with decimal.localcontext() as ctx:
        ctx.rounding = decimal.ROUND_HALF_UP
        text = pattern.apply(value, _babel_locale(lang))
    return "0" if text in ("-0", "-0.0") else text


# babel's format_decimal parses its pattern and locale on every call; a table of thousands of
# cells formats four times faster with both parsed once (same output).
@cache
def _pattern(pattern: str) -> NumberPattern:
    return parse_pattern(pattern)


@cache
def _babel_locale(lang: str) -> Locale:
    return Locale.parse(_locale(lang))


def _round_half_up(x: object, decimals: int) -> Decimal:
    quantum = Decimal(1).scaleb(-decimals)
    return _dec(x).quantize(quantum, rounding=decimal.ROUND_HALF_UP)


# --- numbers ---------------------------------------------------------------------------------

def fmt_int(n: object, lang: str = "en") -> str:
    """Whole number in Indian grouping: 1234567 -> "12,34,567"; missing -> "—"."""
    if is_missing(n):
        return DASH
    return _number(n, 0, lang)


def fmt_num(x: object, lang: str = "en", decimals: int = 1) -> str:
    """Decimal number in Indian grouping with a fixed number of places: 1234.5 -> "1,234.5"."""
    if is_missing(x):
        return DASH
    return _number(x, decimals, lang)


def fmt_inr(x: object, lang: str = "en", decimals: int = 0) -> str:
    """Full rupees in Indian grouping: "₹12,34,567"; negative "-₹1,234"; missing -> "—"."""
    if is_missing(x):
        return DASH
    value = _round_half_up(x, decimals)
    body = _number(abs(value), decimals, lang)
    return ("-₹" if value < 0 else "₹") + body


def fmt_short(x: object, lang: str = "en", rupee: bool = False) -> str:
    """Lakh/crore short form for tiles, labels and axes, always two decimals ("₹1.10 crore",
    "₹8.00 lakh", "₹7.88 लाख"); below a lakh in full."""
    if is_missing(x):
        return DASH
    value = _dec(x)
    sign = "-" if value < 0 else ""
    mag = abs(value)
    prefix = sign + ("₹" if rupee else "")
    if mag >= LAKH:
        lakhs = _round_half_up(mag / LAKH, 2)
        if mag >= CRORE or lakhs >= 100:  # 99,99,999 reads "1 crore", not "100 lakh"
            body, word = _number(mag / CRORE, 2, lang), t("unit.crore", lang)
        else:
            body, word = _number(mag / LAKH, 2, lang), t("unit.lakh", lang)
        return f"{prefix}{body} {word}"
    rounded = _round_half_up(mag, 0)
    if rounded >= LAKH:  # 99,999.6 rounds up to a lakh
        return f"{prefix}1.00 {t('unit.lakh', lang)}"
    if not rounded:
        return "₹0" if rupee else "0"
    return prefix + _number(rounded, 0, lang)


def fmt_pct(r: object, lang: str = "en", decimals: int = 1) -> str:
    """A ratio (0-1) as a percentage: 0.2345 -> "23.5%"; missing -> "—"."""
    if is_missing(r):
        return DASH
    return _number(_dec(r) * 100, decimals, lang) + "%"


def fmt_hours(h: object, lang: str = "en", decimals: int = 1) -> str:
    """Hours with one decimal: "5.2 h" / "5.2 घंटे"; missing -> "—"."""
    if is_missing(h):
        return DASH
    return f"{_number(h, decimals, lang)} {t('unit.hours', lang)}"


_DELTA_KINDS = {"int": "int", "count": "int", "inr": "inr", "pct_point": "pct_point",
                "pct-point": "pct_point", "pct": "pct_point", "pp": "pct_point",
                "hours": "hours"}


def fmt_delta(n: object, kind: str = "int", lang: str = "en") -> str:
    """Signed change for a tile: "+1,234", "-₹2.24 lakh", "+2.1 pp" (pct-point: ratio difference).

    Negative values start with an ASCII "-" so that ``st.metric`` shows them as a fall.
    """
    if is_missing(n):
        return DASH
    try:
        kind = _DELTA_KINDS[kind]
    except KeyError:
        raise ValueError(f"unknown delta kind {kind!r}") from None
    value = _dec(n)
    if kind == "int":
        body = fmt_int(abs(value), lang)
    elif kind == "inr":
        body = fmt_short(abs(value), lang, rupee=True)
    elif kind == "hours":
        body = fmt_hours(abs(value), lang)
    else:
        body = f"{_number(abs(value) * 100, 1, lang)} {t('unit.pct_point', lang)}"
    if not any(ch in "123456789" for ch in body):  # rounds to zero: no sign
        return body
    return ("-" if value < 0 else "+") + body


# --- dates and times --------------------------------------------------------------------------

def _as_date(d: object) -> date:
    if isinstance(d, pd.Timestamp):
        return d.date()
    if isinstance(d, datetime):
        return d.date()
    if isinstance(d, date):
        return d
    if isinstance(d, str):
        return date.fromisoformat(d[:10])
    raise TypeError(f"not a date: {d!r}")


def fmt_date(d: object, lang: str = "en") -> str:
    """Day, short month, year: "02 Feb 2026" / "02 फ़र॰ 2026"; missing -> "—"."""
    if is_missing(d):
        return DASH
    text = _babel_date(_as_date(d), "dd MMM y", locale=_locale(lang))
    return text.replace("Sept", "Sep")  # en_IN's CLDR "Sept"; charts and tables say "Sep"


def fmt_day(d: object, lang: str = "en") -> str:
    """Day and short month without the year: "02 Feb" / "02 फ़र॰" (heatmap columns, ticks)."""
    if is_missing(d):
        return DASH
    text = _babel_date(_as_date(d), "dd MMM", locale=_locale(lang))
    return text.replace("Sept", "Sep")


def to_ist(dt: datetime) -> datetime:
    """A datetime in IST: naive ones are taken to be IST already; aware ones are converted."""
    if isinstance(dt, pd.Timestamp):
        dt = dt.to_pydatetime()
    if dt.tzinfo is None:
        return dt.replace(tzinfo=IST)
    return dt.astimezone(IST)


def fmt_datetime_ist(dt: object, lang: str = "en") -> str:
    """Date and time in IST: "02 Feb 2026, 14:05 IST" (naive = IST; aware converted)."""
    if is_missing(dt):
        return DASH
    if isinstance(dt, str):
        dt = datetime.fromisoformat(dt)
    if not isinstance(dt, datetime):
        raise TypeError(f"not a datetime: {dt!r}")
    local = to_ist(dt)
    return f"{fmt_date(local, lang)}, {local:%H:%M} {t('unit.ist', lang)}"


# --- tables -----------------------------------------------------------------------------------

def _formatter(kind: str, lang: str) -> Callable[[object], str]:
    formatters: dict[str, Callable[[object], str]] = {
        "int": lambda v: fmt_int(v, lang),
        "num": lambda v: fmt_num(v, lang),
        "inr": lambda v: fmt_inr(v, lang),
        "inr_short": lambda v: fmt_short(v, lang, rupee=True),
        "short": lambda v: fmt_short(v, lang),
        "pct": lambda v: fmt_pct(v, lang),
        "date": lambda v: fmt_date(v, lang),
        "datetime": lambda v: fmt_datetime_ist(v, lang),
        "hours": lambda v: fmt_hours(v, lang),
    }
    try:
        return formatters[kind]
    except KeyError:
        raise ValueError(f"unknown format kind {kind!r}; expected one of {sorted(formatters)}") from None


def fmt_value(x: object, kind: str, lang: str = "en") -> str:
    """Format one value by kind: int, num, inr, inr_short, short, pct, date, datetime, hours."""
    return _formatter(kind, lang)(x)


def format_frame(df: pd.DataFrame, kinds: Mapping[str, str], lang: str = "en") -> pd.DataFrame:
    """A copy of ``df`` with the named columns rendered as display strings by kind."""
    out = df.copy()
    for col, kind in kinds.items():
        if col not in out.columns:
            raise KeyError(f"format_frame: no column {col!r}")
        fmt, seen = _formatter(kind, lang), {}
        # each distinct value is formatted once (counts such as days repeat down a long list)
        out[col] = pd.Series([seen[v] if v in seen else seen.setdefault(v, fmt(v))
                              for v in out[col].tolist()], index=out.index, dtype="str")
    return out


def _display_width(text: str) -> int:
    """Terminal columns of a string: combining marks (matras, nukta, virama) take none."""
    return sum(0 if unicodedata.category(ch) in ("Mn", "Me", "Cf") else 1 for ch in text)


def kpi_table_text(values: Mapping[str, object], lang: str = "en") -> str:
    """The KPI object as an aligned two-column text table (label, value), Indian formatted."""
    keys = [k for k in KPI_KINDS if k in values] + [k for k in values if k not in KPI_KINDS]
    rows = []
    for key in keys:
        label = t(f"kpi.{key}", lang) if f"kpi.{key}" in LABELS else key
        kind = KPI_KINDS.get(key)
        value = values[key]
        if kind == "inr":
            text = fmt_inr(value, lang, decimals=2)  # the CLI prints exact paise
        elif kind is not None:
            text = fmt_value(value, kind, lang)
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            text = DASH if is_missing(value) else str(value)
        elif isinstance(value, int):
            text = fmt_int(value, lang)
        else:
            text = fmt_num(value, lang, 2)
        rows.append((label, text))
    if not rows:
        return ""
    label_w = max(_display_width(label) for label, _ in rows)
    value_w = max(_display_width(text) for _, text in rows)
    lines = []
    for label, text in rows:
        pad_label = " " * (label_w - _display_width(label))
        pad_value = " " * (value_w - _display_width(text))
        lines.append(f"{label}{pad_label}  {pad_value}{text}")
    return "\n".join(lines)


# --- Vega expressions for chart axes ------------------------------------------------------------

def _js_str(s: str) -> str:
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


def axis_label_expr(kind: str, lang: str = "en") -> str:
    """Vega ``labelExpr`` for lakh/crore axis labels: kind int, inr (₹ prefix), pct, hours."""
    _locale(lang)
    if kind == "pct":
        return "format(datum.value, '.0%')"
    if kind == "hours":
        return f"format(datum.value, ',.1~f') + ' ' + {_js_str(t('unit.hours', lang))}"
    if kind not in ("int", "count", "inr"):
        raise ValueError(f"unknown axis kind {kind!r}")
    prefix = "'₹'" if kind == "inr" else "''"
    crore, lakh = _js_str(" " + t("unit.crore", lang)), _js_str(" " + t("unit.lakh", lang))
    v = "abs(datum.value)"
    body = (f"({v} >= 1e7 ? format({v} / 1e7, ',.2f') + {crore}"
            f" : {v} >= 1e5 ? format({v} / 1e5, '.2f') + {lakh}"
            f" : format({v}, ','))")
    return f"(datum.value < 0 ? '-' : '') + {prefix} + {body}"


@cache
def month_abbreviations(lang: str = "en") -> tuple[str, ...]:
    """The twelve short month names babel uses in ``fmt_date`` (Hindi: "जन॰", "फ़र॰", ...)."""
    return tuple(_babel_date(date(2026, m, 1), "MMM", locale=_locale(lang)).replace("Sept", "Sep")
                 for m in range(1, 13))


def date_label_expr(lang: str = "en", with_year: bool = False) -> str:
    """Vega ``labelExpr`` for a temporal axis: "02 Feb" (Hindi month names for lang="hi")."""
    months = "[" + ", ".join(_js_str(m) for m in month_abbreviations(lang)) + "]"
    expr = f"timeFormat(datum.value, '%d') + ' ' + {months}[month(datum.value)]"
    return expr + (" + ' ' + timeFormat(datum.value, '%Y')" if with_year else "")


def safe_float(x: object) -> float | None:
    """A float, or None when missing or not finite (for JSON and chart data)."""
    if is_missing(x):
        return None
    value = float(x)
    return value if math.isfinite(value) else None
