"""Checking one chunk of a file: each value parsed and normalised, the rules across columns
applied, and every invalid row found with its reason (no database involved)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lib.data import parse, parse_values
from lib.data.contract import FILES, MAX_TEXT_LENGTH, MAY_BE_EMPTY, ROLE_LEVEL, VOCABULARIES
from lib.data.load_files import DAY_OF, STORED_AS, FileState
from lib.data.load_report import reason_column
from lib.data.reasons import Reason, each
from lib.data.schema import metadata

Found = list[tuple[str | None, pd.Series]]  # (column, reasons) of every check that found some
# The kinds of column whose values need nothing but their text to be parsed.
PARSERS = {"account": parse_values.parse_account, "date": parse_values.parse_date,
           "amount": parse_values.parse_amount, "int": parse_values.parse_whole,
           "number": parse_values.parse_number, "email": parse_values.parse_email}


def _max_length(kind: str, column: str) -> int | None:
    """The declared length of a code column (PostgreSQL enforces it, so the load checks it), or
    MAX_TEXT_LENGTH for free text."""
    col = metadata.tables[kind].c.get(column)
    length = getattr(col.type, "length", None) if col is not None else None
    return length or MAX_TEXT_LENGTH


def validate_chunk(fs: FileState, chunk: parse.Chunk
                   ) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Check and normalise one chunk: stored values, the problems found, and which rows are bad."""
    stored, found, timestamps = _parse_columns(fs, chunk.data)
    _cross_column_rules(fs.kind, chunk.data.index, stored, found, timestamps)
    problems, bad = _flag_invalid(fs, chunk, stored, found)
    return pd.DataFrame({c: stored[c] for c in fs.stored}), problems, bad


def _parse_columns(fs: FileState, data: pd.DataFrame
                   ) -> tuple[dict[str, pd.Series], Found, dict[str, pd.Series]]:
    """Parse every contract column: stored values by table column, reasons, and timestamps."""
    kind, spec = fs.kind, FILES[fs.kind]
    index = data.index
    stored: dict[str, pd.Series] = {}
    found: Found = []
    timestamps: dict[str, pd.Series] = {}
    for col in fs.source.positions:
        raw = data[col]
        how = spec.kinds.get(col, "text")
        if how in PARSERS:
            values, reasons = PARSERS[how](raw)
            reasons = parse_values.explain_digits(raw, reasons)
        elif how == "timestamp":
            ts, reasons = parse_values.parse_timestamp(raw)
            reasons = parse_values.explain_digits(raw, reasons)
            timestamps[col] = ts
            values = parse_values.format_timestamp(ts)
            stored[DAY_OF[(kind, col)]] = parse_values.format_day(ts)
        elif how.startswith("vocab:"):
            values, reasons = parse_values.parse_vocab(raw, VOCABULARIES[how.split(":", 1)[1]])
        else:
            values, reasons = parse_values.parse_text(raw, _max_length(kind, col))
        if col in spec.required and (kind, col) not in MAY_BE_EMPTY:
            reasons = parse_values.reasons_where(index, (raw == "").to_numpy(),
                                                 Reason("required_empty"), reasons)
        stored[STORED_AS.get((kind, col), col)] = values
        if reasons is not None:
            found.append((col, reasons))
    return stored, found, timestamps


def _cross_column_rules(kind: str, index: pd.Index, stored: dict[str, pd.Series], found: Found,
                        timestamps: dict[str, pd.Series]) -> None:
    """The rules across columns; adds to ``found`` and, for complaints, the resolution time."""
    if kind == "recharges":
        amount = stored["amount_paise"]
        nonpositive = amount.notna().to_numpy() & (amount.fillna(1).astype("int64") <= 0).to_numpy()
        _add(found, index, "amount_inr", nonpositive, Reason("not_positive"))
    if kind == "campaigns":
        start, end = stored["start_date"], stored["end_date"]
        both = start.notna().to_numpy() & end.notna().to_numpy()
        before = both & (end.fillna("").to_numpy() < start.fillna("").to_numpy())
        if before.any():
            _add(found, index, "end_date", before,
                 each("end_before_start", start=start.to_numpy(dtype=object)[before]))
    if kind == "users":
        _users_rules(index, stored, found)
    if kind == "complaints" and "resolved_at" in timestamps:
        opened, resolved = timestamps["opened_at"], timestamps["resolved_at"]
        seconds = ((resolved - opened).dt.total_seconds())
        early = (seconds < 0).to_numpy()
        if early.any():
            opened_text = parse_values.format_timestamp(opened[early]).str[:19]
            _add(found, index, "resolved_at", early,
                 each("resolved_before_opened", opened=opened_text.to_numpy(dtype=object)))
        stored["resolution_seconds"] = pd.Series(
            np.floor(seconds.to_numpy()), index=index).astype("Int64")


def _users_rules(index: pd.Index, stored: dict[str, pd.Series], found: Found) -> None:
    """A role covers its own level (a viewer any); a DISCOM scope has no code, others one."""
    role, level = stored["role"].astype(object), stored["scope_level"].astype(object)
    code = stored["scope_code"].astype(object)
    known = role.notna().to_numpy() & level.notna().to_numpy()
    expected = role.map(ROLE_LEVEL).astype(object)
    wrong = known & expected.notna().to_numpy() & (expected != level).to_numpy()
    _add(found, index, "scope_level", wrong, each(
        "role_level", role=role.to_numpy()[wrong], expected=expected.to_numpy()[wrong],
        level=level.to_numpy()[wrong]))
    discom = (level == "discom").to_numpy()
    _add(found, index, "scope_code", discom & code.notna().to_numpy(), Reason("discom_code"))
    no_code = level.notna().to_numpy() & ~discom & code.isna().to_numpy()
    _add(found, index, "scope_code", no_code,
         each("scope_code_empty", level=level.to_numpy()[no_code]))


def _flag_invalid(fs: FileState, chunk: parse.Chunk, stored: dict[str, pd.Series], found: Found
                  ) -> tuple[pd.DataFrame, np.ndarray]:
    """Blank the invalid values, and list the problems (with key columns) and the bad rows."""
    kind, spec, data = fs.kind, FILES[fs.kind], chunk.data
    bad = np.zeros(len(data), dtype=bool)
    frames = []
    for col, reasons in found:
        mask = reasons.notna().to_numpy()
        if not mask.any():
            continue
        bad |= mask
        # An invalid value is staged as NULL; the row is flagged and reported.
        stored[STORED_AS.get((kind, col), col)] = _blank(stored[STORED_AS.get((kind, col), col)],
                                                         mask)
        frames.append(pd.DataFrame({"line": chunk.lines[mask], "column": col,
                                    "value": data[col].to_numpy()[mask],
                                    "reason": reason_column(reasons.to_numpy()[mask])}))
        if (kind, col) in DAY_OF:
            stored[DAY_OF[(kind, col)]] = _blank(stored[DAY_OF[(kind, col)]], mask)
        if kind == "complaints" and col in ("opened_at", "resolved_at") \
                and "resolution_seconds" in stored:
            stored["resolution_seconds"] = _blank(stored["resolution_seconds"], mask)
    if chunk.overflow is not None:
        over = chunk.overflow > 0
        bad |= over
        frames.append(pd.DataFrame({"line": chunk.lines[over], "column": None, "value": None,
                                    "reason": reason_column([_width_reason(n, fs.source)
                                                        for n in chunk.overflow[over]])}))
    problems = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if frames:
        positions = np.searchsorted(chunk.lines, problems["line"].to_numpy())
        for k in spec.key:
            if k in data:
                problems[k] = data[k].to_numpy()[positions]
        problems = problems.sort_values("line", kind="stable")
    return problems, bad


def _width_reason(n: int, source: parse.Source) -> Reason:
    """Why a row with ``n`` values does not fit the header."""
    if n < source.width:
        return Reason("short_row", n=int(n), width=source.width)
    return Reason("long_row", n=int(n), width=len(source.header))


def _add(found: list, index: pd.Index, column: str, mask: np.ndarray,
         reason: Reason | np.ndarray) -> None:
    """Add a cross-column problem to the column's reasons (one Reason, or one per row of
    ``mask``)."""
    if not mask.any():
        return
    reasons = pd.Series(None, index=index, dtype=object)
    reasons[mask] = reason
    found.append((column, reasons))


def _blank(values: pd.Series, mask: np.ndarray) -> pd.Series:
    """The values with the rows of ``mask`` missing (same dtype)."""
    return values.mask(mask)
