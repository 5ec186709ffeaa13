"""AppTests of the topic pages (negative balance, verification, recharges, help desks) and the
Data page, on the hand-made fixture (tests/fixtures.py), in English and Hindi."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.data.engine import dispose_engine
from lib.data.importer import load_paths, load_uploads
from lib.figures import current
from lib.view.labels import t
from tests.fixtures import write_fixture

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = str(ROOT / "dashboard.py")
CAMPAIGN = {"campaign": "CAMP1"}  # the fixture's only campaign: period 02–04 Feb 2026


@pytest.fixture(scope="module")
def fixture_url(tmp_path_factory) -> str:
    """A SQLite database holding the fixture, loaded once for the module."""
    tmp = tmp_path_factory.mktemp("topics")
    url = f"sqlite:///{tmp / 'fixture.db'}"
    result = load_paths([write_fixture(tmp / "files")], url=url)
    assert result.ok, result.report()
    yield url
    dispose_engine(url)


@pytest.fixture
def db(fixture_url, monkeypatch) -> str:
    """Point the dashboard at the fixture database, with nothing cached from another test."""
    monkeypatch.setenv("DATABASE_URL", fixture_url)
    current.clear()
    return fixture_url


@pytest.fixture
def empty_db(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    current.clear()
    yield url
    dispose_engine(url)


def open_page(page: str, lang: str = "en", session: dict | None = None, **params) -> AppTest:
    """Run the dashboard, switch to ``page`` and run it; fail on any exception."""
    at = AppTest.from_file(DASHBOARD, default_timeout=30)
    if lang != "en":
        at.query_params["lang"] = lang
    for key, value in params.items():
        at.query_params[key] = value
    for key, value in (session or {}).items():
        at.session_state[key] = value
    at.run()
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    """Tile label -> shown value."""
    return {m.label: m.value for m in at.metric}


def frame(at: AppTest, header: str):
    """The first table on the page with a column ``header`` (as shown: formatted strings)."""
    for df in at.dataframe:
        if header in df.value.columns:
            return df.value
    raise AssertionError(f"no table with column {header!r}: "
                         f"{[list(d.value.columns) for d in at.dataframe]}")


def infos(at: AppTest) -> list[str]:
    return [i.value for i in at.info]


# --- negative balance -------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "hi"])
def test_negative_balance_tiles_bands_and_units(db, lang):
    at = open_page("negative_balance", lang, **CAMPAIGN)
    shown = metrics(at)
    assert shown[t("kpi.negative_balance", lang)] == "5"
    assert shown[t("kpi.arrears_inr", lang)] == "₹37,220"
    assert shown[t("kpi.negative_at_start", lang)] == "6"
    assert shown[t("kpi.negative_cleared", lang)] == "3"

    bands = frame(at, t("band.title", lang))
    assert bands[t("band.title", lang)].tolist() == [t(f"band.{i}", lang) for i in range(1, 6)]
    assert bands[t("kpi.negative_balance", lang)].tolist() == ["2", "2", "0", "1", "0"]
    assert bands[t("kpi.arrears_inr", lang)].tolist() == ["₹1,020", "₹6,200", "₹0", "₹30,000",
                                                          "₹0"]

    zones = frame(at, t("level.zone", lang))
    name = "मेरठ ज़ोन-प्रथम" if lang == "hi" else "Meerut Zone-I"
    row = zones[zones[t("level.zone", lang)] == name].iloc[0]
    assert row[t("kpi.negative_at_start", lang)] == "4"     # accounts 1, 2, 3, 6
    assert row[t("kpi.negative_cleared", lang)] == "2"      # 1, 6


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_negative_balance_area_account_list(db, lang):
    at = open_page("negative_balance", lang, account_area="A1", **CAMPAIGN)
    picked = at.selectbox(key=f"account_area_pick_{lang}")
    assert picked.value == "A1"
    assert ("गंगानगर" if lang == "hi" else "Ganganagar") in picked.format_func(picked.value)

    accounts = frame(at, t("nb.account_no", lang))
    assert accounts[t("nb.account_no", lang)].tolist() == ["0000000003", "0000000002"]
    assert accounts[t("filter.category", lang)].tolist() == [t("category.commercial", lang),
                                                             t("category.domestic", lang)]
    assert accounts[t("nb.balance", lang)].tolist() == ["-₹30,000", "-₹1,200"]
    assert accounts[t("nb.days_negative", lang)].tolist() == ["4", "4"]
    assert accounts[t("kpi.contacted", lang)].tolist() == [t("topic.yes", lang)] * 2
    assert accounts[t("kpi.otp_verified", lang)].tolist() == [t("topic.no", lang),
                                                              t("topic.yes", lang)]
    assert accounts[t("nb.meter_no", lang)].tolist() == ["SM-A1-003", "0071234567"]
    keys = [b.key for b in at.download_button]
    # the workbook first (Excel keeps the numbers as text), then the CSV, with a note on both
    xlsx = keys.index("xlsx_negative-accounts-A1-2026-02-04")
    assert keys[xlsx + 1] == "csv_negative-accounts-A1-2026-02-04"
    assert t("download.values_note", lang) in [c.value for c in at.caption]


def test_no_data_scope(db):
    """Area A2 has no industrial consumers: a message, not an empty chart or an exception."""
    at = open_page("negative_balance", area="A2", category="industrial", **CAMPAIGN)
    assert t("msg.no_data", "en") in infos(at)
    assert not at.dataframe
    for page in ("verification", "recharges"):
        at = open_page(page, "hi", area="A2", category="industrial", **CAMPAIGN)
        assert t("msg.no_data", "hi") in infos(at)


def test_account_area_from_link(db):
    """A copied link with ``account_area`` opens that area's list (codes, in either language)."""
    at = open_page("negative_balance", "hi", account_area="A4", level="area", **CAMPAIGN)
    assert at.selectbox(key="account_area_pick_hi").value == "A4"
    assert at.segmented_control(key="level_pick_hi").value == "area"
    accounts = frame(at, t("nb.account_no", "hi"))
    assert accounts[t("nb.account_no", "hi")].tolist() == ["0000000008"]
    assert accounts[t("nb.balance", "hi")].tolist() == ["-₹5,000"]
    assert dict(at.query_params)["account_area"] == "A4"


def test_unknown_area_in_link(db):
    at = open_page("negative_balance", account_area="NOPE", **CAMPAIGN)
    assert at.selectbox(key="account_area_pick_en").value == "A1"
    assert any("NOPE" in c.value for c in at.caption)


def test_area_without_negative_accounts(db):
    """A4 with only industrial consumers: the area is listed, its account list says no data."""
    at = open_page("negative_balance", area="A4", category="industrial", account_area="A4",
                   **CAMPAIGN)
    assert at.selectbox(key="account_area_pick_en").value == "A4"
    assert t("msg.no_data", "en") in infos(at)
    with pytest.raises(AssertionError):
        frame(at, t("nb.account_no", "en"))


# --- verification & app ----------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "hi"])
def test_verification(db, lang):
    at = open_page("verification", lang, level="area", **CAMPAIGN)
    shown = metrics(at)
    assert shown[t("kpi.otp_verified", lang)] == "3"
    assert shown[t("kpi.app_downloaded", lang)] == "2"
    assert shown[t("kpi.app_trained", lang)] == "1"
    assert shown[t("kpi.verification_coverage", lang)] == "40.0%"
    assert shown[t("kpi.app_coverage", lang)] == "30.0%"

    areas = frame(at, t("level.area", lang))
    by_code = areas.set_index(t("chart.code", lang))
    assert by_code.loc["A1", t("level.area", lang)] == ("गंगानगर" if lang == "hi" else "Ganganagar")
    assert by_code.loc["A1", t("kpi.verification_coverage", lang)] == "66.7%"  # 1, 2 of 3
    assert by_code.loc["A4", t("kpi.otp_verified", lang)] == "1"
    daily = frame(at, t("chart.day", lang))
    assert daily[t("kpi.otp_verified", lang)].tolist() == ["1", "1", "2"]  # 02, 03, 04 Feb


# --- recharges --------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "hi"])
def test_recharges(db, lang):
    at = open_page("recharges", lang, **CAMPAIGN)
    shown = metrics(at)
    assert shown[t("kpi.recharge_count", lang)] == "4"
    assert shown[t("kpi.recharge_inr", lang)] == f"₹1.52 {t('unit.lakh', lang)}"
    assert shown[t("kpi.app_recharge_share", lang)] == "1.1%"

    channels = frame(at, t("rch.channel", lang)).set_index(t("rch.channel", lang))
    app, counter, upi = (t(f"channel.{c}", lang) for c in ("smart_app", "counter", "upi"))
    assert channels.loc[app, t("kpi.recharge_inr", lang)] == "₹1,600"
    assert channels.loc[app, t("kpi.recharge_count", lang)] == "2"
    assert channels.loc[counter, t("kpi.recharge_inr", lang)] == "₹1,50,001"
    assert channels.loc[upi, t("kpi.recharge_inr", lang)] == "₹210"

    zones = frame(at, t("level.zone", lang)).set_index(t("chart.code", lang))
    assert zones.loc["Z1", t("kpi.recharge_inr", lang)] == "₹1,50,601"   # r1 + r2
    assert zones.loc["Z2", t("kpi.app_recharge_share", lang)] == "82.6%"  # 1000 / 1210


# --- help desks -------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "hi"])
def test_help_desks(db, lang):
    at = open_page("help_desks", lang, **CAMPAIGN)
    shown = metrics(at)
    assert shown[t("kpi.complaints_received", lang)] == "4"
    assert shown[t("kpi.complaints_resolved", lang)] == "3"
    assert shown[t("kpi.complaints_open", lang)] == "2"
    assert shown[t("kpi.resolution_hours_median", lang)] == f"24.0 {t('unit.hours', lang)}"

    desks = frame(at, t("org.help_desk", lang)).set_index(t("org.help_desk", lang))
    ganganagar = desks.loc["Ganganagar help desk"]
    assert ganganagar[t("kpi.complaints_received", lang)] == "2"
    assert ganganagar[t("kpi.resolution_hours_median", lang)] == f"13.0 {t('unit.hours', lang)}"
    assert ganganagar[t("level.zone", lang)] == ("मेरठ ज़ोन-प्रथम" if lang == "hi"
                                                 else "Meerut Zone-I")
    assert desks.loc["Kazipur help desk", t("kpi.complaints_open", lang)] == "1"


def test_help_desks_ignore_category(db):
    """Complaints belong to areas: a category filter leaves them and says so."""
    at = open_page("help_desks", area="A2", category="industrial", **CAMPAIGN)
    assert t("hd.category_note", "en") in [c.value for c in at.caption]
    assert metrics(at)[t("kpi.complaints_open", "en")] == "1"  # c3


# --- data -------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "hi"])
def test_data_page_on_empty_database(empty_db, lang):
    at = open_page("data", lang)
    assert at.title[0].value == t("page.data", lang)
    assert t("data.no_loads", lang) in infos(at)
    status = frame(at, t("data.kind", lang))
    assert len(status) == 9  # the eight data files and the users list
    assert set(status[t("data.rows", lang)]) == {"0"}
    assert "python -m lib.cli demo" in [c.value for c in at.code]
    assert at.button[0].disabled  # nothing uploaded yet


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_data_page_history_and_freshness(db, lang):
    at = open_page("data", lang)
    history = frame(at, t("data.status", lang))
    assert history[t("data.status", lang)].iloc[-1] == t("data.status.loaded", lang)
    assert "consumers.csv" in history[t("data.file", lang)].iloc[-1]
    # the summary in the page's language, from the counts (not the log's English line)
    accepted = history[t("data.accepted", lang)].iloc[-1]
    assert history[t("data.message", lang)].iloc[-1] == {
        "en": f"{accepted} rows from 8 files", "hi": f"8 फ़ाइलों से {accepted} पंक्तियाँ"}[lang]
    status = frame(at, t("data.kind", lang)).set_index(t("data.kind", lang))
    assert status.loc[t("data.kind.consumers", lang), t("data.rows", lang)] == "10"
    assert status.loc[t("data.kind.balances", lang), t("data.latest_day", lang)].startswith("04 ")


@pytest.mark.parametrize(("row", "en", "hi"), [
    ({"status": "loaded", "rows_accepted": 203_062, "rows_rejected": 0, "file_count": 8},
     "2,03,062 rows from 8 files", "8 फ़ाइलों से 2,03,062 पंक्तियाँ"),
    ({"status": "loaded", "rows_accepted": 1_250, "rows_rejected": 12, "file_count": 1},
     "1,250 rows from 1 file; 12 invalid rows skipped",
     "1 फ़ाइल से 1,250 पंक्तियाँ; 12 अमान्य पंक्तियाँ छोड़ी गईं"),
    ({"status": "rejected", "rows_accepted": 0, "rows_rejected": 0, "file_count": 2,
      "problem_count": 1_00_000}, "nothing loaded: 1,00,000 problems",
     "कुछ भी लोड नहीं हुआ: 1,00,000 समस्याएँ"),
])
def test_load_summaries_in_both_languages_with_indian_grouping(row, en, hi):
    from lib.view.ui import load_summary
    assert (load_summary(row, "en"), load_summary(row, "hi")) == (en, hi)


def test_data_page_shows_rejection_report(empty_db, tmp_path):
    """A rejected upload is shown as a table of problems, with the rejects CSV to download."""
    folder = write_fixture(tmp_path / "files")
    consumers = (folder / "consumers.csv").read_bytes() + b"00000000XX,A9,domestic\n"
    result = load_uploads([("hierarchy.csv", (folder / "hierarchy.csv").read_bytes()),
                           ("consumers.csv", consumers)], url=empty_db, skip_invalid=True,
                          rejects_path=tmp_path / "rejects.csv")
    assert result.ok and result.rows_rejected == 1
    rejects = result.rejects_path.read_bytes()
    current.clear()
    at = open_page("data", session={"data_last_load": (result, rejects)})
    assert any("1" in w.value for w in at.warning)
    problems = frame(at, t("data.reason", "en"))
    assert problems[t("data.file", "en")].tolist()[0] == "consumers.csv"
    assert problems[t("data.line", "en")].tolist()[0] == "12"
    assert "rejects_csv" in [b.key for b in at.download_button]


def test_data_page_shows_rejected_load(empty_db, tmp_path):
    result = load_uploads([("consumers.csv", b"account_no,area_code\n0000000001,A1\n")],
                          url=empty_db)
    assert not result.ok
    at = open_page("data", "hi", session={"data_last_load": (result, None)})
    assert at.error[0].value.startswith("अस्वीकृत")
    history = frame(at, t("data.status", "hi"))
    assert history[t("data.message", "hi")].tolist() == [
        f"कुछ भी लोड नहीं हुआ: {result.problem_count} समस्याएँ"]
    problems = frame(at, t("data.reason", "hi"))
    assert problems[t("data.file", "hi")].tolist()[0] == "consumers.csv"


def _load_with_bad_rows(tmp_path, url: str):
    """A rejected load with several kinds of bad rows, a repeated row and a file-level problem
    (listed in load order: consumers, targets, balances)."""
    folder = write_fixture(tmp_path / "files")
    consumers = (folder / "consumers.csv").read_bytes() + (
        "12345,A1,domestic,\n"  # line 12: not an account number
        "0000000099,A9,domestic,\n"  # 13: an area not in the hierarchy
        "0000000098,A1,domestik,\n"  # 14: not a category
        f"0000000097,A1,domestic,{'M' * 41}\n"  # 15: a meter number over its 32 characters
        "0000000096,A1,domestic,x,y\n"  # 16: more values than the header has columns
        "0000000001,A1,domestic,\n").encode()  # 17: line 2 again, exactly
    balances = (folder / "balances.csv").read_bytes() + b"0000000001,2014-06-30,5\n"  # line 17
    return load_uploads([("hierarchy.csv", (folder / "hierarchy.csv").read_bytes()),
                         ("consumers.csv", consumers), ("balances.csv", balances),
                         ("targets.csv", b"campaign_id,level\nCAMP1,zone\n")], url=url)


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_data_page_says_the_importer_reasons_in_the_page_language(empty_db, tmp_path, lang):
    """The problems and warnings of a load are the catalogue's, with the page's numbers and
    dates; the command line's report keeps its English."""
    from lib.data.contract import date_window
    from lib.view.formats import fmt_date

    result = _load_with_bad_rows(tmp_path, empty_db)
    assert not result.ok
    at = open_page("data", lang, session={"data_last_load": (result, None)})
    problems = frame(at, t("data.reason", lang))
    latest = fmt_date(date_window()[1], lang)
    expected = {
        "en": ["not an account number: it must be 6 to 20 digits and nothing else",
               "unknown area_code: not in the hierarchy (already loaded or in this load)",
               "not one of: domestic, commercial, industrial, institutional, agricultural, other",
               "longer than 32 characters",
               "has 5 values but the header has 4 columns; a value that contains a comma must "
               "be in double quotes",
               "targets.csv misses the required columns code, metric, target",
               f"outside the accepted dates (01 Jan 2015 to {latest}): check the year"],
        "hi": ["खाता संख्या नहीं: इसमें केवल 6 से 20 अंक होने चाहिए, और कुछ नहीं",
               "अज्ञात area_code: संगठन संरचना में नहीं (न पहले से लोड, न इसी लोड में)",
               "इनमें से कोई नहीं: domestic, commercial, industrial, institutional, agricultural, "
               "other",
               "32 अक्षरों से लंबा",
               "इसमें 5 मान हैं पर हेडर में 4 कॉलम हैं; जिस मान में अल्पविराम (कॉमा) हो, उसे "
               "दोहरे उद्धरण चिह्नों में रखें",
               "targets.csv में आवश्यक कॉलम code, metric, target नहीं हैं",
               f"स्वीकार्य तिथियों (01 जन॰ 2015 से {latest}) से बाहर: वर्ष जाँचें"],
    }[lang]
    assert problems[t("data.reason", lang)].tolist() == expected
    assert problems[t("data.line", lang)].tolist() == ["12", "13", "14", "15", "16", "—", "17"]
    warnings = frame(at, t("data.warning", lang))[t("data.warning", lang)].tolist()
    assert warnings == [{
        "en": "consumers.csv: 1 row(s) repeat an earlier row exactly and count once (line 17 "
              "repeats line 2)",
        "hi": "consumers.csv: किसी पिछली पंक्ति को हूबहू दोहराने वाली पंक्तियाँ: 1, ये एक ही बार "
              "गिनी गईं (पंक्ति 17 पंक्ति 2 को दोहराती है)"}[lang]]
    # The command line's report (and the load log, the rejects CSV) stay English.
    report = result.report()
    assert "targets.csv misses the required columns code, metric, target" in report
    assert "consumers.csv line 15, column meter_no, value '" + "M" * 41 + \
        "': longer than 32 characters" in report
