"""Table exports: CSV that Excel opens with Hindi intact (UTF-8 with BOM), and XLSX."""

from __future__ import annotations

import io

import pandas as pd

from lib.data.inert import inert_frame


def csv_bytes(df: pd.DataFrame) -> bytes:
    """The frame as CSV, UTF-8 with a byte-order mark so Excel shows Devanagari correctly; text
    that a spreadsheet would run as a formula starts with ``'`` (lib.data.inert)."""
    return inert_frame(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def xlsx_bytes(df: pd.DataFrame, sheet: str = "data") -> bytes:
    """The frame as an Excel workbook with one sheet; text stays text (leading zeros kept, never
    a formula), numbers stay numbers."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        inert_frame(df).to_excel(writer, index=False, sheet_name=sheet[:31])
        sheet_ws = writer.sheets[sheet[:31]]
        for column in sheet_ws.columns:
            for cell in column:
                if cell.data_type == "f":  # openpyxl reads any text starting with = as a formula
                    cell.data_type = "s"
            width = max(len(str(c.value or "")) for c in column)
            sheet_ws.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
    return buffer.getvalue()
