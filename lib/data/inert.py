"""Text cells made inert for spreadsheets: the OWASP CSV-injection rule, shared by every export."""

from __future__ import annotations

import re

import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# A number written as text (a formatted figure such as -1,234.50 or -₹12,34,567 or +5.2%) is
# not a formula in any spreadsheet and is left as it is.
_NUMBER_TEXT = re.compile(r"[-+−]?₹?[0-9][0-9,]*(?:\.[0-9]+)?%?")


def inert(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, prefixed with ``'``; else as is."""
    if isinstance(value, str) and value.startswith(TRIGGERS) and not _NUMBER_TEXT.fullmatch(value):
        return "'" + value
    return value


def inert_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with its text cells made inert (numbers, dates and booleans untouched)."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col].dtype):
            out[col] = out[col].map(inert).astype(object)
    out.columns = [inert(c) for c in out.columns]
    return out
