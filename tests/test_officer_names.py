"""Issue #11, finding 8: officers and help desks by their Hindi names on Hindi pages (the
optional ``*_hi`` columns), English where the data has none; the columns are added to a
database made before them; a Hindi name too long is refused like any other text."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Column, MetaData, Table, create_engine, inspect, select
from streamlit.testing.v1 import AppTest

from lib.data.engine import ROOT, add_missing_columns, dispose_engine, get_engine
from lib.data.importer import load_paths
from lib.data.schema import complaints, hierarchy, metadata
from lib.figures import lookups
from lib.view.labels import in_language, t
from tests import fixtures as F
from tests import test_importer, test_page_zones_ce
from tests.test_importer import HEADERS, base_rows, dump
from tests.test_page_zones_ce import chart_data

_isolated = test_importer._isolated  # rejects under tmp_path, as in the importer's tests
loaded = test_importer.loaded  # a database holding the importer tests' base load
app = test_page_zones_ce.app  # opens a page on this module's fixture_db

APP = str(ROOT / "dashboard.py")
NEW = {"hierarchy": ("chief_engineer_hi", "superintending_engineer_hi", "executive_engineer_hi",
                     "sdo_hi"),
       "complaints": ("help_desk_hi",)}
GANGANAGAR_HI = "गंगानगर हेल्प डेस्क"  # the desk's latest complaint's name (DESK_HI["c2"])


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory) -> str:
    """The fixture with the Hindi officer and desk names, in SQLite (for ``app``'s pages)."""
    folder = tmp_path_factory.mktemp("officers")
    url = f"sqlite:///{folder / 'app.db'}"
    assert load_paths([F.write_hindi_officers(folder / "files")], url=url).ok
    yield url
    dispose_engine(url)


@pytest.fixture
def page(app):
    """Open a page in a language, in the fixture campaign's period."""
    return lambda path, lang: app(path, lang=lang, campaign="CAMP1")


def _table(at: AppTest, header: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if header in d.value.columns)


# --- the pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "z1"), [("hi", "मुनीश चोपड़ा"), ("en", "Munish Chopra")],
                         ids=["hi", "en"])
def test_chief_engineers_in_the_pages_language(page, lang, z1):
    ce = t("officer.chief_engineer", lang)
    captions = [c.value for c in page("pages/chief_engineers.py", lang).caption]
    assert f"{ce}: {z1}" in captions
    assert f"{ce}: Gurjeet Singh" in captions  # no Hindi name in the data: the English
    league = _table(page("pages/overview.py", lang), ce).set_index(t("level.zone", lang))
    assert league[ce].to_dict() == {F.ZONE_HI["Z1"] if lang == "hi" else "Meerut Zone-I": z1,
                                    F.ZONE_HI["Z2"] if lang == "hi" else "Meerut Zone-II":
                                    "Gurjeet Singh"}
    zones = _table(page("pages/zones.py", lang), ce).set_index(t("chart.code", lang))
    assert zones.loc["Z1", ce] == z1 and zones.loc["Z2", ce] == "Gurjeet Singh"


@pytest.mark.parametrize(("lang", "desk"), [("hi", GANGANAGAR_HI), ("en", "Ganganagar help desk")],
                         ids=["hi", "en"])
def test_help_desks_in_the_pages_language(page, lang, desk):
    at = page("pages/help_desks.py", lang)
    column = t("org.help_desk", lang)
    desks = _table(at, column).set_index(column)
    assert list(desks.index) == [desk, "Kazipur help desk"]  # Kazipur: no Hindi name
    assert desks.loc[desk, t("kpi.complaints_received", lang)] == "2"
    assert set(chart_data(at, 1)["help_desk"]) == {desk, "Kazipur help desk"}  # open per desk


@pytest.mark.parametrize("lang", ["hi", "en"])
def test_the_wall_screen_names_engineers_and_desks_in_its_language(page, lang):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(lang=lang, slides="ce,desks")
    at.switch_page("pages/display.py").run()
    ce = set(chart_data(at)["unit"])
    assert ce == ({f"मुनीश चोपड़ा ({F.ZONE_HI['Z1']})", f"Gurjeet Singh ({F.ZONE_HI['Z2']})"}
                  if lang == "hi" else
                  {"Munish Chopra (Meerut Zone-I)", "Gurjeet Singh (Meerut Zone-II)"})
    at.run()  # the next slide: the help-desk backlog
    desks = set(chart_data(at)["help_desk"])
    assert desks == {GANGANAGAR_HI if lang == "hi" else "Ganganagar help desk",
                     "Kazipur help desk"}


def test_a_desks_hindi_name_is_the_one_on_its_latest_complaint(engine, db_url, tmp_path):
    """Ganganagar's complaints carry two Hindi names: c2's (02 Feb) wins over c6's (30 Jan)."""
    assert load_paths([F.write_hindi_officers(tmp_path / "files")], url=db_url).ok
    names = lookups.help_desk_names(engine)
    assert dict(zip(names["help_desk"], names["help_desk_hi"], strict=True)) == {
        "Ganganagar help desk": GANGANAGAR_HI}  # Kazipur has none
    frame = pd.DataFrame({"help_desk": ["A desk", "B desk", "C desk"],
                          "help_desk_hi": ["क डेस्क", "", None]})
    assert in_language(frame, "help_desk", "hi").tolist() == ["क डेस्क", "B desk", "C desk"]
    assert in_language(frame, "help_desk", "en").tolist() == ["A desk", "B desk", "C desk"]


# --- the database ------------------------------------------------------------------------------


def test_a_database_made_before_the_hindi_names_gets_their_columns(db_url):
    """Tables made without the *_hi columns (by hand, as an older version made them) get them on
    first use, on SQLite and PostgreSQL; the rows already there survive."""
    raw = create_engine(db_url)
    old = MetaData()
    for name, new in NEW.items():
        Table(name, old, *[Column(c.name, c.type, primary_key=c.primary_key,
                                  nullable=c.nullable)
                           for c in metadata.tables[name].columns if c.name not in new])
    old.create_all(raw)
    with raw.begin() as conn:
        conn.execute(old.tables["hierarchy"].insert().values(
            area_code="A1", zone_code="Z1", zone_name="Meerut Zone-I", chief_engineer="Munish",
            circle_code="C1", circle_name="C", division_code="D1", division_name="D",
            area_name="Ganganagar"))
        conn.execute(old.tables["complaints"].insert().values(
            ticket_id="T1", area_code="A1", help_desk="Desk", opened_at=pd.Timestamp("2026-02-01"),
            opened_day=pd.Timestamp("2026-02-01").date(), category="app"))
    raw.dispose()

    engine = get_engine(db_url)  # create_all adds the other tables, then the columns
    columns = {name: {c["name"] for c in inspect(engine).get_columns(name)} for name in NEW}
    for name, new in NEW.items():
        assert set(new) <= columns[name]
    assert add_missing_columns(engine) == []  # once is enough
    with engine.connect() as conn:
        assert conn.execute(select(hierarchy.c.chief_engineer, hierarchy.c.chief_engineer_hi)
                            ).all() == [("Munish", None)]
        assert conn.execute(select(complaints.c.help_desk, complaints.c.help_desk_hi)
                            ).all() == [("Desk", None)]


# --- the importer ------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "column"), [("hierarchy", "chief_engineer_hi"),
                                              ("hierarchy", "sdo_hi"),
                                              ("complaints", "help_desk_hi")])
def test_a_hindi_name_too_long_is_refused_and_nothing_changes(loaded, db_url, tmp_path, kind,
                                                              column):
    rows, header = base_rows(), [*HEADERS[kind], column]
    for row in rows[kind]:
        row.append("")
    rows[kind][0][-1] = "अ" * 200  # 200 characters (not bytes) is the limit, as for English
    ok = test_importer.load_one(db_url, tmp_path / "ok", kind, rows[kind], header)
    assert ok.ok, ok.report()
    before = dump(loaded)
    rows[kind][1][-1] = "अ" * 201
    result = test_importer.load_one(db_url, tmp_path / "long", kind, rows[kind], header)
    assert not result.ok
    [problem] = result.problems
    assert (problem.line, problem.column, problem.reason) == \
        (3, column, "longer than 200 characters")
    assert dump(loaded) == before  # the load is refused whole: nothing lost, nothing half-done


def test_hindi_names_load_and_an_empty_one_is_none(engine, db_url, tmp_path):
    rows = base_rows()
    hier = [*HEADERS["hierarchy"], "chief_engineer_hi", "executive_engineer_hi"]
    rows["hierarchy"][0] += ["मुख्य अभियंता, मेरठ ज़ोन-प्रथम", "अधिशासी अभियंता, खंड 1"]
    rows["hierarchy"][1] += ["", ""]
    desk = [*HEADERS["complaints"], "help_desk_hi"]
    rows["complaints"][0].append("महावीर चौक हेल्प डेस्क")
    rows["complaints"][1].append("")
    folder = tmp_path / "files"
    test_importer.write_csv(folder / "hierarchy.csv", hier, rows["hierarchy"])
    test_importer.write_csv(folder / "complaints.csv", desk, rows["complaints"])
    result = load_paths([folder], db_url)
    assert result.ok, result.report()
    with engine.connect() as conn:
        officers = dict(conn.execute(select(hierarchy.c.area_code,
                                            hierarchy.c.chief_engineer_hi)).all())
        desks = dict(conn.execute(select(complaints.c.ticket_id, complaints.c.help_desk_hi)).all())
    assert officers == {"A1": "मुख्य अभियंता, मेरठ ज़ोन-प्रथम", "A2": None}
    assert desks == {"TK1": "महावीर चौक हेल्प डेस्क", "TK2": None}
