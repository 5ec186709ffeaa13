"""Table exports: CSV that Excel opens with Hindi intact (UTF-8 with BOM), and XLSX."""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd

from lib.data.inert import inert_frame
from lib.view.formats import is_missing

# Excel number formats by value kind (lib.view.formats): rupees keep their paise.
XLSX_FORMATS = {"inr": "#,##0.00", "int": "#,##0", "pct": "0.0%", "hours": "0.0", "num": "0.0"}


def csv_bytes(df: pd.DataFrame) -> bytes:
    """The frame as CSV, UTF-8 with a byte-order mark so Excel shows Devanagari correctly; text
    that a spreadsheet would run as a formula starts with ``'`` (lib.data.inert)."""
    return inert_frame(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def plain_values(df: pd.DataFrame, kinds: Mapping[str, str]) -> pd.DataFrame:
    """The frame's values for a CSV read by programs: rupees as plain numbers with paise
    ("-2512.24"), counts as whole numbers, text (account numbers) as it is; no ₹, no grouping."""
    out = df.copy()
    for col, kind in kinds.items():
        if col not in out:
            continue
        if kind == "inr":
            out[col] = [None if is_missing(x) else f"{float(x):.2f}" for x in out[col]]
        elif kind == "int":
            out[col] = [None if is_missing(x) else str(int(x)) for x in out[col]]
    return out


def xlsx_bytes(df: pd.DataFrame, sheet: str = "data",
               formats: Mapping[str, str] | None = None) -> bytes:
    """The frame as an Excel workbook with one sheet; text stays text (leading zeros kept, never
    a formula), numbers stay numbers. ``formats`` maps a column to its value kind, which sets
    the cells' number format (XLSX_FORMATS: rupees with two decimals)."""
    buffer = io.BytesIO()
    formats = formats or {}
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        inert_frame(df).to_excel(writer, index=False, sheet_name=sheet[:31])
        sheet_ws = writer.sheets[sheet[:31]]
        for name, column in zip(df.columns, sheet_ws.columns, strict=True):
            number_format = XLSX_FORMATS.get(formats.get(name, ""))
            for cell in column:
                if cell.data_type == "f":  # openpyxl reads any text starting with = as a formula
                    cell.data_type = "s"
                if number_format and cell.row > 1 and cell.data_type == "n":
                    cell.number_format = number_format
            width = max(len(str(c.value or "")) for c in column)
            sheet_ws.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
    return buffer.getvalue()
