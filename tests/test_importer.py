"""lib.data.importer against real databases (SQLite and PostgreSQL): every loading rule of the contract.

Test files are built in code (tmp_path); nothing is committed as data.
"""

from __future__ import annotations

import contextlib
import csv
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

import lib.data.importer as importer
import lib.data.rollup_delta
import lib.data.rollups
from lib.data import parse
from lib.data.engine import get_meta
from lib.data.importer import load_paths, load_uploads
from lib.data.schema import loads, metadata

HEADERS = {
    "hierarchy": ["zone_code", "zone_name", "chief_engineer", "circle_code", "circle_name",
                  "division_code", "division_name", "area_code", "area_name", "area_name_hi"],
    "consumers": ["account_no", "area_code", "category", "meter_no", "smart_meter_since", "load_kw"],
    "balances": ["account_no", "as_of", "balance_inr"],
    "activities": ["activity_id", "account_no", "activity", "occurred_at", "campaign_id",
                   "staff_id"],
    "recharges": ["txn_id", "account_no", "paid_at", "amount_inr", "channel"],
    "complaints": ["ticket_id", "area_code", "help_desk", "opened_at", "resolved_at", "category"],
    "campaigns": ["campaign_id", "name", "name_hi", "start_date", "end_date"],
    "targets": ["campaign_id", "level", "code", "metric", "target"],
}

CHIEF = "मुनीश चोपड़ा"
GANGANAGAR = "गंगानगर"
CAMPAIGN_HI = "स्मार्ट मीटर उपभोक्ता जागरूकता अभियान"


def base_rows() -> dict[str, list[list[str]]]:
    """A small, valid load touching every rule of value formats."""
    return {
        "hierarchy": [
            ["Z1", "Meerut Zone I", CHIEF, "C1", "Meerut Circle", "D1", "Division 1", "A1",
             "Ganganagar", GANGANAGAR],
            ["Z1", "Meerut Zone I", CHIEF, "C1", "Meerut Circle", "D2", "Division 2", "A2",
             "Kazipur", "काजीपुर"],
        ],
        "consumers": [
            ["0001234567", "A1", "Domestic", "M1", "2025-06-01", "2"],
            ["0001234568", "A1", "COMMERCIAL", "M2", "15/07/2025", "3.5"],
            ["0001234569", "A2", "domestic", "", "", ""],
        ],
        "balances": [
            ["0001234567", "2026-02-01", "-₹1,234.50"],
            ["0001234567", "03-02-2026", "₹-12,34,567.50"],
            ["0001234568", "13/02/2026", "1,234,567.50"],
            ["0001234569", "2026-02-03", " 250 "],
        ],
        "activities": [
            ["ACT1", "0001234567", "OTP_Verified", "2026-02-03T14:05:00", "CMP1", "S1"],
            ["ACT2", "0001234568", "app_downloaded", "2026-02-03T20:00:00Z", "CMP1", ""],
        ],
        "recharges": [
            ["TX1", "0001234567", "2026-02-03T20:00:00+00:00", "₹ 500", "UPI"],
            ["TX2", "0001234568", "2026-02-04 09:15", "1,00,000.00", "smart_app"],
        ],
        "complaints": [
            ["TK1", "A1", "Mahavir Chowk", "2026-02-03 10:00", "2026-02-03 12:30:00", "Recharge"],
            ["TK2", "A2", "Gandhi Nagar", "2026-02-04T09:00:00+05:30", "", "app"],
        ],
        "campaigns": [["CMP1", "Smart meter awareness", CAMPAIGN_HI, "2026-02-02", "07-02-2026"]],
        "targets": [
            ["CMP1", "zone", "Z1", "otp_verified", "1,000"],
            ["CMP1", "area", "A1", "app_downloaded", "50"],
            ["CMP1", "division", "D2", "negative_cleared", "5"],
        ],
    }


def write_csv(path: Path, header: list[str], rows: list[list[str]], *, bom: bool = False,
              newline: str = "\n") -> Path:
    """Write a CSV as a source system would (quotes only where needed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator=newline)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def make_folder(folder: Path, rows: dict[str, list[list[str]]] | None = None,
                kinds: tuple[str, ...] | None = None) -> Path:
    """A folder of contract CSVs (all kinds, or only ``kinds``)."""
    rows = rows or base_rows()
    for kind in kinds or tuple(rows):
        write_csv(folder / f"{kind}.csv", HEADERS[kind], rows[kind])
    return folder


def dump(engine) -> dict[str, list[tuple]]:
    """Every table except the load log and the audit trail, sorted: "the database exactly as it
    was"."""
    out = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            if table.name in ("loads", "audit"):
                continue
            rows = conn.execute(select(table)).all()
            out[table.name] = sorted(tuple(str(v) for v in row) for row in rows)
    return out


def load_log(engine) -> list[dict]:
    """The load-log rows, oldest first."""
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(loads).order_by(loads.c.load_id))]


def rows_of(engine, table: str, order_by: str) -> list[dict]:
    """All rows of a table as dicts."""
    t = metadata.tables[table]
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(t).order_by(t.c[order_by]))]


def as_date(value) -> date:
    """A date as read back (SQLite gives text, PostgreSQL a date)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def as_datetime(value) -> datetime:
    """A timestamp as read back (SQLite gives text, PostgreSQL a datetime)."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    """Rejects go under tmp_path; the rollup rebuild runs when it exists (a stub until then)."""
    monkeypatch.setattr(importer, "DATA_DIR", tmp_path / "data")
    real = lib.data.rollups.rebuild_rollups

    def rebuild(conn, progress=None):
        """The real rebuild, tolerated while it is still a stub."""
        with contextlib.suppress(NotImplementedError):  # lib.data.rollups is written alongside
            real(conn, progress=progress)

    monkeypatch.setattr(lib.data.rollups, "rebuild_rollups", rebuild)


@pytest.fixture
def loaded(engine, db_url, tmp_path):
    """A database holding the base load."""
    result = load_paths([make_folder(tmp_path / "base")], db_url)
    assert result.ok, result.report()
    return engine


def load_one(db_url, tmp_path, kind: str, rows: list[list[str]], header: list[str] | None = None,
             **kwargs):
    """Load a single CSV file of ``kind``."""
    path = write_csv(tmp_path / "one" / f"{kind}.csv", header or HEADERS[kind], rows)
    return load_paths([path], db_url, **kwargs)


# --- a good load ---------------------------------------------------------------------------


def test_full_load_normalises_every_value(engine, db_url, tmp_path):
    result = load_paths([make_folder(tmp_path / "in")], db_url, loaded_by="tester")
    assert result.ok and result.status == "loaded", result.report()
    assert result.problem_count == 0 and result.problems == []
    assert result.rows_accepted == 19 and result.rows_rejected == 0

    hierarchy = rows_of(engine, "hierarchy", "area_code")
    assert hierarchy[0]["area_name_hi"] == GANGANAGAR
    assert hierarchy[0]["chief_engineer"].encode() == CHIEF.encode()  # byte for byte

    consumers = rows_of(engine, "consumers", "account_no")
    assert [c["account_no"] for c in consumers] == ["0001234567", "0001234568", "0001234569"]
    assert [c["category"] for c in consumers] == ["domestic", "commercial", "domestic"]
    assert as_date(consumers[1]["smart_meter_since"]) == date(2025, 7, 15)
    assert consumers[1]["load_kw"] == 3.5
    assert consumers[2]["meter_no"] is None and consumers[2]["smart_meter_since"] is None

    balances = {(b["account_no"], as_date(b["as_of"])): b["balance_paise"]
                for b in rows_of(engine, "balances", "account_no")}
    assert balances == {
        ("0001234567", date(2026, 2, 1)): -123450,
        ("0001234567", date(2026, 2, 3)): -123456750,   # Indian grouping, ₹ before the minus
        ("0001234568", date(2026, 2, 13)): 123456750,   # day-first, western grouping
        ("0001234569", date(2026, 2, 3)): 25000,
    }

    activities = rows_of(engine, "activities", "activity_id")
    assert activities[0]["activity"] == "otp_verified"
    assert as_datetime(activities[0]["occurred_at"]) == datetime(2026, 2, 3, 14, 5)
    assert as_datetime(activities[1]["occurred_at"]) == datetime(2026, 2, 4, 1, 30)  # Z -> IST
    assert as_date(activities[1]["day"]) == date(2026, 2, 4)
    assert activities[1]["staff_id"] is None

    recharges = rows_of(engine, "recharges", "txn_id")
    assert as_datetime(recharges[0]["paid_at"]) == datetime(2026, 2, 4, 1, 30)
    assert as_date(recharges[0]["day"]) == date(2026, 2, 4)
    assert [r["amount_paise"] for r in recharges] == [50000, 10000000]
    assert [r["channel"] for r in recharges] == ["upi", "smart_app"]

    complaints = rows_of(engine, "complaints", "ticket_id")
    assert complaints[0]["resolution_seconds"] == 9000
    assert as_date(complaints[0]["resolved_day"]) == date(2026, 2, 3)
    assert as_datetime(complaints[1]["opened_at"]) == datetime(2026, 2, 4, 9, 0)
    assert complaints[1]["resolved_at"] is None and complaints[1]["resolution_seconds"] is None

    campaigns = rows_of(engine, "campaigns", "campaign_id")
    assert campaigns[0]["name_hi"] == CAMPAIGN_HI
    assert as_date(campaigns[0]["end_date"]) == date(2026, 2, 7)
    targets = {(t["level"], t["code"]): t["target"] for t in rows_of(engine, "targets", "code")}
    assert targets == {("zone", "Z1"): 1000, ("area", "A1"): 50, ("division", "D2"): 5}

    [logged] = load_log(engine)
    assert logged["load_id"] == result.load_id
    assert logged["status"] == "loaded" and logged["loaded_by"] == "tester"
    assert logged["rows_accepted"] == 19 and logged["rows_rejected"] == 0
    assert str(tmp_path / "in") in logged["source"]
    assert as_datetime(logged["started_at"]) <= as_datetime(logged["finished_at"])
    files = {f["kind"]: f for f in json.loads(logged["files"])}
    assert files["balances"] == {"file": "balances.csv", "kind": "balances", "rows": 4,
                                 "accepted": 4, "rejected": 0, "duplicates": 0, "changed": 4}
    with engine.connect() as conn:
        assert get_meta(conn, "data_version") == "1"
        assert get_meta(conn, "last_load_at")
    assert "Loaded (load 1): 19 rows accepted" in result.report()


def test_loading_twice_changes_nothing(loaded, db_url, tmp_path, monkeypatch):
    before = dump(loaded)

    def no_rebuild(conn, progress=None):
        """A load that writes no row must not rebuild the rollups."""
        raise AssertionError("rollups rebuilt for a load that changed nothing")

    monkeypatch.setattr(lib.data.rollups, "rebuild_rollups", no_rebuild)
    again = load_paths([make_folder(tmp_path / "base")], db_url)
    assert again.ok
    after = dump(loaded)
    assert {k: v for k, v in after.items() if k != "meta"} == \
        {k: v for k, v in before.items() if k != "meta"}
    assert all(f["changed"] == 0 for f in again.files)
    with loaded.connect() as conn:
        assert get_meta(conn, "data_version") == "1"  # nothing changed: figures stay valid
    assert [row["status"] for row in load_log(loaded)] == ["loaded", "loaded"]


def test_a_newer_load_replaces_the_row(loaded, db_url, tmp_path):
    result = load_one(db_url, tmp_path, "balances", [["0001234567", "2026-02-01", "99.99"]])
    assert result.ok
    balances = {(b["account_no"], as_date(b["as_of"])): b["balance_paise"]
                for b in rows_of(loaded, "balances", "account_no")}
    assert balances[("0001234567", date(2026, 2, 1))] == 9999
    assert len(balances) == 4
    assert result.files[0]["changed"] == 1

    # The hierarchy is data: a later load moves an area to another division.
    rows = base_rows()["hierarchy"]
    rows[0][5:7] = ["D9", "Division 9"]
    assert load_one(db_url, tmp_path, "hierarchy", rows[:1]).ok
    assert rows_of(loaded, "hierarchy", "area_code")[0]["division_code"] == "D9"


def test_absent_optional_column_keeps_existing_values(loaded, db_url, tmp_path):
    header = [h for h in HEADERS["hierarchy"] if h != "area_name_hi"]
    rows = [r[:-1] for r in base_rows()["hierarchy"]]
    rows[0][8] = "Ganga Nagar"
    assert load_one(db_url, tmp_path, "hierarchy", rows, header=header).ok
    first = rows_of(loaded, "hierarchy", "area_code")[0]
    assert first["area_name"] == "Ganga Nagar" and first["area_name_hi"] == GANGANAGAR


def test_header_is_matched_case_insensitively_in_any_order_with_extras(engine, db_url, tmp_path):
    make_folder(tmp_path / "in", kinds=("hierarchy",))
    write_csv(tmp_path / "in" / "consumers.csv",
              ["  Category ", "REMARKS", "Area_Code", " ACCOUNT_NO"],
              [["domestic", "new", "A1", "0000000042"]])
    result = load_paths([tmp_path / "in"], db_url)
    assert result.ok, result.report()
    assert any("REMARKS" in w and "ignored" in w for w in result.warnings)
    assert rows_of(engine, "consumers", "account_no")[0]["account_no"] == "0000000042"


def test_bom_and_no_bom_load_the_same(db_url, tmp_path, engine):
    """Excel's 'CSV UTF-8' (BOM, CRLF) and a plain UTF-8 file give the same rows."""
    rows = base_rows()
    for kind in ("hierarchy", "consumers"):
        write_csv(tmp_path / "bom" / f"{kind}.csv", HEADERS[kind], rows[kind], bom=True,
                  newline="\r\n")
    assert (tmp_path / "bom" / "hierarchy.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    result = load_paths([tmp_path / "bom"], db_url)
    assert result.ok, result.report()
    bom_dump = dump(engine)
    again = load_paths([make_folder(tmp_path / "plain", kinds=("hierarchy", "consumers"))], db_url)
    assert again.ok and all(f["changed"] == 0 for f in again.files)
    assert dump(engine)["consumers"] == bom_dump["consumers"]


def test_quoted_values_and_blank_lines_keep_line_numbers(engine, db_url, tmp_path):
    folder = make_folder(tmp_path / "in", kinds=("hierarchy", "consumers"))
    (folder / "complaints.csv").write_text(
        "ticket_id,area_code,help_desk,opened_at,resolved_at,category\n"
        'TK1,A1,"Mahavir Chowk, Muzaffarnagar",2026-02-03 10:00,,app\n'
        "\n"
        'TK2,A1,"Town Hall\nDesk 2",2026-02-03 10:00,,app\n'
        "TK3,A1,Mandi,2026-02-03 10:00,,bogus\n", encoding="utf-8")
    result = load_paths([folder], db_url)
    assert not result.ok
    [problem] = result.problems
    assert (problem.file, problem.line, problem.column, problem.value) == \
        ("complaints.csv", 5, "category", "bogus")
    write_text = (folder / "complaints.csv").read_text(encoding="utf-8").replace("bogus", "meter")
    (folder / "complaints.csv").write_text(write_text, encoding="utf-8")
    assert load_paths([folder], db_url).ok
    desks = [c["help_desk"] for c in rows_of(engine, "complaints", "ticket_id")]
    assert desks == ["Mahavir Chowk, Muzaffarnagar", "Town Hall\nDesk 2", "Mandi"]


def test_timestamp_offsets_are_converted_to_ist(loaded, db_url, tmp_path):
    rows = [["A10", "0001234567", "contacted", "2026-02-03T20:00:00Z", "", ""],
            ["A11", "0001234567", "contacted", "2026-02-03T20:00:00+00:00", "", ""],
            ["A12", "0001234567", "contacted", "2026-02-03 20:00+05:30", "", ""],
            ["A13", "0001234567", "contacted", "2026-02-03 20:00", "", ""]]
    assert load_one(db_url, tmp_path, "activities", rows).ok
    got = {a["activity_id"]: (as_datetime(a["occurred_at"]), as_date(a["day"]))
           for a in rows_of(loaded, "activities", "activity_id")}
    assert got["A10"] == got["A11"] == (datetime(2026, 2, 4, 1, 30), date(2026, 2, 4))
    assert got["A12"] == got["A13"] == (datetime(2026, 2, 3, 20, 0), date(2026, 2, 3))


def test_xlsx_is_read_like_csv(engine, db_url, tmp_path):
    from openpyxl import Workbook

    folder = make_folder(tmp_path / "in", kinds=("hierarchy", "consumers"))
    wb = Workbook()
    ws = wb.active
    ws.title = "MDM"
    ws.append(["Account_No", "as_of", "balance_inr"])
    ws.append(["0001234567", datetime(2026, 2, 3), -1234.5])        # text keeps its zeros
    ws.append(["0001234568", "13/02/2026", "₹12,34,567.50"])
    ws.append([None, None, None])                                     # blank row: skipped
    ws.append([1234569, date(2026, 2, 4), 250])                       # a number loses them
    wb.create_sheet("notes").append(["ignored"])
    wb.save(folder / "balances.xlsx")
    acts = Workbook()
    acts.active.append(HEADERS["activities"])
    acts.active.append(["ACT9", "0001234567", "app_trained", datetime(2026, 2, 3, 14, 5), None,
                        "S७"])
    acts.save(folder / "activities.xlsx")

    result = load_paths([folder], db_url)
    assert not result.ok  # 1234569 has 7 digits but names no consumer
    [problem] = result.problems
    assert (problem.file, problem.line, problem.column, problem.value) == \
        ("balances.xlsx", 5, "account_no", "1234569")
    assert problem.reason.startswith("unknown account")
    assert any("only the first sheet 'MDM'" in w for w in result.warnings)

    wb["MDM"].delete_rows(5)
    wb.save(folder / "balances.xlsx")
    result = load_paths([folder], db_url)
    assert result.ok, result.report()
    balances = {(b["account_no"], as_date(b["as_of"])): b["balance_paise"]
                for b in rows_of(engine, "balances", "account_no")}
    assert balances == {("0001234567", date(2026, 2, 3)): -123450,
                        ("0001234568", date(2026, 2, 13)): 123456750}
    [activity] = rows_of(engine, "activities", "activity_id")
    assert as_datetime(activity["occurred_at"]) == datetime(2026, 2, 3, 14, 5)
    assert activity["staff_id"] == "S७"


def test_load_uploads(engine, db_url):
    rows = base_rows()

    def content(kind: str) -> bytes:
        """A contract CSV as uploaded bytes."""
        lines = [",".join(HEADERS[kind])] + [",".join(r) for r in rows[kind]]
        return ("\n".join(lines) + "\n").encode("utf-8")

    result = load_uploads([("hierarchy.csv", content("hierarchy")),
                           ("C:\\fakepath\\..\\campaigns.csv", content("campaigns"))], db_url,
                          loaded_by="upload-page")
    assert result.ok, result.report()
    [logged] = load_log(engine)
    assert logged["source"].startswith("upload: ") and logged["loaded_by"] == "upload-page"
    assert len(rows_of(engine, "campaigns", "campaign_id")) == 1


def test_progress_is_reported_up_to_the_end(db_url, tmp_path):
    seen: list[tuple[float, str]] = []
    result = load_paths([make_folder(tmp_path / "in")], db_url,
                        progress=lambda f, m: seen.append((f, m)))
    assert result.ok
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[0] >= 0 and fractions[-1] == 1.0
    assert any(m.startswith("reading balances.csv") for _, m in seen)


# --- duplicates ----------------------------------------------------------------------------


def test_exact_duplicate_rows_load_once_with_a_warning(loaded, db_url, tmp_path):
    rows = [["0001234567", "2026-02-05", "10"], ["0001234568", "2026-02-05", "20"],
            ["0001234567", "05-02-2026", "10.00"]]  # same values, written differently
    result = load_one(db_url, tmp_path, "balances", rows)
    assert result.ok, result.report()
    assert result.files[0]["duplicates"] == 1 and result.files[0]["accepted"] == 2
    assert any("line 4 repeats line 2" in w for w in result.warnings)
    assert len(rows_of(loaded, "balances", "account_no")) == 6


def test_conflicting_duplicates_are_both_invalid(loaded, db_url, tmp_path):
    before = dump(loaded)
    rows = [["0001234567", "2026-02-05", "10"], ["0001234568", "2026-02-05", "20"],
            ["0001234567", "2026-02-05", "11"]]
    result = load_one(db_url, tmp_path, "balances", rows)
    assert not result.ok and result.status == "rejected"
    assert [(p.line, p.column, p.value) for p in result.problems] == [
        (2, "account_no, as_of", "0001234567, 2026-02-05"),
        (4, "account_no, as_of", "0001234567, 2026-02-05")]
    assert result.problems[0].reason == "the same account_no and as_of as line 4 but different values"
    assert result.problems[1].reason == "the same account_no and as_of as line 2 but different values"
    assert dump(loaded) == before

    skipped = load_one(db_url, tmp_path, "balances", rows, skip_invalid=True)
    assert skipped.ok and skipped.rows_accepted == 1 and skipped.rows_rejected == 2


# --- bad values: one clear problem each, database untouched ----------------------------------

BAD_VALUES = [
    # (file, row index, column, bad value, reason fragment)
    ("balances", 1, "account_no", "12AB567890", "not an account number"),
    ("balances", 1, "account_no", "1.23457E+09", "scientific notation"),
    ("balances", 0, "as_of", "31-02-2026", "not a real calendar date"),
    ("balances", 0, "as_of", "02/13/2026", "never month-first"),
    ("balances", 2, "as_of", "2026/02/03", "not a date"),
    ("balances", 3, "balance_inr", "12,3", "not an amount in rupees"),
    ("balances", 3, "balance_inr", "abc", "not an amount in rupees"),
    ("balances", 3, "balance_inr", "", "required value is empty"),
    ("recharges", 1, "amount_inr", "0", "amount must be more than zero"),
    ("recharges", 0, "amount_inr", "-₹5", "amount must be more than zero"),
    ("recharges", 0, "channel", "cash", "not one of: smart_app, upi, counter, bank, other"),
    ("recharges", 0, "paid_at", "2026-02-30 10:00", "not a real date and time"),
    ("activities", 0, "occurred_at", "03 Feb 2026", "not a timestamp"),
    ("activities", 1, "activity", "otp", "not one of: otp_verified"),
    ("consumers", 2, "category", "domestik", "not one of: domestic, commercial"),
    ("consumers", 0, "area_code", "", "required value is empty"),
    ("consumers", 0, "load_kw", "two", "not a number"),
    ("hierarchy", 1, "area_code", "A" * 41, "longer than 40 characters"),
    ("complaints", 0, "resolved_at", "2026-02-03 09:59", "resolved_at is before opened_at "
                                                         "2026-02-03 10:00:00"),
    ("campaigns", 0, "end_date", "01-02-2026", "end_date is before start_date 2026-02-02"),
    ("targets", 0, "target", "-1", "must be 0 or more"),
    ("targets", 1, "target", "1.5", "not a whole number"),
    ("targets", 2, "level", "subdivision", "not one of: zone, circle, division, area"),
]


@pytest.mark.parametrize(("kind", "index", "column", "value", "reason"), BAD_VALUES,
                         ids=[f"{b[0]}-{b[2]}-{b[3][:12]}" for b in BAD_VALUES])
def test_a_bad_value_rejects_the_load(loaded, db_url, tmp_path, kind, index, column, value,
                                      reason):
    before = dump(loaded)
    rows = base_rows()
    rows[kind][index][HEADERS[kind].index(column)] = value
    result = load_paths([make_folder(tmp_path / "bad", rows)], db_url)
    assert not result.ok and result.status == "rejected"
    problem = result.problems[0]
    assert (problem.file, problem.line, problem.column, problem.value) == \
        (f"{kind}.csv", index + 2, column, value.strip())
    assert reason in problem.reason
    assert f"{kind}.csv line {index + 2}, column {column}, value '{value.strip()}': " \
        in result.report()
    assert dump(loaded) == before
    assert load_log(loaded)[-1]["status"] == "rejected"


REFERENCE_CASES = [
    ("balances", 0, "account_no", "0009999999", "unknown account: not among the consumers"),
    ("activities", 1, "account_no", "0009999999", "unknown account"),
    ("recharges", 0, "account_no", "0009999999", "unknown account"),
    ("consumers", 2, "area_code", "A9", "unknown area_code: not in the hierarchy"),
    ("complaints", 1, "area_code", "A9", "unknown area_code"),
    ("targets", 0, "campaign_id", "CMP9", "unknown campaign_id"),
    ("targets", 0, "code", "A1", "unknown zone code: not a zone_code in the hierarchy"),
    ("targets", 2, "code", "D9", "unknown division code"),
]


@pytest.mark.parametrize(("kind", "index", "column", "value", "reason"), REFERENCE_CASES,
                         ids=[f"{c[0]}-{c[2]}" for c in REFERENCE_CASES])
def test_unknown_references_reject_the_load(loaded, db_url, tmp_path, kind, index, column, value,
                                            reason):
    before = dump(loaded)
    rows = base_rows()
    rows[kind][index][HEADERS[kind].index(column)] = value
    result = load_paths([make_folder(tmp_path / "bad", rows)], db_url)
    assert not result.ok
    [problem] = result.problems
    assert (problem.file, problem.line, problem.column, problem.value) == \
        (f"{kind}.csv", index + 2, column, value)
    assert problem.reason.startswith(reason)
    assert problem.reason.endswith("(already loaded or in this load)")
    assert dump(loaded) == before


def test_references_may_point_at_rows_already_loaded(loaded, db_url, tmp_path):
    # No hierarchy or consumers in this load: they are in the database.
    assert load_one(db_url, tmp_path, "balances", [["0001234569", "2026-02-09", "1"]]).ok
    assert load_one(db_url, tmp_path, "complaints",
                    [["TK7", "A2", "HD", "2026-02-09 10:00", "", "other"]]).ok


def test_first_fifty_problems_and_a_count_of_the_rest(loaded, db_url, tmp_path):
    rows = [["0001234567", f"2026-01-{d:02d}", "x"] for d in range(1, 31)]
    rows += [["0001234568", f"2026-03-{d:02d}", "-"] for d in range(1, 31)]
    rows += [["0001234569", f"2026-04-{d:02d}", "1"] for d in range(1, 31)]
    rows += [["0001234569", f"2026-05-{d:02d}", "1"] for d in range(1, 31)]
    rows[80][1] = "2026-04-31"
    result = load_one(db_url, tmp_path, "balances", rows)
    assert not result.ok
    assert result.problem_count == 61 and len(result.problems) == importer.MAX_PROBLEMS
    assert [p.line for p in result.problems] == list(range(2, 52))
    assert "... and 11 more" in result.report()
    # More than fifty: every problem is also in a rejects CSV.
    assert result.rejects_path == tmp_path / "data" / "rejects" / f"load-{result.load_id}.csv"
    with result.rejects_path.open(encoding="utf-8-sig") as fh:
        assert len(list(csv.DictReader(fh))) == 61


# --- bad files: one clear sentence ---------------------------------------------------------

HEADER = "account_no,as_of,balance_inr\n"
BAD_FILES = [
    ("balances.csv", "a,b\n1,2\n".encode("utf-16"),
     "balances.csv is saved as UTF-16 (Excel's 'Unicode Text'); save it as 'CSV UTF-8 (Comma "
     "delimited)' instead"),
    ("balances.csv", b"", "balances.csv is empty"),
    ("balances.csv", b"\xef\xbb\xbf", "balances.csv is empty"),
    ("balances.csv", HEADER.encode(), "balances.csv has a header but no data rows"),
    ("balances.csv", b"account_no,balance_inr\n0001234567,5\n",
     "balances.csv misses the required column as_of"),
    ("balances.csv", b"account_no\n0001234567\n",
     "balances.csv misses the required columns as_of, balance_inr"),
    ("balances.csv", b"0001234567,2026-02-01,5\n0001234568,2026-02-01,6\n",
     "balances.csv has no header row: line 1 must name the columns (account_no, as_of, "
     "balance_inr)"),
    ("balances.csv", b"account_no;as_of;balance_inr\n0001234567;2026-02-01;5\n",
     "balances.csv is not comma-separated"),
    ("balances.csv", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n",
     "balances.csv is a PDF document, not a CSV file"),
    ("balances.csv", b"PK\x03\x04\x14\x00\x00\x00garbage",
     "balances.csv is an Excel workbook or zip archive, not a CSV file"),
    ("balances.csv", HEADER.encode() + "0001234567,2026-02-01,S\xe9\n".encode("latin-1"),
     "balances.csv is not UTF-8 text (byte 0xE9 on line 2)"),
    ("balances.csv", b"account_no,as_of,as_of,balance_inr\n1,2,3,4\n",
     "balances.csv has the column as_of twice (columns 2 and 3)"),
    ("balances.csv", HEADER.encode() + b"0001234567,2026-02-01,1,2,3,4,5,6,7,8\n",
     "balances.csv line 2 has 10 values but the header has 3 columns"),
    ("balances.csv", HEADER.encode() + b'0001234567,2026-02-01,"5\n',
     "balances.csv has a double quote that is never closed (from line 2)"),
    ("balances.txt", HEADER.encode() + b"0001234567,2026-02-01,5\n",
     "balances.txt is a .txt file; only .csv (UTF-8) and .xlsx files can be loaded"),
    ("balances.xlsx", HEADER.encode(),
     "balances.xlsx is not an Excel .xlsx workbook (it looks like text; if it is CSV, name it .csv)"),
    ("balances.xlsx", b"PK\x03\x04\x14\x00\x00\x00garbage",
     "balances.xlsx could not be opened as an Excel workbook"),
    ("saldo.csv", HEADER.encode() + b"0001234567,2026-02-01,5\n",
     "saldo.csv is not a contract file: its name must be one of hierarchy, users, campaigns, consumers, "
     "targets, balances, activities, recharges, complaints (.csv or .xlsx)"),
]


@pytest.mark.parametrize(("name", "content", "sentence"), BAD_FILES,
                         ids=[f"{i}-{b[0]}" for i, b in enumerate(BAD_FILES)])
def test_a_bad_file_gets_one_clear_sentence(loaded, db_url, tmp_path, name, content, sentence):
    before = dump(loaded)
    path = tmp_path / "bad" / name
    path.parent.mkdir()
    path.write_bytes(content)
    for skip in (False, True):  # a file-level problem rejects the load even with skip_invalid
        result = load_paths([path], db_url, skip_invalid=skip)
        assert not result.ok and result.status == "rejected"
        assert result.problem_count == 1
        [problem] = result.problems
        assert str(problem).startswith(sentence), str(problem)
        assert "Traceback" not in result.report()
        assert dump(loaded) == before
    assert load_log(loaded)[-1]["status"] == "rejected"


def test_a_bad_file_among_good_ones_rejects_the_whole_load(loaded, db_url, tmp_path):
    before = dump(loaded)
    rows = base_rows()
    rows["balances"].append(["0001234569", "2026-02-20", "7"])
    folder = make_folder(tmp_path / "in", rows)
    (folder / "complaints.csv").write_bytes("x".encode("utf-16"))
    result = load_paths([folder], db_url)
    assert not result.ok
    assert [str(p) for p in result.problems] == [
        "complaints.csv is saved as UTF-16 (Excel's 'Unicode Text'); save it as "
        "'CSV UTF-8 (Comma delimited)' instead"]
    assert dump(loaded) == before


def test_folders_take_contract_files_and_warn_about_others(engine, db_url, tmp_path):
    folder = make_folder(tmp_path / "in", kinds=("hierarchy",))
    (folder / "notes.csv").write_text("hello\n", encoding="utf-8")
    (folder / "readme.md").write_text("# notes\n", encoding="utf-8")
    result = load_paths([folder], db_url)
    assert result.ok
    assert result.warnings == [f"notes.csv in {folder} was ignored: not a contract file name "
                               "(hierarchy, users, campaigns, consumers, targets, balances, activities, "
                               "recharges, complaints)"]
    empty = tmp_path / "empty"
    empty.mkdir()
    result = load_paths([empty], db_url)
    assert not result.ok and "holds no contract files" in str(result.problems[0])
    result = load_paths([tmp_path / "missing.csv"], db_url)
    assert not result.ok and str(result.problems[0]).endswith("missing.csv does not exist")


def test_two_files_of_one_kind_are_refused(engine, db_url, tmp_path):
    make_folder(tmp_path / "a", kinds=("hierarchy",))
    make_folder(tmp_path / "b", kinds=("hierarchy",))
    result = load_paths([tmp_path / "a", tmp_path / "b"], db_url)
    assert not result.ok
    assert str(result.problems[0]).startswith("There are 2 files for hierarchy")


# --- skip_invalid ----------------------------------------------------------------------------


def test_skip_invalid_loads_valid_rows_and_writes_rejects(loaded, db_url, tmp_path):
    rows = base_rows()
    rows["consumers"].append(["0001234570", "A1", "domestik", "", "", ""])    # bad category
    rows["consumers"].append(["0001234571", "A1", "domestic", "", "", ""])    # good
    rows["balances"] += [
        ["0001234570", "2026-02-10", "5"],     # its consumer was rejected -> unknown account
        ["0001234571", "2026-02-10", "abc"],   # bad amount
        ["0001234571", "2026-02-11", "6"],     # good
    ]
    result = load_paths([make_folder(tmp_path / "in", rows)], db_url, skip_invalid=True)
    assert result.ok and result.status == "loaded", result.report()
    assert result.rows_rejected == 3
    by_kind = {f["kind"]: f for f in result.files}
    assert (by_kind["consumers"]["accepted"], by_kind["consumers"]["rejected"]) == (4, 1)
    assert (by_kind["balances"]["accepted"], by_kind["balances"]["rejected"]) == (5, 2)
    accounts = {c["account_no"] for c in rows_of(loaded, "consumers", "account_no")}
    assert "0001234571" in accounts and "0001234570" not in accounts
    balances = {(b["account_no"], as_date(b["as_of"])) for b in rows_of(loaded, "balances",
                                                                          "account_no")}
    assert ("0001234571", date(2026, 2, 11)) in balances
    assert ("0001234570", date(2026, 2, 10)) not in balances

    assert result.rejects_path == tmp_path / "data" / "rejects" / f"load-{result.load_id}.csv"
    raw = result.rejects_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with result.rejects_path.open(encoding="utf-8-sig") as fh:
        rejects = list(csv.DictReader(fh))
    assert list(rejects[0])[:5] == ["file", "line", "column", "value", "reason"]
    got = {(r["file"], r["line"], r["column"], r["value"], r["account_no"], r["as_of"])
           for r in rejects}
    assert got == {
        ("consumers.csv", "5", "category", "domestik", "0001234570", ""),
        ("balances.csv", "7", "balance_inr", "abc", "0001234571", "2026-02-10"),
        ("balances.csv", "6", "account_no", "0001234570", "0001234570", "2026-02-10"),
    }
    unknown = next(r for r in rejects if r["line"] == "6")
    assert unknown["reason"].startswith("unknown account")
    assert "3 rejected" in result.report()
    assert str(result.rejects_path) in result.report()
    logged = load_log(loaded)[-1]
    assert (logged["status"], logged["rows_rejected"]) == ("loaded", 3)


def test_skip_invalid_with_a_chosen_rejects_path(loaded, db_url, tmp_path):
    target = tmp_path / "out" / "bad rows.csv"
    result = load_one(db_url, tmp_path, "balances",
                      [["0001234567", "2026-02-10", "5"], ["0001234567", "2026-02-11", "x"]],
                      skip_invalid=True, rejects_path=target)
    assert result.ok and result.rejects_path == target and target.exists()
    assert result.rows_accepted == 1 and result.rows_rejected == 1


# --- one transaction -------------------------------------------------------------------------


def test_a_crash_mid_load_leaves_nothing_behind(loaded, db_url, tmp_path, monkeypatch):
    before = dump(loaded)
    calls = []
    real_upsert = importer._upsert

    def failing_upsert(conn, fs):
        """Fail on the third file, after two have been written."""
        calls.append(fs.kind)
        if len(calls) == 3:
            raise RuntimeError("disk full (simulated)")
        return real_upsert(conn, fs)

    monkeypatch.setattr(importer, "_upsert", failing_upsert)
    rows = base_rows()
    rows["hierarchy"].append(["Z2", "Zone 2", "CE", "C2", "Circle 2", "D3", "Div 3", "A3", "A3", ""])
    rows["balances"].append(["0001234569", "2026-02-21", "1"])
    result = load_paths([make_folder(tmp_path / "in", rows)], db_url)
    assert calls == ["hierarchy", "campaigns", "consumers"]
    assert not result.ok and result.status == "rejected"
    assert "disk full (simulated)" in str(result.problems[0])
    assert dump(loaded) == before  # the hierarchy and campaign upserts were rolled back
    assert load_log(loaded)[-1]["status"] == "rejected"

    monkeypatch.setattr(importer, "_upsert", real_upsert)
    assert load_paths([tmp_path / "in"], db_url).ok  # the connection is clean afterwards


def test_a_failing_rollup_rebuild_rolls_back_the_load(loaded, db_url, tmp_path, monkeypatch):
    before = dump(loaded)

    def broken(conn, *args, **kwargs):
        """A rollup rebuild (or incremental update) that fails."""
        raise RuntimeError("rollup bug")

    monkeypatch.setattr(lib.data.rollups, "rebuild_rollups", broken)
    monkeypatch.setattr(lib.data.rollup_delta, "apply", broken)
    rows = base_rows()
    rows["balances"].append(["0001234569", "2026-02-21", "1"])
    result = load_paths([make_folder(tmp_path / "in", rows)], db_url)
    assert not result.ok and "rollup bug" in result.report()
    assert dump(loaded) == before
    assert [r["status"] for r in load_log(loaded)] == ["loaded", "rejected"]


def test_every_load_is_recorded(engine, db_url, tmp_path):
    load_one(db_url, tmp_path, "consumers", [["0001234567", "A1", "domestic", "", "", ""]])
    assert load_paths([make_folder(tmp_path / "in")], db_url).ok
    log = load_log(engine)
    assert [r["status"] for r in log] == ["rejected", "loaded"]
    assert log[0]["rows_accepted"] == 0 and log[0]["rows_rejected"] == 1
    assert "unknown area_code" in log[0]["message"]
    assert json.loads(log[0]["files"])[0]["file"] == "consumers.csv"
    assert log[1]["rows_accepted"] == 19


# --- scale -----------------------------------------------------------------------------------


def test_a_large_file_streams_in_chunks(loaded, db_url, tmp_path, monkeypatch):
    """300,000 balances read 40,000 rows at a time; repeats across chunks are still found."""
    monkeypatch.setattr(parse, "CHUNK_ROWS", 40_000)
    accounts = [f"{5000000000 + i:010d}" for i in range(30_000)]
    folder = tmp_path / "big"
    write_csv(folder / "consumers.csv", HEADERS["consumers"],
              [[a, "A1", "domestic", "", "", ""] for a in accounts])
    chunks_seen = []
    real_chunks = parse.Source.chunks

    def counting(self, chunk_rows=None):
        """Count the chunks each file is read in."""
        for chunk in real_chunks(self, chunk_rows):
            chunks_seen.append((self.kind, len(chunk.lines)))
            yield chunk

    monkeypatch.setattr(parse.Source, "chunks", counting)
    with (folder / "balances.csv").open("w", encoding="utf-8") as fh:
        fh.write(HEADER)
        for day in range(1, 11):
            for i, a in enumerate(accounts):
                fh.write(f"{a},2026-01-{day:02d},{(i % 997) - 400}.{day:02d}\n")
        fh.write(f"{accounts[0]},2026-01-01,-400.01\n")  # line 300,002 repeats line 2 exactly
    result = load_paths([folder], db_url)
    assert result.ok, result.report()
    assert sum(1 for kind, _ in chunks_seen if kind == "balances") == 8
    assert max(n for _, n in chunks_seen) == 40_000
    assert any("line 300,002 repeats line 2" in w or "line 300002 repeats line 2" in w
               for w in result.warnings)
    with loaded.connect() as conn:
        from sqlalchemy import func

        assert conn.execute(select(func.count()).select_from(metadata.tables["balances"])
                            ).scalar() == 300_000 + 4

    # A conflicting repeat across chunks rejects both rows.
    with (folder / "balances.csv").open("a", encoding="utf-8") as fh:
        fh.write(f"{accounts[-1]},2026-01-10,1.00\n")
    result = load_paths([folder / "balances.csv"], db_url)
    assert not result.ok
    assert [p.line for p in result.problems] == [300_001, 300_003]
