"""The first view after a load is built ahead (lib.figures.first_view): the Overview then
computes nothing, and a dashboard process builds it by itself when a load lands."""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.data.engine import data_version, dispose_engine, get_engine
from lib.data.importer import load_paths
from lib.figures import first_view, memo
from lib.figures.scope import Period
from tests.fixtures import BALANCES, write_fixture

DASHBOARD = str(Path(__file__).resolve().parents[1] / "dashboard.py")


@pytest.fixture
def fixture_db(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'fixture.db'}"
    assert load_paths([write_fixture(tmp_path / "files")], url=url).ok
    monkeypatch.setenv("DATABASE_URL", url)
    memo.clear_all()
    yield url
    dispose_engine(url)


def test_the_default_view_is_the_latest_campaign(fixture_db):
    # the fixture's one campaign CAMP1 runs 02-04 Feb 2026
    assert first_view.default_view(get_engine(fixture_db)) == (
        "CAMP1", Period(date(2026, 2, 2), date(2026, 2, 4)))


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_after_the_build_the_overview_computes_nothing(fixture_db, lang):
    first_view.build(get_engine(fixture_db))
    before = memo.computed("figure"), memo.computed("part")
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.metric, "the Overview shows its tiles"
    assert (memo.computed("figure"), memo.computed("part")) == before


def test_without_the_build_the_overview_computes(fixture_db):
    before = memo.computed("figure")
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    assert not at.exception
    assert memo.computed("figure") > before  # so the test above is not vacuous


def _wait(condition, seconds: float = 30.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return False


def _threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "first-view"]


def test_a_process_builds_the_first_view_of_each_new_load(db_url, tmp_path):
    engine = get_engine(db_url)
    assert load_paths([write_fixture(tmp_path / "files")], url=db_url).ok
    memo.clear_all()
    first_view.keep_built(engine, every=0.05)
    first_view.keep_built(engine, every=0.05)  # once per database
    assert len([t for t in _threads() if t.is_alive()]) >= 1
    assert first_view.built_for(engine) == data_version(engine)  # the starting run builds its own
    computed = memo.computed("figure")
    # a load lands (as the inbox watcher's would): one account's balance for the next day
    account, _, balance = BALANCES[0]
    day = tmp_path / "day"
    day.mkdir()
    (day / "balances.csv").write_text(f"account_no,as_of,balance_inr\n{account},2026-02-05,"
                                      f"{balance}\n")
    assert load_paths([day], url=db_url).ok
    new = data_version(engine)
    assert _wait(lambda: first_view.built_for(engine) == new)
    assert memo.computed("figure") > computed
    computed = memo.computed("figure")
    first_view.build(engine)  # everything it asks for is remembered now
    assert memo.computed("figure") == computed
    alive = _threads()
    dispose_engine(db_url)
    assert _wait(lambda: not any(t.is_alive() for t in alive))  # it ends with its engine
    assert first_view.built_for(engine) is None


def test_off_starts_no_thread(fixture_db):
    before = len(_threads())
    first_view.keep_built(get_engine(fixture_db), every=0)
    assert len(_threads()) == before and first_view.built_for(get_engine(fixture_db)) is None
