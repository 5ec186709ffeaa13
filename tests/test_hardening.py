"""Issue #9: implausible input is refused cleanly (dates, lengths, row widths, digits)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from lib.data import parse_values
from lib.data.importer import load_paths
from tests import test_importer
from tests.test_importer import HEADERS, base_rows, dump, load_log, make_folder

_isolated = test_importer._isolated  # rejects under tmp_path, as in the importer's tests
loaded = test_importer.loaded  # a database holding the importer tests' base load

ROOT = Path(__file__).resolve().parent.parent


def last_day() -> date:
    """Tomorrow in India: the last day a contract date may fall on."""
    return datetime.now(ZoneInfo("Asia/Kolkata")).date() + timedelta(days=1)


# --- dates and timestamps in a plausible window ---------------------------------------------

OUTSIDE = [
    ("activities", 0, "occurred_at", "0001-01-01T00:00:00+14:00"),
    ("activities", 1, "occurred_at", "9999-12-31T23:59:59Z"),
    ("recharges", 0, "paid_at", "9999-12-31 23:59:59"),
    ("complaints", 0, "opened_at", "2014-12-31 23:59"),
    ("balances", 0, "as_of", "0001-01-01"),
    ("balances", 1, "as_of", "9999-12-31"),
    ("consumers", 0, "smart_meter_since", "31/12/2014"),
    ("campaigns", 0, "end_date", "9999-12-31"),
]


@pytest.mark.parametrize(("kind", "index", "column", "value"), OUTSIDE,
                         ids=[f"{o[0]}-{o[3]}" for o in OUTSIDE])
def test_a_date_outside_the_window_is_refused_with_line_column_and_value(
        loaded, db_url, tmp_path, kind, index, column, value):
    before = dump(loaded)
    rows = base_rows()
    rows[kind][index][HEADERS[kind].index(column)] = value
    result = load_paths([make_folder(tmp_path / "bad", rows)], db_url)
    assert not result.ok and result.status == "rejected"
    [problem] = result.problems
    assert (problem.file, problem.line, problem.column, problem.value) == \
        (f"{kind}.csv", index + 2, column, value)
    assert problem.reason == (f"outside the accepted dates (2015-01-01 to "
                              f"{last_day().isoformat()}): check the year")
    assert dump(loaded) == before
    assert load_log(loaded)[-1]["status"] == "rejected"


def test_the_window_edges_are_ist_days():
    tomorrow = last_day()
    text = pd.Series([
        "2014-12-31T20:00:00Z",  # 01:30 IST on 1 Jan 2015: inside
        "2014-12-31 23:59:59",  # IST, the day before: outside
        f"{tomorrow.isoformat()} 23:59:59",  # inside
        f"{(tomorrow + timedelta(days=1)).isoformat()} 00:00",  # outside
        f"{tomorrow.isoformat()}T20:00:00Z",  # 01:30 IST the day after tomorrow: outside
    ], dtype="str")
    values, reasons = parse_values.parse_timestamp(text)
    assert values.notna().tolist() == [True, False, True, False, False]
    assert reasons.notna().tolist() == [False, True, False, True, True]
    dates = pd.Series(["2015-01-01", "31-12-2014", tomorrow.strftime("%d/%m/%Y"),
                       (tomorrow + timedelta(days=1)).isoformat()], dtype="str")
    values, reasons = parse_values.parse_date(dates)
    assert values.tolist() == ["2015-01-01", None, tomorrow.isoformat(), None]


# --- lengths and row widths -----------------------------------------------------------------


def test_text_is_at_most_200_characters(loaded, db_url, tmp_path):
    rows = base_rows()
    rows["hierarchy"][0][HEADERS["hierarchy"].index("area_name")] = "क" * 200
    assert load_paths([make_folder(tmp_path / "ok", rows, ("hierarchy",))], db_url).ok
    before = dump(loaded)
    rows["hierarchy"][0][HEADERS["hierarchy"].index("area_name")] = "क" * 201
    result = load_paths([make_folder(tmp_path / "long", rows, ("hierarchy",))], db_url)
    [problem] = result.problems
    assert (problem.line, problem.column, problem.reason) == \
        (2, "area_name", "longer than 200 characters")
    assert dump(loaded) == before


@pytest.mark.parametrize(("kind", "column"), [("activities", "activity_id"),
                                              ("hierarchy", "zone_code")])
def test_codes_are_at_most_40_characters(loaded, db_url, tmp_path, kind, column):
    from lib.data.contract import MAX_CODE_LENGTH

    assert MAX_CODE_LENGTH == 40
    rows = base_rows()
    index = HEADERS[kind].index(column)
    rows[kind][0][index] = "X" * 40
    assert load_paths([make_folder(tmp_path / "ok", rows, (kind,))], db_url).ok
    rows[kind][0][index] = "Y" * 41
    result = load_paths([make_folder(tmp_path / "long", rows, (kind,))], db_url)
    [problem] = result.problems
    assert (problem.column, problem.reason) == (column, "longer than 40 characters")


def test_one_code_length_everywhere():
    """The schema's code and id columns, the importer's check and the notices' quotes share
    MAX_CODE_LENGTH, so a notice quotes any valid code whole."""
    from sqlalchemy import String

    from lib.data.contract import FILES, MAX_CODE_LENGTH
    from lib.data.load_rows import _max_length
    from lib.data.schema import metadata
    from lib.view.display import SHOWN_CHARS, shown_value
    from lib.view.safe import QUOTE_CHARS, quoted

    codes = [(kind, col) for kind, spec in FILES.items() for col, k in spec.kinds.items()
             if k == "code"]
    assert len(codes) == 14 and ("targets", "code") in codes and ("users", "scope_code") in codes
    for kind, col in codes:
        column = metadata.tables[kind].c[col]
        assert isinstance(column.type, String) and column.type.length == MAX_CODE_LENGTH, col
        assert _max_length(kind, col) == MAX_CODE_LENGTH
    lengths = {c.type.length for t in metadata.sorted_tables for c in t.columns
               if c.name.endswith(("_code", "_id")) and isinstance(c.type, String)}
    assert lengths == {MAX_CODE_LENGTH}  # rollups' area codes and staff ids too
    assert QUOTE_CHARS == SHOWN_CHARS == MAX_CODE_LENGTH
    assert quoted("Z" * 40) == f"`{'Z' * 40}`"
    assert quoted("Z" * 41) == f"`{'Z' * 39}…`"
    assert shown_value("Z" * 40) == "Z" * 40 and shown_value("Z" * 41) == "Z" * 39 + "…"


def test_a_postgresql_database_with_shorter_codes_is_widened(db_url):
    from sqlalchemy import text

    from lib.data.engine import dispose_engine, get_engine

    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite does not enforce lengths")
    engine = get_engine(db_url)
    with engine.begin() as conn:  # as a database made before the one code length was
        for table, column in (("hierarchy", "zone_code"), ("hierarchy", "area_code"),
                              ("consumers", "area_code"), ("r_balance_daily", "area_code")):
            conn.exec_driver_sql(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE varchar(32)')
    dispose_engine(db_url)
    engine = get_engine(db_url)
    with engine.connect() as conn:
        short = conn.execute(text(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type = 'character varying' "
            "AND (column_name LIKE '%\\_code' OR column_name LIKE '%\\_id') "
            "AND character_maximum_length <> 40")).all()
    assert short == []


def test_a_row_shorter_than_its_header_is_refused(loaded, db_url, tmp_path):
    before = dump(loaded)
    header = ["account_no", "area_code", "category", "meter_no", "smart_meter_since", "load_kw",
              "amisp"]
    path = tmp_path / "short" / "consumers.csv"
    path.parent.mkdir()
    path.write_text(",".join(header) + "\n"
                    "0001234567,A1,domestic,M1,2025-06-01,2,Genus\n"
                    "0001234570,A1,domestic\n"
                    "0001234571,A2,domestic,,,,\n", encoding="utf-8")
    result = load_paths([path], db_url)
    assert not result.ok
    [problem] = result.problems
    assert (problem.line, problem.column) == (3, None)
    assert problem.reason.startswith("has 3 values but the header has 7 columns")
    assert dump(loaded) == before


def test_a_row_longer_than_its_header_is_still_refused(loaded, db_url, tmp_path):
    path = tmp_path / "long" / "balances.csv"
    path.parent.mkdir()
    path.write_text("account_no,as_of,balance_inr\n0001234567,2026-02-01,-1,234.50\n")
    [problem] = load_paths([path], db_url).problems
    assert problem.reason.startswith("has 4 values but the header has 3 columns; a value that "
                                     "contains a comma must be in double quotes")


# --- digits of other scripts ----------------------------------------------------------------


@pytest.mark.parametrize(("kind", "index", "column", "value"), [
    ("balances", 0, "as_of", "२०२६-०२-०१"),
    ("balances", 0, "balance_inr", "-₹१,२३४.५०"),
    ("activities", 0, "occurred_at", "२०२६-०२-०३ १०:००"),
    ("targets", 0, "target", "१०"),
    ("consumers", 0, "account_no", "०००१२३४५६७"),
])
def test_devanagari_digits_are_refused_with_a_reason_that_says_so(loaded, db_url, tmp_path, kind,
                                                                 index, column, value):
    rows = base_rows()
    rows[kind][index][HEADERS[kind].index(column)] = value
    result = load_paths([make_folder(tmp_path / "bad", rows)], db_url)
    assert not result.ok
    problem = result.problems[0]
    assert (problem.column, problem.value) == (column, value)
    assert problem.reason == parse_values.DIGITS_REASON


def test_hindi_text_is_still_text(loaded, db_url, tmp_path):
    rows = base_rows()
    rows["hierarchy"][0][HEADERS["hierarchy"].index("area_name_hi")] = "गंगानगर १२"
    assert load_paths([make_folder(tmp_path / "ok", rows, ("hierarchy",))], db_url).ok


# --- the far-future date under a memory cap -------------------------------------------------

FAR_FUTURE = textwrap.dedent("""
    import json, resource, sys
    from pathlib import Path
    import lib.data.importer as importer
    from tests.test_importer import make_folder, base_rows, HEADERS
    folder, url = Path(sys.argv[1]), sys.argv[2]
    importer.DATA_DIR = folder / "data"
    assert importer.load_paths([make_folder(folder / "base")], url).ok
    rows = base_rows()
    rows["balances"][0][1] = "9999-12-31"
    rows["activities"][0][3] = "9999-12-31T23:59:59Z"
    result = importer.load_paths([make_folder(folder / "far", rows)], url, skip_invalid=True)
    print(json.dumps({"ok": result.ok, "problems": len(result.problems),
                      "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
""")


def test_a_far_future_date_costs_no_memory(tmp_path):
    url = f"sqlite:///{tmp_path / 'far.db'}"
    done = subprocess.run([sys.executable, "-c", FAR_FUTURE, str(tmp_path), url], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["ok"] and out["problems"] == 2
    assert out["rss_kb"] < 600_000, out


# --- no traceback on screen or on the command line ------------------------------------------


def test_the_cli_prints_one_line_for_an_unexpected_error(tmp_path, monkeypatch, capsys):
    from lib.tools import cli

    def broken(args):
        raise RuntimeError("disk on fire\nsecond line")

    monkeypatch.setattr(cli, "cmd_kpis", broken)
    status = cli.main(["kpis", "--from", "2026-02-01", "--to", "2026-02-02",
                       "--db", f"sqlite:///{tmp_path / 'x.db'}"])
    err = capsys.readouterr().err
    assert status == 1
    assert err == "error: kpis failed: disk on fire second line (RuntimeError)\n"
    assert "Traceback" not in err


def test_the_cli_exits_non_zero_without_a_traceback_in_a_real_process(tmp_path):
    folder = tmp_path / "nothing-here"
    done = subprocess.run([sys.executable, "-m", "lib.cli", "kpis", "--from", "2026-02-01",
                           "--to", "2026-02-02", "--db", f"postgresql+psycopg://nobody@127.0.0.1:1/{folder.name}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1, \
        done.stderr


PAGE_ERROR_APP = textwrap.dedent("""
    import streamlit as st
    from lib.view.errors import shown_as_message
    lang = st.query_params.get("lang", "en")
    with shown_as_message(lang, "a test page"):
        if st.query_params.get("do") == "stop":
            st.write("before stop")
            st.stop()
        if st.query_params.get("do") == "rerun" and not st.session_state.get("rerun"):
            st.session_state["rerun"] = True
            st.rerun()
        st.write("ran to " + st.query_params.get("do", "the end"))
        if st.query_params.get("do") == "fail":
            raise ZeroDivisionError("secret detail")
""")


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_a_page_error_shows_one_line_in_the_language_and_is_logged(lang, monkeypatch, caplog):
    from streamlit.testing.v1 import AppTest

    from lib.view.labels import t

    monkeypatch.delenv("PVVNL_RAISE_ERRORS", raising=False)
    at = AppTest.from_string(PAGE_ERROR_APP, default_timeout=30)
    at.query_params["lang"] = lang
    at.query_params["do"] = "fail"
    with caplog.at_level("ERROR", logger="lib.view"):
        at.run()
    assert not at.exception
    [error] = at.error
    prefix = t("app.error", lang, ref="@").split("@")[0]
    assert error.value.startswith(prefix) and "secret detail" not in error.value
    assert any("secret detail" in (r.exc_text or "") or r.exc_info for r in caplog.records)


@pytest.mark.parametrize(("do", "shown"), [("stop", "before stop"), ("rerun", "ran to rerun")])
def test_stop_and_rerun_pass_through_the_wrapper(do, shown, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.delenv("PVVNL_RAISE_ERRORS", raising=False)
    at = AppTest.from_string(PAGE_ERROR_APP, default_timeout=30)
    at.query_params["do"] = do
    at.run()
    assert not at.exception and not at.error
    assert [m.value for m in at.markdown] == [shown]


# --- bounded periods from the URL -----------------------------------------------------------

from tests import test_app  # noqa: E402

fixture_db = test_app.fixture_db  # the hand-made fixture in SQLite, shared by the AppTests
app = test_app.app  # an AppTest of the dashboard with query parameters


def test_url_periods_are_checked_whole():
    from lib.view.filters import url_period

    as_of = date(2026, 2, 8)
    assert url_period(["2026-02-01", "2026-02-03"], as_of) == ((date(2026, 2, 1),
                                                                date(2026, 2, 3)), "")
    assert url_period(["2026-02-03", "2026-02-01"], as_of)[0] == (date(2026, 2, 1),
                                                                  date(2026, 2, 3))
    for values, reason in [
        (["2026-02-01"], "msg.period_two_dates"),
        (["2026-02-01", "2026-02-02", "2026-02-03"], "msg.period_two_dates"),
        (["2026-99-01", "2026-02-03"], "msg.period_bad_date"),
        (["0001-01-01", "2026-02-03"], "msg.period_bad_date"),
        (["2026-02-01", "9999-12-31"], "msg.period_bad_date"),
        (["20260201", "2026-02-03"], "msg.period_bad_date"),
        (["2024-01-01", "2026-02-03"], "msg.period_too_long"),
        (["2026-03-01", "2026-03-05"], "msg.period_after_data"),
    ]:
        assert url_period(values, as_of) == (None, reason), values


@pytest.mark.parametrize("dates", [["2026-99-01", "2026-02-03"], ["0001-01-01", "9999-12-31"],
                                   ["2015-01-01", "2026-02-03"], ["2026-02-01"]])
def test_a_bad_url_period_is_dropped_with_a_notice(app, dates):
    import time

    started = time.perf_counter()
    at = app(dates=dates)
    assert time.perf_counter() - started < 30
    assert not at.exception and not at.error
    notices = " ".join(c.value for c in at.caption)
    assert "Ignored the period in the link" in notices
    assert "dates=`" + ",".join(dates)[:39] in notices
    default = app()
    assert [m.value for m in at.metric] == [m.value for m in default.metric]


# --- inert exports --------------------------------------------------------------------------

DANGEROUS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx",
             '=HYPERLINK("http://x","y")']


def test_exports_neutralise_formulas_and_keep_numbers():
    import io

    import openpyxl

    from lib.view.exports import csv_bytes, xlsx_bytes

    df = pd.DataFrame({"name": DANGEROUS + ["Shastri Nagar", "-1,234.50"],
                       "n": [-5, 1, 2, 3, 4, 5, 6, -7, 8]})
    text = csv_bytes(df).decode("utf-8-sig")
    rows = list(__import__("csv").reader(io.StringIO(text, newline="")))
    assert [r[0].replace("\n", "\r") for r in rows[1:]] == ["'" + v for v in DANGEROUS] + ["Shastri Nagar",
                                                                        "-1,234.50"]
    assert [r[1] for r in rows[1:]] == ["-5", "1", "2", "3", "4", "5", "6", "-7", "8"]
    ws = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(df))).active
    names = [ws.cell(row=i, column=1) for i in range(2, 11)]
    assert [c.value.replace("\n", "\r") for c in names] == ["'" + v for v in DANGEROUS] + ["Shastri Nagar",
                                                                        "-1,234.50"]
    assert {c.data_type for c in names} == {"s"}
    numbers = [ws.cell(row=i, column=2).value for i in range(2, 11)]
    assert numbers == [-5, 1, 2, 3, 4, 5, 6, -7, 8]


def test_the_rejects_csv_neutralises_formulas(loaded, db_url, tmp_path):
    rows = base_rows()
    rows["balances"][0][2] = "=1+2"
    rows["balances"][1][2] = "-₹5"
    rows["balances"][2][2] = "@x"
    result = load_paths([make_folder(tmp_path / "bad", rows, ("balances",))], db_url,
                        skip_invalid=True)
    text = Path(result.rejects_path).read_text(encoding="utf-8-sig")
    rows_out = list(__import__("csv").DictReader(text.splitlines()))
    assert [r["value"] for r in rows_out] == ["'=1+2", "'@x"]
