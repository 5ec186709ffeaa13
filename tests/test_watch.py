"""The inbox watcher: stable entries are loaded and filed, refused ones filed with a report,
growing files are left alone, and a database that is down is retried."""

from __future__ import annotations

import logging
import os
import signal
import threading
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import OperationalError

import lib.data.importer as importer
import lib.tools.watch as watch_mod
from lib.data.engine import get_engine
from lib.data.schema import loads
from lib.tools.watch import Watcher, watch
from tests import fixtures as F

DAY = date(2026, 2, 8)


def _log(url: str) -> list[dict]:
    with get_engine(url).connect() as conn:
        return [dict(r) for r in conn.execute(select(loads).order_by(loads.c.load_id)).mappings()]


def _watcher(inbox, url) -> Watcher:
    return Watcher(inbox, url, today=lambda: DAY)


def test_a_good_folder_is_loaded_and_moved_to_done(db_url, tmp_path):
    inbox = tmp_path / "inbox"
    F.write_fixture(inbox / "2026-02-08-full")
    w = _watcher(inbox, db_url)
    assert w.poll() == []  # first sight: not yet known to be complete
    [outcome] = w.poll()
    assert outcome.status == "loaded"
    assert outcome.moved_to == inbox / "done" / "2026-02-08" / "2026-02-08-full"
    assert (outcome.moved_to / "balances.csv").exists()
    assert not (inbox / "2026-02-08-full").exists()
    [logged] = _log(db_url)
    assert logged["status"] == "loaded" and logged["loaded_by"] == "inbox watcher"
    assert w.poll() == []  # done/ and failed/ are never picked up


def test_a_bad_file_goes_to_failed_with_its_report(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "consumers.csv").write_text("account_no,area_code,category\n0000000001,NOPE,domestic\n")
    w = _watcher(inbox, url)
    w.poll()
    [outcome] = w.poll()
    assert outcome.status == "rejected"
    failed = inbox / "failed" / "2026-02-08"
    assert (failed / "consumers.csv").exists() and not (inbox / "consumers.csv").exists()
    report = (failed / "consumers.csv.problems.txt").read_text()
    assert "unknown area_code" in report
    assert [r["status"] for r in _log(url)] == ["rejected"]
    # the same name refused again the same day does not overwrite the first one
    (inbox / "consumers.csv").write_text("account_no,area_code,category\n0000000002,NOPE,domestic\n")
    w.poll()
    [again] = w.poll()
    assert again.moved_to == failed / "consumers-2.csv"
    assert (failed / "consumers-2.csv.problems.txt").exists()


def test_a_growing_file_is_not_picked_up(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    inbox = tmp_path / "inbox"
    source = F.write_fixture(tmp_path / "fx")
    inbox.mkdir()
    target = inbox / "balances.csv"
    lines = (source / "balances.csv").read_text().splitlines(keepends=True)
    target.write_text("".join(lines[:2]))  # a copy under way
    w = _watcher(inbox, url)
    assert w.poll() == []
    with target.open("a") as fh:
        fh.write("".join(lines[2:4]))
    assert w.poll() == []  # it grew since the last poll
    stat = target.stat()
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert w.poll() == []  # same size, touched: still being written
    assert target.exists() and _log(url) == []
    [outcome] = w.poll()  # unchanged since the last poll: complete
    assert outcome.name == "balances.csv"
    assert (inbox / "done" / "2026-02-08" / "balances.csv").exists() or \
        (inbox / "failed" / "2026-02-08" / "balances.csv").exists()


def test_a_database_that_is_down_is_retried(tmp_path, monkeypatch, caplog):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    inbox = tmp_path / "inbox"
    F.write_fixture(inbox / "batch")
    real = watch_mod.get_engine
    down = {"polls": 2}

    def flaky(u=None):
        """The database refuses connections for the first two polls."""
        if down["polls"]:
            down["polls"] -= 1
            raise OperationalError("connect", {}, Exception("connection refused"))
        return real(u)

    monkeypatch.setattr(watch_mod, "get_engine", flaky)
    w = _watcher(inbox, url)
    caplog.set_level(logging.INFO, logger="lib.watch")
    assert w.poll() == []
    assert w.poll() == []  # stable now, but the database is down: nothing moves
    assert w.poll() == []
    assert (inbox / "batch").exists() and w.db_down == 2
    assert "database unreachable" in caplog.text
    # a load that fails for the database mid-way leaves the entry where it was
    real_engine = importer.get_engine
    monkeypatch.setattr(watch_mod, "get_engine", real)  # up for the watcher's check ...
    monkeypatch.setattr(importer, "get_engine", flaky)  # ... down for the load itself
    down["polls"] = 2  # the load's connection and the recording of the attempt both fail
    assert w.poll() == []
    assert (inbox / "batch").exists()
    monkeypatch.setattr(importer, "get_engine", real_engine)
    assert w.db_down == 1
    [outcome] = w.poll()
    assert outcome.status == "loaded" and w.db_down == 0
    assert "database reachable again" in caplog.text
    assert [r["status"] for r in _log(url)] == ["loaded"]


def test_once_processes_the_inbox_and_exits(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    inbox = tmp_path / "inbox"
    F.write_fixture(inbox / "batch")
    assert watch(inbox, url, once=True, interval=0.05) == 0
    assert (inbox / "done").exists() and not (inbox / "batch").exists()


def test_sigterm_stops_the_polling_loop(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGTERM))
    timer.start()
    try:
        assert watch(tmp_path / "inbox", url, interval=0.05) == 0
    finally:
        timer.cancel()
    assert signal.getsignal(signal.SIGTERM) is not None
