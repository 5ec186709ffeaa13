"""Value parsing and file sniffing in lib.data.parse (no database)."""

from __future__ import annotations

from datetime import date, datetime, time

import pandas as pd
import pytest

from lib.data import parse


def _one(fn, text: str, *args):
    """Parse one value; return (value, reason)."""
    values, reasons = fn(pd.Series([text], dtype=str), *args)
    value = values.iloc[0]
    reason = None if reasons is None or pd.isna(reasons.iloc[0]) else reasons.iloc[0]
    return (None if pd.isna(value) else value, reason)


@pytest.mark.parametrize(("text", "paise"), [
    ("1234.50", 123450),
    ("-1234.5", -123450),
    ("0", 0),
    ("-0.00", 0),
    ("-₹1,234.50", -123450),
    ("₹-1,234.50", -123450),
    ("₹ 1,234.50", 123450),
    ("- ₹ 1 234.50", -123450),
    ("1,234,567.50", 123456750),      # western grouping
    ("12,34,567.50", 123456750),      # Indian grouping
    ("₹1,00,000", 10000000),
    ("1,00,00,000.25", 1000000025),
    ("0.125", 13),                    # half away from zero
    ("-0.125", -13),
    ("1.005", 101),                   # exact: no float artefact
    ("2.0049", 200),
    ("9999999999999.99", 999999999999999),
])
def test_amounts_become_paise(text, paise):
    value, reason = _one(parse.parse_amount, text)
    assert reason is None
    assert value == paise


@pytest.mark.parametrize("text", ["abc", "1,5", "12,3456", "1,23,4567", "--5", "-₹-5", "₹",
                                  "1.2.3", "5-", "1e5", "12,34,56,7.5"])
def test_bad_amounts_are_rejected(text):
    value, reason = _one(parse.parse_amount, text)
    assert value is None
    assert reason.startswith("not an amount")


def test_huge_amount_is_rejected():
    value, reason = _one(parse.parse_amount, "123456789012345.00")
    assert value is None and "too large" in reason


def test_empty_amount_is_no_value_and_no_reason():
    assert _one(parse.parse_amount, "") == (None, None)


@pytest.mark.parametrize(("text", "iso"), [
    ("2026-02-13", "2026-02-13"),
    ("13-02-2026", "2026-02-13"),
    ("13/02/2026", "2026-02-13"),
    ("3/2/2026", "2026-02-03"),
    ("2026-02-03 00:00:00", "2026-02-03"),
    ("29-02-2024", "2024-02-29"),
])
def test_dates(text, iso):
    assert _one(parse.parse_date, text) == (iso, None)


@pytest.mark.parametrize(("text", "fragment"), [
    ("31-02-2026", "not a real calendar date"),
    ("29/02/2026", "not a real calendar date"),
    ("02/13/2026", "never month-first"),
    ("2026/02/13", "not a date"),
    ("13.02.2026", "not a date"),
    ("Feb 13 2026", "not a date"),
    ("2026-02-03 10:00", "not a date"),
])
def test_bad_dates(text, fragment):
    value, reason = _one(parse.parse_date, text)
    assert value is None
    assert fragment in reason


@pytest.mark.parametrize(("text", "ist"), [
    ("2026-02-03T14:05:00", "2026-02-03 14:05:00.000000"),
    ("2026-02-03 14:05", "2026-02-03 14:05:00.000000"),
    ("2026-02-03T20:00:00Z", "2026-02-04 01:30:00.000000"),
    ("2026-02-03T20:00:00+00:00", "2026-02-04 01:30:00.000000"),
    ("2026-02-03T20:00:00+05:30", "2026-02-03 20:00:00.000000"),
    ("2026-02-03T20:00:00-0100", "2026-02-04 02:30:00.000000"),
    ("2026-02-03 14:05:07.25", "2026-02-03 14:05:07.250000"),
    ("03-02-2026 14:05", "2026-02-03 14:05:00.000000"),
    ("3/2/2026 14:05:09", "2026-02-03 14:05:09.000000"),
])
def test_timestamps_to_ist(text, ist):
    ts, reasons = parse.parse_timestamp(pd.Series([text], dtype=str))
    assert reasons is None
    assert parse.format_timestamp(ts).iloc[0] == ist
    assert parse.format_day(ts).iloc[0] == ist[:10]


@pytest.mark.parametrize(("text", "fragment"), [
    ("2026-02-30 10:00", "not a real date and time"),
    ("2026-02-03 25:00", "not a real date and time"),
    ("2026-02-03", "not a timestamp"),
    ("03 Feb 2026 10:00", "not a timestamp"),
    ("10:00", "not a timestamp"),
])
def test_bad_timestamps(text, fragment):
    ts, reasons = parse.parse_timestamp(pd.Series([text], dtype=str))
    assert pd.isna(ts.iloc[0])
    assert fragment in reasons.iloc[0]


def test_accounts_keep_leading_zeros_and_explain_excel_notation():
    assert _one(parse.parse_account, "0001234567") == ("0001234567", None)
    assert _one(parse.parse_account, "12345")[1].startswith("not an account number")
    assert "scientific notation" in _one(parse.parse_account, "1.23457E+09")[1]
    assert _one(parse.parse_account, "00123-4567")[0] is None


def test_whole_numbers():
    assert _one(parse.parse_whole, "1,000") == (1000, None)
    assert _one(parse.parse_whole, "1,00,000") == (100000, None)
    assert _one(parse.parse_whole, "12.0") == (12, None)
    assert _one(parse.parse_whole, "-1")[1] == "must be 0 or more"
    assert _one(parse.parse_whole, "1.5")[1] == "not a whole number"


def test_vocabulary_is_case_insensitive_and_lower_cased():
    assert _one(parse.parse_vocab, "Domestic", ("domestic", "other")) == ("domestic", None)
    value, reason = _one(parse.parse_vocab, "domestik", ("domestic", "other"))
    assert value is None and reason == "not one of: domestic, other"


def test_text_is_kept_byte_for_byte():
    name = "गंगानगर  (पूर्व)"
    assert _one(parse.parse_text, name, None) == (name, None)
    assert _one(parse.parse_text, "x" * 33, 32)[1] == "longer than 32 characters"


@pytest.mark.parametrize(("cell", "kind", "text"), [
    (None, "text", ""),
    ("0012345678", "account", "0012345678"),
    (12345678, "account", "12345678"),
    (1234567890.0, "account", "1234567890"),
    (-1234.5, "amount", "-1234.5"),
    (datetime(2026, 2, 3), "date", "2026-02-03"),
    (datetime(2026, 2, 3), "timestamp", "2026-02-03 00:00:00"),
    (datetime(2026, 2, 3, 14, 5), "timestamp", "2026-02-03 14:05:00"),
    (date(2026, 2, 3), "date", "2026-02-03"),
    (time(14, 5), "text", "14:05:00"),
    (True, "text", "TRUE"),
])
def test_excel_cells_read_as_csv_text(cell, kind, text):
    assert parse._cell_text(cell, kind) == text


@pytest.mark.parametrize(("content", "fragment"), [
    (b"", "is empty"),
    (b"\xef\xbb\xbf\r\n", "is empty"),
    ("a,b\n1,2\n".encode("utf-16"), "UTF-16"),
    ("a,b\n1,2\n".encode("utf-16-le"), "UTF-16"),
    (b"%PDF-1.7\n%binary", "PDF"),
    (b"PK\x03\x04rest", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1", "97-2003"),
    (b"<html><body><table>", "web page"),
    (b"a,b\n\x00\x01\x02", "binary"),
    ("name\nS\xe9n\n".encode("latin-1"), "not UTF-8 text (byte 0xE9 on line 2)"),
])
def test_csv_sniffing_names_the_problem(content, fragment):
    if not content.strip(b"\xef\xbb\xbf\r\n"):
        with pytest.raises(parse.FileError, match="is empty"):
            parse._sniff_csv(content, "x.csv")
        return
    with pytest.raises(parse.FileError) as err:
        parse._sniff_csv(content, "x.csv")
    assert fragment in str(err.value)
    assert str(err.value).startswith("x.csv ")
