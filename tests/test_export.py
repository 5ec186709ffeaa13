"""Exports: CSV that Excel opens with Hindi intact, XLSX that keeps text as text."""

import io

import openpyxl
import pandas as pd

from lib.view.exports import csv_bytes, xlsx_bytes


def test_csv_has_a_bom_and_keeps_hindi_and_leading_zeros():
    df = pd.DataFrame({"खाता संख्या": ["0000000003"], "क्षेत्र": ["गंगानगर"], "बकाया": ["-₹30,000"]})
    data = csv_bytes(df)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines() == ["खाता संख्या,क्षेत्र,बकाया", "0000000003,गंगानगर,"
                                 "\"-₹30,000\""]


def test_xlsx_keeps_numbers_as_numbers_and_accounts_as_text():
    df = pd.DataFrame({"account_no": ["0000000003"], "balance_inr": [-30000.5], "name": ["काजीपुर"]})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(df, "accounts"))).active
    assert [c.value for c in sheet[1]] == ["account_no", "balance_inr", "name"]
    assert [c.value for c in sheet[2]] == ["0000000003", -30000.5, "काजीपुर"]
    assert sheet.title == "accounts"
