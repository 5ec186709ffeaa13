"""Reading contract files: a CSV or an ``.xlsx`` workbook checked and streamed as text chunks.

A CSV (UTF-8 with or without BOM, comma) or an ``.xlsx`` workbook (first sheet) is opened by
``open_source``, which checks the bytes and the header and raises ``FileError`` with one sentence
for the user when the file cannot be read at all; ``Source.chunks`` then streams the data rows as
DataFrames of trimmed text, ``CHUNK_ROWS`` at a time, with their line numbers (the header is line
1, the first data row line 2). Nothing here touches a database.

The cell values are parsed in ``lib.data.parse_values``; its parsers are re-exported here, so
``parse.parse_date`` and the like keep working where they are used.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from lib.data.parse_values import (
    format_day,
    format_timestamp,
    parse_account,
    parse_amount,
    parse_date,
    parse_number,
    parse_text,
    parse_timestamp,
    parse_vocab,
    parse_whole,
)
from lib.data.reasons import Reason

if TYPE_CHECKING:
    from openpyxl import Workbook

CHUNK_ROWS = 200_000  # rows per chunk: bounded memory, and big enough for vectorised speed
EXTRA_FIELDS = 4  # a row may carry this many values beyond the header and still be reported by line
SNIFF_BYTES = 64 * 1024
MAX_FIELD_CHARS = 1 << 20  # a CSV value longer than this is not a contract value

CONTRACT_FORMATS = (".csv", ".xlsx")


class FileError(Exception):
    """A file that cannot be read at all; the message is one sentence for the user."""

    def __init__(self, code: str, **values: object) -> None:
        """``FileError("empty", name=name)``: the reason's code and values (lib.data.reasons)."""
        self.reason = Reason(code, **values)
        super().__init__(self.reason)


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
    warnings: list[Reason] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)

    @property
    def width(self) -> int:
        """The header's columns up to its last named one (trailing empty names not counted)."""
        named = [i for i, h in enumerate(self.header) if h]
        return named[-1] + 1 if named else 0

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
        if not suffix:
            raise FileError("no_suffix", name=name)
        raise FileError("bad_suffix", name=name, suffix=suffix)
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
        raise FileError("empty", name=name)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(head):
        raise FileError("utf16", name=name)
    signatures = ((b"%PDF", "pdf"), (b"PK\x03\x04", "zip"), (b"\xd0\xcf\x11\xe0", "xls"),
                  (b"\x1f\x8b", "gzip"), (b"\x89PNG", "png"), (b"\xff\xd8\xff", "jpeg"))
    for magic, what in signatures:
        if head.startswith(magic):
            raise FileError("not_csv", name=name, what=what)
    if head.lstrip()[:5].lower() in (b"<html", b"<!doc", b"<?xml", b"<tabl"):
        raise FileError("html", name=name)
    if b"\x00" in head:
        raise FileError("binary", name=name)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError as exc:
        line = head[: exc.start].count(b"\n") + 1
        raise FileError("not_utf8_line", name=name, byte=f"{head[exc.start]:02X}",
                        line=line) from None


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
        raise FileError("empty", name=name) from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise FileError("csv_unreadable", name=name, error=first_line(exc)) from None
    if first.empty:
        raise FileError("empty", name=name)
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
        raise FileError("header_empty", name=name, columns=required)
    known = set(required) | set(optional)
    if not known.intersection(normal):
        if len(source.header) == 1 and any(sep in source.header[0] for sep in (";", "\t", "|")):
            raise FileError("not_comma", name=name, header=source.header[0][:60])
        raise FileError("no_header", name=name, columns=required,
                        reads=", ".join(h for h in source.header if h)[:80])
    seen: dict[str, int] = {}
    for pos, col in enumerate(normal):
        if col in known:
            if col in seen:
                raise FileError("column_twice", name=name, column=col, at=seen[col] + 1,
                                again=pos + 1)
            seen[col] = pos
    missing = [c for c in required if c not in seen]
    if missing:
        raise FileError("missing_columns" if len(missing) > 1 else "missing_column", name=name,
                        columns=missing)
    source.positions = {c: seen[c] for c in required + optional if c in seen}
    source.extra = [h for h, n in zip(source.header, normal, strict=True) if n and n not in known]
    if source.extra:
        source.warnings.append(Reason("ignored_columns" if len(source.extra) > 1
                                      else "ignored_column", name=name, columns=source.extra))


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
        counts = _field_counts(source)
        while True:
            try:
                frame = next(reader)
            except StopIteration:
                break
            except UnicodeDecodeError:
                raise FileError("not_utf8_after", name=source.name, bytes=fh.tell()) from None
            except pd.errors.ParserError as exc:
                raise _parser_error(source.name, width, exc) from None
            lines = frame.index.to_numpy() + 1
            fields = np.fromiter(itertools.islice(counts, len(frame)), dtype=np.int64,
                                 count=-1)
            if first:
                frame, lines, fields, first = frame.iloc[1:], lines[1:], fields[1:], False
            yield from _finish_chunk(source, frame, lines, needed, width,
                                     min(fh.tell() / total, 1.0), fields)


def _field_counts(source: Source) -> Iterator[int]:
    """The number of values in each CSV record (a blank line has none), read beside pandas,
    which fills a short row with empty values and so cannot tell it from a full one."""
    csv.field_size_limit(MAX_FIELD_CHARS)
    with source.path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
        try:
            for record in csv.reader(fh):
                yield len(record)
        except csv.Error as exc:
            raise FileError("csv_unreadable_line", name=source.name,
                            line=getattr(exc, "line_num", None) or "?",
                            error=first_line(exc)) from None


def _parser_error(name: str, width: int, exc: Exception) -> FileError:
    """Turn a pandas tokenizer error into one sentence with the line number."""
    text = str(exc)
    m = _FIELDS_RE.search(text)
    if m:
        return FileError("parser_long_row", name=name, line=int(m[2]), n=int(m[3]), width=width)
    m = _EOF_RE.search(text)
    if m:
        return FileError("unclosed_quote", name=name, line=int(m[1]) + 1)
    return FileError("csv_unreadable", name=name, error=first_line(exc))


def _finish_chunk(source: Source, frame: pd.DataFrame, lines: np.ndarray,
                  needed: list[tuple[str, int]], width: int, position: float,
                  fields: np.ndarray) -> Iterator[Chunk]:
    """Trim the contract columns, drop blank rows and flag rows longer or shorter than the
    header (``fields``: the values in each row, as read)."""
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
    named = source.width
    if len(fields) == len(frame):
        short = nonblank & (fields > 0) & (fields < named)
        overflow[short] = fields[short]
    nonblank |= overflow > 0
    if not nonblank.all():
        data, lines, overflow = data[nonblank], lines[nonblank], overflow[nonblank]
    if len(data):
        yield Chunk(data.reset_index(drop=True), lines, overflow if overflow.any() else None,
                    position)


def _sniff_xlsx(head: bytes, name: str) -> None:
    """An .xlsx is a zip archive; say what it is when it is not."""
    if not head.strip():
        raise FileError("empty", name=name)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileError("xls_renamed", name=name)
    if head.startswith(b"%PDF"):
        raise FileError("xlsx_is_pdf", name=name)
    if not head.startswith(b"PK\x03\x04"):
        raise FileError("not_xlsx", name=name)


def _open_workbook(path: Path, name: str) -> Workbook:
    """Open a workbook read-only (streaming), turning every failure into one sentence."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise FileError("xlsx_unreadable", name=name, error=first_line(exc)) from None


def _xlsx_header(path: Path, name: str) -> tuple[list[str], Reason | None]:
    """The first sheet's first row as text, and a warning when other sheets were skipped."""
    wb = _open_workbook(path, name)
    try:
        if not wb.worksheets:
            raise FileError("no_worksheet", name=name)
        ws = wb.worksheets[0]
        ws.reset_dimensions()  # some writers store wrong dimensions; read what is there
        first = next(ws.iter_rows(values_only=True), None)
        if first is None:
            raise FileError("empty_sheet", name=name, sheet=ws.title)
        header = [_cell_text(v, "text").strip() for v in first]
        while header and header[-1] == "":
            header.pop()
        warning = None
        if len(wb.worksheets) > 1:
            warning = Reason("first_sheet_only", name=name, sheet=ws.title,
                             others=len(wb.worksheets) - 1)
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


__all__ = ["CHUNK_ROWS", "Chunk", "FileError", "Source", "first_line", "format_day",
           "format_timestamp", "open_source", "parse_account", "parse_amount", "parse_date",
           "parse_number", "parse_text", "parse_timestamp", "parse_vocab", "parse_whole"]
