"""Indian number, money, date and time formats (lib.view.formats)."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from lib.view.formats import (
    DASH,
    axis_label_expr,
    date_label_expr,
    fmt_date,
    fmt_datetime_ist,
    fmt_day,
    fmt_delta,
    fmt_hours,
    fmt_inr,
    fmt_int,
    fmt_pct,
    fmt_short,
    format_frame,
    kpi_table_text,
    month_abbreviations,
    to_ist,
)


@pytest.mark.parametrize("value, expected", [
    (1234567, "12,34,567"),
    (0, "0"),
    (999, "999"),
    (100000, "1,00,000"),
    (1234567890, "1,23,45,67,890"),
    (-1234567, "-12,34,567"),
    (np.int64(1234567), "12,34,567"),
    (1234.5, "1,235"),  # half-up
    (Decimal("98765"), "98,765"),
])
def test_fmt_int_indian_grouping(value, expected):
    assert fmt_int(value) == expected
    assert fmt_int(value, "hi") == expected  # Hindi keeps Latin digits and Indian grouping


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA, pd.NaT])
def test_missing_values_are_a_dash(missing):
    assert DASH == "—"
    for fn in (fmt_int, fmt_inr, fmt_short, fmt_pct, fmt_hours, fmt_date, fmt_datetime_ist):
        assert fn(missing) == "—", fn.__name__
    assert fmt_delta(missing, "int", "en") == "—"


def test_fmt_inr_full_rupees():
    assert fmt_inr(1234567) == "₹12,34,567"
    assert fmt_inr(1234567, "hi") == "₹12,34,567"
    assert fmt_inr(-1234) == "-₹1,234"
    assert fmt_inr(1234.5) == "₹1,235"
    assert fmt_inr(1234.505, decimals=2) == "₹1,234.51"
    assert fmt_inr(22_400_000) == "₹2,24,00,000"
    assert fmt_inr(-0.4) == "₹0"


@pytest.mark.parametrize("value, rupee, en, hi", [
    (22_400_000, True, "₹2.24 crore", "₹2.24 करोड़"),
    (22_400_000, False, "2.24 crore", "2.24 करोड़"),
    (788_000, False, "7.88 lakh", "7.88 लाख"),
    (788_000, True, "₹7.88 lakh", "₹7.88 लाख"),
    (100_000, False, "1.00 lakh", "1.00 लाख"),
    (11_000_000, True, "₹1.10 crore", "₹1.10 करोड़"),  # one rule: always two decimals
    (800_000, True, "₹8.00 lakh", "₹8.00 लाख"),
    (10_000_000, False, "1.00 crore", "1.00 करोड़"),
    (9_999_999, False, "1.00 crore", "1.00 करोड़"),  # not "100 lakh"
    (12_345_678_900, True, "₹1,234.57 crore", "₹1,234.57 करोड़"),
    (99_999, False, "99,999", "99,999"),
    (99_999, True, "₹99,999", "₹99,999"),
    (5_000, False, "5,000", "5,000"),
    (0, False, "0", "0"),
    (-22_400_000, True, "-₹2.24 crore", "-₹2.24 करोड़"),
])
def test_fmt_short_lakh_crore(value, rupee, en, hi):
    assert fmt_short(value, "en", rupee=rupee) == en
    assert fmt_short(value, "hi", rupee=rupee) == hi


def test_fmt_pct():
    assert fmt_pct(0.2345) == "23.5%"
    assert fmt_pct(0.2345, "hi") == "23.5%"
    assert fmt_pct(1) == "100.0%"
    assert fmt_pct(0.5, decimals=0) == "50%"
    assert fmt_pct(0) == "0.0%"
    assert fmt_pct(0.0285) == "2.9%"  # 0.0285 * 100 is 2.8499999... in binary floating point
    assert fmt_short(1_234_500) == "12.35 lakh"
    assert fmt_pct(None) == "—"


def test_fmt_date_english_and_hindi():
    assert fmt_date(date(2026, 2, 2)) == "02 Feb 2026"
    assert fmt_date(datetime(2026, 2, 2, 23, 59)) == "02 Feb 2026"
    assert fmt_date(pd.Timestamp("2026-02-07")) == "07 Feb 2026"
    assert fmt_date("2026-02-03") == "03 Feb 2026"
    assert fmt_date(date(2026, 9, 1)) == "01 Sep 2026"  # CLDR en_IN says "Sept"
    hindi = fmt_date(date(2026, 2, 2), "hi")
    assert hindi.startswith("02 ") and hindi.endswith(" 2026")
    assert any("\u0900" <= ch <= "\u097f" for ch in hindi)  # a Devanagari month
    assert hindi == f"02 {month_abbreviations('hi')[1]} 2026"
    assert fmt_day(date(2026, 2, 2)) == "02 Feb"


def test_fmt_datetime_ist_converts_aware_and_keeps_naive():
    utc = datetime(2026, 2, 2, 8, 35, tzinfo=UTC)
    assert fmt_datetime_ist(utc) == "02 Feb 2026, 14:05 IST"
    # Past midnight in India while still the previous day in UTC.
    assert fmt_datetime_ist(datetime(2026, 2, 1, 20, 0, tzinfo=UTC)) == "02 Feb 2026, 01:30 IST"
    assert fmt_datetime_ist(datetime(2026, 2, 2, 14, 5)) == "02 Feb 2026, 14:05 IST"  # naive = IST
    assert fmt_datetime_ist(pd.Timestamp("2026-02-02T08:35:00Z")) == "02 Feb 2026, 14:05 IST"
    plus_one = timezone(timedelta(hours=1))
    assert fmt_datetime_ist(datetime(2026, 2, 2, 9, 35, tzinfo=plus_one)) == "02 Feb 2026, 14:05 IST"
    assert fmt_datetime_ist(utc, "hi").endswith(", 14:05 IST")
    assert to_ist(utc).utcoffset() == timedelta(hours=5, minutes=30)


def test_fmt_delta_signs_and_kinds():
    assert fmt_delta(1234, "int", "en") == "+1,234"
    assert fmt_delta(-1234, "int", "en") == "-1,234"  # ASCII minus: st.metric reads it as a fall
    assert fmt_delta(0, "int", "en") == "0"
    assert fmt_delta(1234567, "int", "hi") == "+12,34,567"
    assert fmt_delta(-250_000, "inr", "en") == "-₹2.50 lakh"
    assert fmt_delta(-250_000, "inr", "hi") == "-₹2.50 लाख"
    assert fmt_delta(1500, "inr", "en") == "+₹1,500"
    assert fmt_delta(0.021, "pct-point", "en") == "+2.1 pp"
    assert fmt_delta(-0.021, "pct_point", "hi") == "-2.1 प्रतिशत अंक"
    with pytest.raises(ValueError):
        fmt_delta(1, "furlongs", "en")


def test_fmt_hours():
    assert fmt_hours(5.2) == "5.2 h"
    assert fmt_hours(5.2, "hi") == "5.2 घंटे"
    assert fmt_hours(5.25) == "5.3 h"


def test_format_frame_renders_named_columns_only():
    df = pd.DataFrame({
        "name": ["मेरठ", "Saharanpur"],
        "consumers": [1234567, None],
        "arrears": [22_400_000.0, 1234.0],
        "share": [0.2345, math.nan],
        "day": pd.to_datetime(["2026-02-02", "2026-02-03"]),
        "hours": [5.2, None],
    })
    out = format_frame(df, {"consumers": "int", "arrears": "inr_short", "share": "pct",
                            "day": "date", "hours": "hours"}, "en")
    assert out["consumers"].tolist() == ["12,34,567", "—"]
    assert out["arrears"].tolist() == ["₹2.24 crore", "₹1,234"]
    assert out["share"].tolist() == ["23.5%", "—"]
    assert out["day"].tolist() == ["02 Feb 2026", "03 Feb 2026"]
    assert out["hours"].tolist() == ["5.2 h", "—"]
    assert out["name"].tolist() == ["मेरठ", "Saharanpur"]
    assert df["consumers"].iloc[0] == 1234567  # the input is untouched
    hi = format_frame(df, {"arrears": "inr", "hours": "hours"}, "hi")
    assert hi["arrears"].tolist() == ["₹2,24,00,000", "₹1,234"]
    assert hi["hours"].iloc[0] == "5.2 घंटे"
    with pytest.raises(ValueError):
        format_frame(df, {"consumers": "nope"}, "en")
    with pytest.raises(KeyError):
        format_frame(df, {"missing": "int"}, "en")


KPIS = {
    "consumers": 1234567, "negative_balance": 45678, "arrears_inr": 22_400_000.0,
    "negative_at_start": 50000, "negative_cleared": 4322, "otp_verified": 788000,
    "app_downloaded": 120345, "app_trained": 99000, "contacted": None,
    "verification_coverage": 0.2345, "app_coverage": 0.1, "recharge_count": 34567,
    "recharge_inr": 98_76_543.21, "app_recharge_share": 0.456, "complaints_received": 1234,
    "complaints_resolved": 1000, "complaints_open": 234, "resolution_hours_median": 5.2,
}


def test_kpi_table_text_english():
    text = kpi_table_text(KPIS)
    lines = text.splitlines()
    assert len(lines) == len(KPIS)
    rows = {line[: line.rfind("  ")].strip(): line.split()[-1] for line in lines}
    assert rows["Consumers"] == "12,34,567"
    assert rows["Negative-balance consumers"] == "45,678"
    assert rows["Arrears"] == "₹2,24,00,000.00"  # full (paise), not short
    assert rows["Contacted"] == "—"
    assert rows["Verification coverage"] == "23.5%"
    assert rows["Recharge amount"] == "₹98,76,543.21"
    assert text.splitlines()[-1].endswith("5.2 h")
    assert len({len(line) for line in lines}) == 1  # aligned: values right-aligned in one column
    assert lines[0].startswith("Consumers ")


def test_kpi_table_text_hindi_and_extras():
    text = kpi_table_text({**KPIS, "as_of": "2026-02-07"}, "hi")
    assert "निगेटिव बैलेंस उपभोक्ता" in text
    assert "बकाया राशि" in text and "₹2,24,00,000" in text
    assert "5.2 घंटे" in text
    assert text.splitlines()[-1].split()[-1] == "2026-02-07"


def test_kpi_table_text_for_empty_scope():
    text = kpi_table_text(dict.fromkeys(KPIS))
    assert all(line.rstrip().endswith("—") for line in text.splitlines())


def test_axis_label_expr():
    expr = axis_label_expr("int", "en")
    assert "1e7" in expr and "1e5" in expr and "' crore'" in expr and "' lakh'" in expr
    assert "'₹'" not in expr
    inr_hi = axis_label_expr("inr", "hi")
    assert "'₹'" in inr_hi and "' करोड़'" in inr_hi and "' लाख'" in inr_hi
    assert axis_label_expr("pct", "en") == "format(datum.value, '.0%')"
    assert "घंटे" in axis_label_expr("hours", "hi")
    with pytest.raises(ValueError):
        axis_label_expr("furlongs", "en")
    assert f"'{month_abbreviations('hi')[1]}'" in date_label_expr("hi")
    assert "'Feb'" in date_label_expr("en")


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to evaluate the expression")
@pytest.mark.parametrize("lang", ["en", "hi"])
@pytest.mark.parametrize("kind", ["int", "inr"])
def test_axis_label_expr_agrees_with_fmt_short(kind, lang):
    """Evaluate the Vega expression in JavaScript (with a stand-in for d3's format)."""
    values = [22_400_000, 788_000, 99_999, 5_000_000, 1_00_00_000, 0, -788_000]
    js = (
        "const format = (v, spec) => spec === ',' ? v.toLocaleString('en-US')"
        " : (spec.startsWith(',') ? v.toLocaleString('en-US', {minimumFractionDigits: 2,"
        " maximumFractionDigits: 2}) : v.toFixed(2));\n"
        f"const expr = {json.dumps(axis_label_expr(kind, lang))};\n"
        "const f = new Function('datum', 'format', 'abs', 'return ' + expr);\n"
        f"console.log(JSON.stringify({json.dumps(values)}.map(v => f({{value: v}}, format, Math.abs))));"
    )
    out = subprocess.run(["node", "-e", js], capture_output=True, text=True, check=True).stdout
    expected = [fmt_short(v, lang, rupee=kind == "inr") for v in values]
    assert json.loads(out) == expected
