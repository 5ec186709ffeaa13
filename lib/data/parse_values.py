"""Parsing the values of contract cells, vectorised over pandas columns.

Each ``parse_*`` function takes a Series of trimmed text and returns the normalised values
(missing where the text is empty or invalid; Arrow strings and nullable integers, so nothing
becomes a Python object until the staging writer needs it) and the reason for every invalid one.

Accepted value formats (the contract's, plus the few leniencies noted):

* account number: 6 to 20 digits, kept as text so leading zeros survive.
* date: ``YYYY-MM-DD``, ``DD-MM-YYYY`` or ``DD/MM/YYYY`` (day and month may be one digit); never
  month-first, so ``13/02/2026`` is 13 February and ``02/13/2026`` is an error. A date followed
  by a midnight time (``2026-02-03 00:00:00``, as some exports write dates) is accepted.
* timestamp: ISO 8601 date and time with ``T`` or a space, seconds optional, fractions of a
  second kept to the microsecond; an offset (``Z``, ``+05:30``, ``+0530``) is converted to IST,
  no offset means IST. The date part may also be day-first (``03-02-2026 14:05``), as Indian
  spreadsheets write it.
* amount: decimal rupees with an optional ``₹`` before or after the minus, spaces, and thousands
  separators in western (``1,234,567.50``) or Indian (``12,34,567.50``) grouping; other comma
  positions are rejected, because ``1,5`` may be a decimal comma. More than two decimals are
  rounded to the paisa, half away from zero (``0.125`` -> 13 paise), exactly (no floating point).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from lib.data.contract import date_window
from lib.data.reasons import Reason

MAX_RUPEE_DIGITS = 13  # ₹10 lakh crore; larger is a broken export, and floats stay exact below it
IST_OFFSET = np.timedelta64(330, "m")

Reasons = pd.Series | None  # a Reason per invalid row (None elsewhere), or None if all valid


def reasons_where(index: pd.Index, mask: np.ndarray, reason: Reason,
                   reasons: Reasons = None) -> Reasons:
    """Set ``reason`` on the rows of ``mask`` that have none yet."""
    if not mask.any():
        return reasons
    if reasons is None:
        reasons = pd.Series(None, index=index, dtype=object)
    reasons[mask & reasons.isna().to_numpy()] = reason
    return reasons


DIGITS_REASON = Reason("digits")


def explain_digits(s: pd.Series, reasons: Reasons) -> Reasons:
    """Say so when an invalid value has digits of another script (०-९ and the like)."""
    if reasons is None:
        return None
    bad = reasons.notna().to_numpy()
    if not bad.any():
        return reasons
    other = np.array([any(c.isdigit() and not c.isascii() for c in str(v))
                      for v in s.to_numpy()[bad]], dtype=bool)
    if other.any():
        reasons = reasons.copy()
        reasons.iloc[np.flatnonzero(bad)[other]] = DIGITS_REASON
    return reasons


def _none_where(values: pd.Series, mask: np.ndarray) -> pd.Series:
    """Return ``values`` with the rows of ``mask`` missing, keeping the dtype (no copy to
    Python objects: the staging writer converts each column once)."""
    return values.mask(mask) if mask.any() else values


def _nullable_ints(values: np.ndarray, valid: np.ndarray) -> pd.Series:
    """An Int64 Series from int64 values and a validity mask."""
    return pd.Series(pd.arrays.IntegerArray(values.astype(np.int64), ~valid))


ACCOUNT_RE = r"[0-9]{6,20}"
SCIENTIFIC_RE = r"[0-9](?:\.[0-9]+)?[eE]\+?[0-9]+"


def parse_account(s: pd.Series) -> tuple[pd.Series, Reasons]:
    """Account numbers: digits only (6-20), kept as text with their leading zeros."""
    empty = (s == "").to_numpy()
    bad = ~s.str.fullmatch(ACCOUNT_RE).to_numpy() & ~empty
    reasons = None
    if bad.any():
        # Excel shows long numbers as 1.23457E+09 and saves them so: say what happened.
        sci = s.str.fullmatch(SCIENTIFIC_RE).to_numpy() & bad
        reasons = reasons_where(s.index, sci, Reason("account_scientific"))
        reasons = reasons_where(s.index, bad, Reason("account"), reasons)
    return _none_where(s, bad | empty), reasons


_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?)?")
_DMY_DATE = re.compile(r"([0-9]{1,2})([-/])([0-9]{1,2})\2([0-9]{4})(?:[T ]00:00(?::00(?:\.0+)?)?)?")
DATE_FORMAT_REASON = Reason("date_format")


def window_reason(first: date, last: date) -> Reason:
    """The reason given for a date or timestamp outside the accepted window."""
    return Reason("date_window", earliest=first.isoformat(), latest=last.isoformat())


def parse_date_text(text: str, window: tuple[date, date] | None = None
                    ) -> tuple[str | None, Reason | None]:
    """Parse one date; return (ISO date, None) or (None, reason)."""
    first, last = window or date_window()
    m = _ISO_DATE.fullmatch(text)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    else:
        m = _DMY_DATE.fullmatch(text)
        if not m:
            return None, DATE_FORMAT_REASON
        d, mo, y = int(m[1]), int(m[3]), int(m[4])
    try:
        day = date(y, mo, d)
    except ValueError:
        if mo > 12 and d <= 12:
            return None, Reason("date_month_first")
        return None, Reason("date_unreal")
    if not first <= day <= last:
        return None, window_reason(first, last)
    return day.isoformat(), None


def parse_date(s: pd.Series) -> tuple[pd.Series, Reasons]:
    """Dates to ISO text; each distinct value is parsed once (a date column repeats a lot)."""
    codes, uniques = pd.factorize(s)
    window = date_window()
    parsed = [parse_date_text(u, window) if u != "" else (None, None) for u in uniques]
    values = np.array([p[0] for p in parsed] + [None], dtype=object)
    reasons = np.array([p[1] for p in parsed] + [None], dtype=object)
    out_reasons = pd.Series(reasons[codes], index=s.index, dtype=object)
    return (pd.Series(values[codes], index=s.index, dtype=object),
            out_reasons if out_reasons.notna().any() else None)


_TS_DATE = r"(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{1,2}-[0-9]{1,2}-[0-9]{4}|[0-9]{1,2}/[0-9]{1,2}/[0-9]{4})"
_TS_TIME = r"[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9})?)?"
_TS_OFFSET = r"(?:Z|[+-][0-9]{2}:?[0-9]{2})"
TIMESTAMP_RE = _TS_DATE + _TS_TIME + _TS_OFFSET + "?"
TIMESTAMP_REASON = Reason("timestamp_format")


def _day_first_to_iso(s: pd.Series) -> pd.Series:
    """Rewrite a day-first date part (03-02-2026 ...) as ISO (2026-02-03 ...)."""
    parts = s.str.extract(r"^([0-9]{1,2})[-/]([0-9]{1,2})[-/]([0-9]{4})(.*)$")
    return parts[2] + "-" + parts[1].str.zfill(2) + "-" + parts[0].str.zfill(2) + parts[3]


def parse_timestamp(s: pd.Series) -> tuple[pd.Series, Reasons]:
    """Timestamps to naive IST ``datetime64[us]`` (NaT where empty or invalid)."""
    empty = (s == "").to_numpy()
    ok = s.str.fullmatch(TIMESTAMP_RE).to_numpy()
    text = s
    day_first = ok & s.str.match(r"[0-9]{1,2}[-/]").to_numpy()
    if day_first.any():
        text = s.copy()
        text[day_first] = _day_first_to_iso(s[day_first])
    result = pd.Series(pd.NaT, index=s.index, dtype="datetime64[us]")
    with_offset = ok & text.str.contains(_TS_OFFSET + "$").to_numpy()
    naive = ok & ~with_offset
    if naive.any():
        result[naive] = pd.to_datetime(text[naive], format="ISO8601", errors="coerce").astype(
            "datetime64[us]")
    if with_offset.any():
        utc = pd.to_datetime(text[with_offset], format="ISO8601", errors="coerce", utc=True)
        result[with_offset] = (utc.dt.tz_localize(None).astype("datetime64[us]") + IST_OFFSET)
    unreal = ok & result.isna().to_numpy()
    first, last = date_window()
    outside = ((result < pd.Timestamp(first)) | (result >= pd.Timestamp(last + timedelta(days=1)))
               ).to_numpy()
    reasons = reasons_where(s.index, ~ok & ~empty, TIMESTAMP_REASON)
    reasons = reasons_where(s.index, unreal, Reason("timestamp_unreal"), reasons)
    reasons = reasons_where(s.index, outside, window_reason(first, last), reasons)
    if outside.any():
        result = result.mask(outside)
    return result, reasons


def format_timestamp(ts: pd.Series) -> pd.Series:
    """Timestamps as stored text: 'YYYY-MM-DD HH:MM:SS.ffffff' (SQLAlchemy's SQLite format)."""
    arr = ts.to_numpy(dtype="datetime64[us]")
    text = np.datetime_as_string(arr, unit="us")
    # Replace the 'T' in place on the code points: a per-value str.replace is ten times slower.
    text.view(np.uint32).reshape(len(text), -1)[:, 10] = ord(" ")
    return _objects_or_none(text.astype(object), np.isnat(arr), ts.index)


def format_day(ts: pd.Series) -> pd.Series:
    """The IST calendar day of each timestamp as ISO text."""
    arr = ts.to_numpy(dtype="datetime64[us]")
    text = np.datetime_as_string(arr.astype("datetime64[D]"))
    return _objects_or_none(text.astype(object), np.isnat(arr), ts.index)


def _objects_or_none(values: np.ndarray, missing: np.ndarray, index: pd.Index) -> pd.Series:
    """An object Series of ``values`` with None where ``missing``."""
    if missing.any():
        values[missing] = None
    return pd.Series(values, index=index, dtype=object)


_SPACES = r"[\s\u00a0\u2007\u202f]+"
_GROUPED_INT = r"(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,2}(?:,[0-9]{2})*,[0-9]{3})"
PLAIN_AMOUNT_RE = r"-?[0-9]{1,13}(?:\.[0-9]{1,2})?"  # 13 = MAX_RUPEE_DIGITS
AMOUNT_RE = r"(?:-₹?|₹-?)?" + _GROUPED_INT + r"(?:\.[0-9]+)?"
AMOUNT_REASON = Reason("amount_format")


def _exact_paise(text: str) -> int | None:
    """Paise of a cleaned decimal text, rounded half away from zero; None when too large."""
    paise = int(Decimal(text).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).scaleb(2))
    return paise if abs(paise) < 10 ** (MAX_RUPEE_DIGITS + 2) else None


def parse_amount(s: pd.Series) -> tuple[pd.Series, Reasons]:
    """Rupee amounts to integer paise (see the module docstring for the accepted forms)."""
    empty = (s == "").to_numpy()
    plain = s.str.fullmatch(PLAIN_AMOUNT_RE).to_numpy()
    paise = np.zeros(len(s), dtype=np.int64)
    valid = plain.copy()
    if plain.any():
        # Up to two decimals and 13 digits a float holds the value exactly enough to round.
        # Arrow's string-to-float cast (correctly rounded, like float()) is ~10x pandas' astype.
        paise[plain] = np.rint(s[plain].astype("float64[pyarrow]").to_numpy(dtype=np.float64)
                               * 100)
    rest = ~plain & ~empty
    reasons = None
    if rest.any():
        squeezed = s[rest].str.replace(_SPACES, "", regex=True)
        well_formed = squeezed.str.fullmatch(AMOUNT_RE).to_numpy()
        cleaned = squeezed[well_formed].str.replace("₹", "", regex=False).str.replace(
            ",", "", regex=False)
        codes, uniques = pd.factorize(cleaned)
        exact = np.array([_exact_paise(u) for u in uniques] + [None], dtype=object)[codes]
        fits = np.array([v is not None for v in exact], dtype=bool)
        rest_index = np.flatnonzero(rest)
        good_index = rest_index[well_formed]
        paise[good_index[fits]] = exact[fits].astype(np.int64)
        valid[good_index[fits]] = True
        too_large = np.zeros(len(s), dtype=bool)
        too_large[good_index[~fits]] = True
        malformed = np.zeros(len(s), dtype=bool)
        malformed[rest_index[~well_formed]] = True
        reasons = reasons_where(s.index, malformed, AMOUNT_REASON)
        reasons = reasons_where(s.index, too_large,
                                Reason("amount_too_large", digits=MAX_RUPEE_DIGITS), reasons)
    values = _nullable_ints(paise, valid)
    values.index = s.index
    return values, reasons


WHOLE_RE = _GROUPED_INT + r"(?:\.0+)?"


def parse_whole(s: pd.Series) -> tuple[pd.Series, Reasons]:
    """Whole numbers >= 0 (thousands separators and a '.0' from Excel allowed) to int."""
    empty = (s == "").to_numpy()
    squeezed = s.str.replace(_SPACES, "", regex=True)
    ok = squeezed.str.fullmatch(WHOLE_RE).to_numpy() & (squeezed.str.len() <= 18).to_numpy()
    numbers = np.zeros(len(s), dtype=np.int64)
    if ok.any():
        digits = squeezed[ok].str.replace(",", "", regex=False).str.replace(r"\.0+$", "", regex=True)
        numbers[ok] = digits.astype("int64").to_numpy()
    negative = ~ok & ~empty & squeezed.str.fullmatch("-" + WHOLE_RE).to_numpy()
    reasons = reasons_where(s.index, negative, Reason("negative"))
    reasons = reasons_where(s.index, ~ok & ~empty, Reason("not_whole"), reasons)
    values = _nullable_ints(numbers, ok)
    values.index = s.index
    return values, reasons


NUMBER_RE = r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+"


def parse_number(s: pd.Series) -> tuple[pd.Series, Reasons]:
    """Non-negative decimal numbers (load in kW) to float."""
    empty = (s == "").to_numpy()
    ok = s.str.fullmatch(NUMBER_RE).to_numpy()
    numbers = np.zeros(len(s), dtype=np.float64)
    if ok.any():
        numbers[ok] = s[ok].astype("float64").to_numpy()
    values = pd.Series(pd.arrays.FloatingArray(numbers, ~ok), index=s.index)
    return values, reasons_where(s.index, ~ok & ~empty, Reason("not_number"))


def parse_vocab(s: pd.Series, vocabulary: tuple[str, ...]) -> tuple[pd.Series, Reasons]:
    """A word from a fixed list, matched case-insensitively and stored lower-case."""
    lower = s.str.lower()
    empty = (s == "").to_numpy()
    bad = ~lower.isin(vocabulary).to_numpy() & ~empty
    return (_none_where(lower, bad | empty),
            reasons_where(s.index, bad, Reason("not_one_of", choices=vocabulary)))


def parse_text(s: pd.Series, max_length: int | None) -> tuple[pd.Series, Reasons]:
    """Free text or a code, unchanged (already trimmed); checked for length and NUL bytes."""
    empty = (s == "").to_numpy()
    bad = np.zeros(len(s), dtype=bool)
    reasons = None
    if max_length is not None:
        long = (s.str.len() > max_length).to_numpy()
        reasons = reasons_where(s.index, long, Reason("too_long", limit=max_length))
        bad |= long
    nul = s.str.contains("\x00", regex=False).to_numpy()
    reasons = reasons_where(s.index, nul, Reason("nul"), reasons)
    bad |= nul
    return _none_where(s, bad | empty), reasons


_EMAIL = r"[^@\s]+@[^@\s]+\.[^@\s]+"
MAX_EMAIL_LENGTH = 254


def parse_email(s: pd.Series) -> tuple[pd.Series, Reasons]:
    """An e-mail address (how a user is identified), stored lower-case."""
    lower = s.str.lower()
    empty = (s == "").to_numpy()
    bad = ~lower.str.fullmatch(_EMAIL).fillna(False).to_numpy() & ~empty
    bad |= (s.str.len() > MAX_EMAIL_LENGTH).to_numpy()
    return (_none_where(lower, bad | empty),
            reasons_where(s.index, bad, Reason("not_email")))
