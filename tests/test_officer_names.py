"""Issue #11, finding 8: the optional ``*_hi`` names of officers and help desks are loaded, the
columns are added to a database made before them, and a Hindi name too long is refused like
any other text."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import Column, MetaData, Table, create_engine, inspect, select

from lib.data.engine import add_missing_columns, get_engine
from lib.data.importer import load_paths
from lib.data.schema import complaints, hierarchy, metadata
from tests import test_importer
from tests.test_importer import HEADERS, base_rows, dump

_isolated = test_importer._isolated  # rejects under tmp_path, as in the importer's tests
loaded = test_importer.loaded  # a database holding the importer tests' base load

NEW = {"hierarchy": ("chief_engineer_hi", "superintending_engineer_hi", "executive_engineer_hi",
                     "sdo_hi"),
       "complaints": ("help_desk_hi",)}


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
