"""Reading contract files and parsing their values, vectorised over pandas columns.

Two jobs, both free of any database:

* **Files**: a CSV (UTF-8 with or without BOM, comma) or an ``.xlsx`` workbook (first sheet) is
  opened by ``open_source``, which checks the bytes and the header and raises ``FileError`` with
  one sentence for the user when the file cannot be read at all; ``Source.chunks`` then streams
  the data rows as DataFrames of trimmed text, ``CHUNK_ROWS`` at a time, with their line numbers
  (the header is line 1, the first data row line 2).
* **Values**: each ``parse_*`` function takes a Series of trimmed text and returns the normalised
  values (missing where the text is empty or invalid; Arrow strings and nullable integers, so
  nothing becomes a Python object until the staging writer needs it) and the reason for every
  invalid one.

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

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from openpyxl import Workbook

CHUNK_ROWS = 200_000  # rows per chunk: bounded memory, and big enough for vectorised speed
EXTRA_FIELDS = 4  # a row may carry this many values beyond the header and still be reported by line
SNIFF_BYTES = 64 * 1024
MAX_RUPEE_DIGITS = 13  # ₹10 lakh crore; larger is a broken export, and floats stay exact below it
IST_OFFSET = np.timedelta64(330, "m")

CONTRACT_FORMATS = (".csv", ".xlsx")


class FileError(Exception):
    """A file that cannot be read at all; the message is one sentence for the user."""


# --- values ------------------------------------------------------------------------------

Reasons = pd.Series | None  # reason text per invalid row (None elsewhere), or None if all valid


def reasons_where(index: pd.Index, mask: np.ndarray, reason: str,
                   reasons: Reasons = None) -> Reasons:
    """Set ``reason`` on the rows of ``mask`` that have none yet."""
    if not mask.any():
        return reasons
    if reasons is None:
        reasons = pd.Series(None, index=index, dtype=object)
    reasons[mask & reasons.isna().to_numpy()] = reason
    return reasons


def _none_where(values: pd.Series, mask: np.ndarray) -> pd.Series:
    """Return ``values`` with the rows of ``mask`` missing, keeping the dtype (no copy to
    Python objects: the staging writer converts each column once)."""
    return values.mask(mask) if mask.any() else values


def _nullable_ints(values: np.ndarray, valid: np.ndarray) -> pd.Series:
    """An Int64 Series from int64 values and a validity mask."""
    return pd.Series(pd.arrays.IntegerArray(values.astype(np.int64), ~valid))


ACCOUNT_RE = r"\d{6,20}"
SCIENTIFIC_RE = r"\d(?:\.\d+)?[eE]\+?\d+"


def parse_account(s: pd.Series) -> tuple[pd.Series, Reasons]:
    """Account numbers: digits only (6-20), kept as text with their leading zeros."""
    empty = (s == "").to_numpy()
    bad = ~s.str.fullmatch(ACCOUNT_RE).to_numpy() & ~empty
    reasons = None
    if bad.any():
        # Excel shows long numbers as 1.23457E+09 and saves them so: say what happened.
        sci = s.str.fullmatch(SCIENTIFIC_RE).to_numpy() & bad
        reasons = reasons_where(s.index, sci, "not an account number: Excel turned it into a "
                                 "number in scientific notation (format the column as Text)")
        reasons = reasons_where(s.index, bad, "not an account number: it must be 6 to 20 digits "
                                 "and nothing else", reasons)
    return _none_where(s, bad | empty), reasons


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?)?")
_DMY_DATE = re.compile(r"(\d{1,2})([-/])(\d{1,2})\2(\d{4})(?:[T ]00:00(?::00(?:\.0+)?)?)?")
DATE_FORMAT_REASON = "not a date: write YYYY-MM-DD, DD-MM-YYYY or DD/MM/YYYY"


def parse_date_text(text: str) -> tuple[str | None, str | None]:
    """Parse one date; return (ISO date, None) or (None, reason)."""
    m = _ISO_DATE.fullmatch(text)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    else:
        m = _DMY_DATE.fullmatch(text)
        if not m:
            return None, DATE_FORMAT_REASON
        d, mo, y = int(m[1]), int(m[3]), int(m[4])
    try:
        return date(y, mo, d).isoformat(), None
    except ValueError:
        if mo > 12 and d <= 12:
            return None, "not a real calendar date: dates are day-first (DD-MM-YYYY), never month-first"
        return None, "not a real calendar date"


def parse_date(s: pd.Series) -> tuple[pd.Series, Reasons]:
    """Dates to ISO text; each distinct value is parsed once (a date column repeats a lot)."""
    codes, uniques = pd.factorize(s)
    parsed = [parse_date_text(u) if u != "" else (None, None) for u in uniques]
    values = np.array([p[0] for p in parsed] + [None], dtype=object)
    reasons = np.array([p[1] for p in parsed] + [None], dtype=object)
    out_reasons = pd.Series(reasons[codes], index=s.index, dtype=object)
    return (pd.Series(values[codes], index=s.index, dtype=object),
            out_reasons if out_reasons.notna().any() else None)


_TS_DATE = r"(?:\d{4}-\d{2}-\d{2}|\d{1,2}-\d{1,2}-\d{4}|\d{1,2}/\d{1,2}/\d{4})"
_TS_TIME = r"[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?"
_TS_OFFSET = r"(?:Z|[+-]\d{2}:?\d{2})"
TIMESTAMP_RE = _TS_DATE + _TS_TIME + _TS_OFFSET + "?"
TIMESTAMP_REASON = ("not a timestamp: write YYYY-MM-DD HH:MM[:SS] (ISO 8601; an offset such as "
                    "+05:30 or Z is optional, without one the time is IST)")


def _day_first_to_iso(s: pd.Series) -> pd.Series:
    """Rewrite a day-first date part (03-02-2026 ...) as ISO (2026-02-03 ...)."""
    parts = s.str.extract(r"^(\d{1,2})[-/](\d{1,2})[-/](\d{4})(.*)$")
    return parts[2] + "-" + parts[1].str.zfill(2) + "-" + parts[0].str.zfill(2) + parts[3]


def parse_timestamp(s: pd.Series) -> tuple[pd.Series, Reasons]:
    """Timestamps to naive IST ``datetime64[us]`` (NaT where empty or invalid)."""
    empty = (s == "").to_numpy()
    ok = s.str.fullmatch(TIMESTAMP_RE).to_numpy()
    text = s
    day_first = ok & s.str.match(r"\d{1,2}[-/]").to_numpy()
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
    reasons = reasons_where(s.index, ~ok & ~empty, TIMESTAMP_REASON)
    reasons = reasons_where(s.index, unreal, "not a real date and time", reasons)
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
_GROUPED_INT = r"(?:\d+|\d{1,3}(?:,\d{3})+|\d{1,2}(?:,\d{2})*,\d{3})"
PLAIN_AMOUNT_RE = r"-?\d{1,13}(?:\.\d{1,2})?"  # 13 = MAX_RUPEE_DIGITS
AMOUNT_RE = r"(?:-₹?|₹-?)?" + _GROUPED_INT + r"(?:\.\d+)?"
AMOUNT_REASON = "not an amount in rupees (examples: 1234.50, -₹1,234.50, ₹12,34,567.50)"


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
                                f"amount too large (more than {MAX_RUPEE_DIGITS} digits of rupees)",
                                reasons)
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
    reasons = reasons_where(s.index, negative, "must be 0 or more")
    reasons = reasons_where(s.index, ~ok & ~empty, "not a whole number", reasons)
    values = _nullable_ints(numbers, ok)
    values.index = s.index
    return values, reasons


NUMBER_RE = r"\d+(?:\.\d*)?|\.\d+"


def parse_number(s: pd.Series) -> tuple[pd.Series, Reasons]:
    """Non-negative decimal numbers (load in kW) to float."""
    empty = (s == "").to_numpy()
    ok = s.str.fullmatch(NUMBER_RE).to_numpy()
    numbers = np.zeros(len(s), dtype=np.float64)
    if ok.any():
        numbers[ok] = s[ok].astype("float64").to_numpy()
    values = pd.Series(pd.arrays.FloatingArray(numbers, ~ok), index=s.index)
    return values, reasons_where(s.index, ~ok & ~empty, "not a number (0 or more, e.g. 2.5)")


def parse_vocab(s: pd.Series, vocabulary: tuple[str, ...]) -> tuple[pd.Series, Reasons]:
    """A word from a fixed list, matched case-insensitively and stored lower-case."""
    lower = s.str.lower()
    empty = (s == "").to_numpy()
    bad = ~lower.isin(vocabulary).to_numpy() & ~empty
    return (_none_where(lower, bad | empty),
            reasons_where(s.index, bad, "not one of: " + ", ".join(vocabulary)))


def parse_text(s: pd.Series, max_length: int | None) -> tuple[pd.Series, Reasons]:
    """Free text or a code, unchanged (already trimmed); checked for length and NUL bytes."""
    empty = (s == "").to_numpy()
    bad = np.zeros(len(s), dtype=bool)
    reasons = None
    if max_length is not None:
        long = (s.str.len() > max_length).to_numpy()
        reasons = reasons_where(s.index, long, f"longer than {max_length} characters")
        bad |= long
    nul = s.str.contains("\x00", regex=False).to_numpy()
    reasons = reasons_where(s.index, nul, "contains a NUL character", reasons)
    bad |= nul
    return _none_where(s, bad | empty), reasons


# --- files -------------------------------------------------------------------------------


@dataclass
class Chunk:
    """Up to CHUNK_ROWS data rows of one file: trimmed text per contract column."""

    data: pd.DataFrame  # columns: the contract columns present in the file
    lines: np.ndarray  # line number of each row (header = line 1)
    overflow: np.ndarray | None  # values in the row when more than the header has, else 0
    position: float  # fraction of the file read so far


@dataclass
class Source:
    """An opened contract file: its header checked, its rows ready to stream."""

    path: Path
    name: str
    kind: str
    fmt: str  # "csv" | "xlsx"
    header: list[str]  # cells of the header row, trimmed (original spelling)
    positions: dict[str, int]  # contract column -> position in the row
    extra: list[str] = field(default_factory=list)  # header names that are not contract columns
    warnings: list[str] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)

    def chunks(self, chunk_rows: int | None = None) -> Iterator[Chunk]:
        """Stream the data rows (blank rows skipped); raises FileError on unreadable content."""
        rows = chunk_rows or CHUNK_ROWS
        if self.fmt == "csv":
            yield from _csv_chunks(self, rows)
        else:
            yield from _xlsx_chunks(self, rows)


def open_source(path: Path, name: str, kind: str, required: tuple[str, ...],
                optional: tuple[str, ...], kinds: dict[str, str]) -> Source:
    """Check a file's format and header; raise FileError with one sentence when unusable."""
    suffix = path.suffix.lower()
    if suffix not in CONTRACT_FORMATS:
        raise FileError(f"{name} is a {suffix or 'extension-less'} file; only .csv (UTF-8) and "
                        ".xlsx files can be loaded")
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    sheet_warning = None
    if suffix == ".csv":
        _sniff_csv(head, name)
        header = _csv_header(path, name)
        fmt = "csv"
    else:
        _sniff_xlsx(head, name)
        header, sheet_warning = _xlsx_header(path, name)
        fmt = "xlsx"
    source = Source(path, name, kind, fmt, header, {}, kinds=kinds)
    if sheet_warning:
        source.warnings.append(sheet_warning)
    _match_header(source, required, optional)
    return source


def _sniff_csv(head: bytes, name: str) -> None:
    """Recognise what a .csv file really holds from its first bytes."""
    if not head.lstrip(b"\xef\xbb\xbf \t\r\n"):
        raise FileError(f"{name} is empty")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(head):
        raise FileError(f"{name} is saved as UTF-16 (Excel's 'Unicode Text'); save it as "
                        "'CSV UTF-8 (Comma delimited)' instead")
    signatures = (
        (b"%PDF", "a PDF document"),
        (b"PK\x03\x04", "an Excel workbook or zip archive"),
        (b"\xd0\xcf\x11\xe0", "an old Excel 97-2003 (.xls) workbook"),
        (b"\x1f\x8b", "a gzip archive"),
        (b"\x89PNG", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
    )
    for magic, what in signatures:
        if head.startswith(magic):
            raise FileError(f"{name} is {what}, not a CSV file; save it as "
                            "'CSV UTF-8 (Comma delimited)'")
    if head.lstrip()[:5].lower() in (b"<html", b"<!doc", b"<?xml", b"<tabl"):
        raise FileError(f"{name} is a web page (HTML/XML), not a CSV file; save it as "
                        "'CSV UTF-8 (Comma delimited)'")
    if b"\x00" in head:
        raise FileError(f"{name} is a binary file, not CSV text")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError as exc:
        line = head[: exc.start].count(b"\n") + 1
        raise FileError(f"{name} is not UTF-8 text (byte 0x{head[exc.start]:02X} on line {line}); "
                        "save it as 'CSV UTF-8 (Comma delimited)'") from None


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 without a BOM: ASCII text with a zero byte beside every character."""
    sample = head[:200]
    return len(sample) >= 4 and (sample[1::2].count(0) > len(sample) // 4
                                 or sample[0::2].count(0) > len(sample) // 4)


def _csv_header(path: Path, name: str) -> list[str]:
    """The first row's cells, trimmed."""
    try:
        first = pd.read_csv(path, header=None, nrows=1, dtype=str, keep_default_na=False,
                            na_filter=False, encoding="utf-8-sig", skip_blank_lines=False,
                            index_col=False)
    except pd.errors.EmptyDataError:
        raise FileError(f"{name} is empty") from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise FileError(f"{name} could not be read as CSV ({first_line(exc)})") from None
    if first.empty:
        raise FileError(f"{name} is empty")
    return [str(v).strip() for v in first.iloc[0].tolist()]


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message; for a database error, the driver's message
    (SQLAlchemy's own wrapping ends with a link, not the cause)."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _match_header(source: Source, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
    """Map contract columns to header positions: case-insensitive, trimmed, order free."""
    name = source.name
    normal = [h.strip().lower() for h in source.header]
    if not any(normal):
        raise FileError(f"{name} has no header row: its first line is empty; line 1 must name the "
                        f"columns ({', '.join(required)})")
    known = set(required) | set(optional)
    if not known.intersection(normal):
        if len(source.header) == 1 and any(sep in source.header[0] for sep in (";", "\t", "|")):
            raise FileError(f"{name} is not comma-separated (its header is one column "
                            f"'{source.header[0][:60]}'); save it as 'CSV UTF-8 (Comma delimited)'")
        raise FileError(f"{name} has no header row: line 1 must name the columns "
                        f"({', '.join(required)}), but it reads "
                        f"'{', '.join(h for h in source.header if h)[:80]}'")
    seen: dict[str, int] = {}
    for pos, col in enumerate(normal):
        if col in known:
            if col in seen:
                raise FileError(f"{name} has the column {col} twice (columns {seen[col] + 1} "
                                f"and {pos + 1})")
            seen[col] = pos
    missing = [c for c in required if c not in seen]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        raise FileError(f"{name} misses the required column{plural} {', '.join(missing)}")
    source.positions = {c: seen[c] for c in required + optional if c in seen}
    source.extra = [h for h, n in zip(source.header, normal, strict=True) if n and n not in known]
    if source.extra:
        source.warnings.append(f"{name}: ignored column{'s' if len(source.extra) > 1 else ''} "
                               f"not in the contract: {', '.join(source.extra)}")


_FIELDS_RE = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
_EOF_RE = re.compile(r"EOF inside string starting at row (\d+)")


def _csv_chunks(source: Source, chunk_rows: int) -> Iterator[Chunk]:
    """Stream a CSV with pandas' C parser; rows longer than the header are reported by line."""
    width = len(source.header)
    total = max(source.path.stat().st_size, 1)
    needed = list(source.positions.items())
    with source.path.open("rb") as fh:
        # The header row goes through the same parser (and is dropped) so the first data row is
        # never mistaken for an index, and names=range(width + EXTRA) lets a row carry a few
        # stray values that are then reported with their line instead of failing the file.
        # Columns the contract does not use stay plain Python strings: converting them to
        # Arrow strings (pandas' str dtype) costs as much as parsing them.
        used = set(source.positions.values())
        dtypes = {i: (str if i in used else object) for i in range(width + EXTRA_FIELDS)}
        reader = pd.read_csv(fh, header=None, names=range(width + EXTRA_FIELDS), dtype=dtypes,
                             keep_default_na=False, na_filter=False, encoding="utf-8-sig",
                             skip_blank_lines=False, index_col=False, chunksize=chunk_rows,
                             engine="c")
        first = True
        while True:
            try:
                frame = next(reader)
            except StopIteration:
                break
            except UnicodeDecodeError:
                raise FileError(f"{source.name} is not UTF-8 text (a byte that UTF-8 does not allow "
                                f"after {fh.tell():,} bytes); save it as 'CSV UTF-8 (Comma "
                                "delimited)'") from None
            except pd.errors.ParserError as exc:
                raise FileError(_parser_error_sentence(source.name, width, exc)) from None
            lines = frame.index.to_numpy() + 1
            if first:
                frame, lines, first = frame.iloc[1:], lines[1:], False
            yield from _finish_chunk(source, frame, lines, needed, width,
                                     min(fh.tell() / total, 1.0))


def _parser_error_sentence(name: str, width: int, exc: Exception) -> str:
    """Turn a pandas tokenizer error into one sentence with the line number."""
    text = str(exc)
    m = _FIELDS_RE.search(text)
    if m:
        return (f"{name} line {m[2]} has {m[3]} values but the header has {width} columns; a value "
                "that contains a comma must be in double quotes")
    m = _EOF_RE.search(text)
    if m:
        return (f"{name} has a double quote that is never closed (from line {int(m[1]) + 1}); "
                "check the quotes around values")
    return f"{name} could not be read as CSV ({first_line(exc)})"


def _finish_chunk(source: Source, frame: pd.DataFrame, lines: np.ndarray,
                  needed: list[tuple[str, int]], width: int, position: float) -> Iterator[Chunk]:
    """Trim the contract columns, drop blank rows and flag rows longer than the header."""
    if frame.empty:
        return
    data = pd.DataFrame({col: frame.iloc[:, pos].fillna("").str.strip()
                         for col, pos in needed}, index=frame.index)
    nonblank = (data != "").any(axis=1).to_numpy().copy()  # pandas 3 hands out read-only views
    overflow = np.zeros(len(frame), dtype=np.int64)
    for pos in range(width, frame.shape[1]):
        cells = frame.iloc[:, pos].to_numpy(dtype=object)
        filled = np.flatnonzero(cells != "")
        filled = filled[[bool(str(cells[i]).strip()) for i in filled]]
        overflow[filled] = pos + 1
    nonblank |= overflow > 0
    if not nonblank.all():
        data, lines, overflow = data[nonblank], lines[nonblank], overflow[nonblank]
    if len(data):
        yield Chunk(data.reset_index(drop=True), lines, overflow if overflow.any() else None,
                    position)


def _sniff_xlsx(head: bytes, name: str) -> None:
    """An .xlsx is a zip archive; say what it is when it is not."""
    if not head.strip():
        raise FileError(f"{name} is empty")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileError(f"{name} is an old Excel 97-2003 (.xls) workbook renamed .xlsx; open it in "
                        "Excel and save it as .xlsx or 'CSV UTF-8 (Comma delimited)'")
    if head.startswith(b"%PDF"):
        raise FileError(f"{name} is a PDF document, not an Excel workbook")
    if not head.startswith(b"PK\x03\x04"):
        raise FileError(f"{name} is not an Excel .xlsx workbook (it looks like text; if it is "
                        "CSV, name it .csv)")


def _open_workbook(path: Path, name: str) -> Workbook:
    """Open a workbook read-only (streaming), turning every failure into one sentence."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise FileError(f"{name} could not be opened as an Excel workbook "
                        f"({first_line(exc)})") from None


def _xlsx_header(path: Path, name: str) -> tuple[list[str], str | None]:
    """The first sheet's first row as text, and a warning when other sheets were skipped."""
    wb = _open_workbook(path, name)
    try:
        if not wb.worksheets:
            raise FileError(f"{name} has no worksheet")
        ws = wb.worksheets[0]
        ws.reset_dimensions()  # some writers store wrong dimensions; read what is there
        first = next(ws.iter_rows(values_only=True), None)
        if first is None:
            raise FileError(f"{name} is empty (its first sheet '{ws.title}' has no rows)")
        header = [_cell_text(v, "text").strip() for v in first]
        while header and header[-1] == "":
            header.pop()
        warning = None
        if len(wb.worksheets) > 1:
            warning = (f"{name}: only the first sheet '{ws.title}' was read; "
                       f"{len(wb.worksheets) - 1} other sheet(s) ignored")
        return header, warning
    finally:
        wb.close()


def _cell_text(value: object, kind: str) -> str:
    """An Excel cell as the text the CSV path would see (dates ISO, whole floats without '.0')."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if kind == "timestamp" or value.time() != time(0):
            return value.isoformat(sep=" ")
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    return str(value)


def _xlsx_chunks(source: Source, chunk_rows: int) -> Iterator[Chunk]:
    """Stream the first sheet's rows (openpyxl read-only) into chunks of text."""
    wb = _open_workbook(source.path, source.name)
    try:
        ws = wb.worksheets[0]
        estimated_rows = ws.max_row  # from the sheet's stored dimensions: good enough for progress
        ws.reset_dimensions()
        width = len(source.header)
        needed = list(source.positions.items())
        kinds = [source.kinds.get(col, "text") for col, _ in needed]
        columns: list[list[str]] = [[] for _ in needed]
        lines: list[int] = []
        overflow: list[int] = []
        for line, row in enumerate(ws.iter_rows(values_only=True), start=1):
            if line == 1:
                continue
            cells = [_cell_text(row[pos] if pos < len(row) else None, kind).strip()
                     for (_, pos), kind in zip(needed, kinds, strict=True)]
            beyond = [i + 1 for i in range(width, len(row)) if _cell_text(row[i], "text").strip()]
            if not any(cells) and not beyond:
                continue
            for target, cell in zip(columns, cells, strict=True):
                target.append(cell)
            lines.append(line)
            overflow.append(beyond[-1] if beyond else 0)
            if len(lines) >= chunk_rows:
                yield _xlsx_chunk(needed, columns, lines, overflow, estimated_rows, line)
                columns, lines, overflow = [[] for _ in needed], [], []
        if lines:
            yield _xlsx_chunk(needed, columns, lines, overflow, None, None)
    finally:
        wb.close()


def _xlsx_chunk(needed: list[tuple[str, int]], columns: list[list[str]], lines: list[int],
                overflow: list[int], max_row: int | None, line: int | None) -> Chunk:
    """Package collected worksheet rows as a Chunk."""
    data = pd.DataFrame({col: pd.Series(values, dtype=str)
                         for (col, _), values in zip(needed, columns, strict=True)})
    over = np.asarray(overflow, dtype=np.int64)
    position = min(line / max_row, 0.99) if max_row and line else 1.0
    return Chunk(data, np.asarray(lines, dtype=np.int64), over if over.any() else None, position)
