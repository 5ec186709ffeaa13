# ruff: noqa: F811  (the shared pytest fixtures are imported by name)
"""Exports: CSV that Excel opens with Hindi intact, XLSX that keeps text as text."""

import io
from datetime import date

import openpyxl
import pandas as pd

from lib.figures.breakdowns import negative_accounts
from lib.view.exports import csv_bytes, plain_values, xlsx_bytes
from tests.test_metrics import loaded  # noqa: F401 (pytest fixture)


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


# the account list's columns as the Negative balance page gives them (lib.view.ui.table kinds)
ACCOUNT_KINDS = {"balance_inr": "inr", "days_negative": "int"}


def test_the_account_list_downloads_keep_paise_and_account_numbers(loaded):
    """Area A3 on 03 Feb: account 6 owes ₹1,50,000.50 (paise!), account 7 ₹1,000. The CSV has
    plain numbers with paise and the account and meter numbers as written; the workbook has
    numbers shown with two decimals and the numbers as text."""
    accounts = negative_accounts(loaded, "A3", date(2026, 2, 3))
    cols = ["account_no", "meter_no", "balance_inr", "days_negative"]
    raw = accounts[cols].assign(meter_no=["", "0071"])  # A3 has no meters: one with a zero
    lines = csv_bytes(plain_values(raw, ACCOUNT_KINDS)).decode("utf-8-sig").splitlines()
    assert lines == ["account_no,meter_no,balance_inr,days_negative",
                     "0000000006,,-150000.50,3", "0000000007,0071,-1000.00,2"]
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(raw, "accounts", ACCOUNT_KINDS))).active
    balance, account, meter = sheet["C2"], sheet["A2"], sheet["B3"]
    assert (balance.value, balance.data_type, balance.number_format) == (-150000.5, "n", "#,##0.00")
    assert (account.value, account.data_type) == ("0000000006", "s")
    assert (meter.value, meter.data_type) == ("0071", "s")
    assert sheet["D2"].number_format == "#,##0"
