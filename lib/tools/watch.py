"""The inbox watcher: load files and folders as they are dropped into a folder.

    python -m lib.cli watch INBOX [--db URL] [--once] [--interval SECONDS]

Each entry of INBOX (a contract file, or a folder of them) is one load with the importer's
rules (``lib.data.importer.load_paths``), in name order. An entry is taken only once it has
stopped changing: its size and modification time (for a folder, those of every file in it) are
the same at two polls in a row, so a file still being copied is left alone. A loaded entry moves
to ``INBOX/done/YYYY-MM-DD/``; a refused one to ``INBOX/failed/YYYY-MM-DD/`` with its problems
report beside it (``NAME.problems.txt``). The importer records every load, landed or refused, in
the load log the Data page shows.

When the database cannot be reached, nothing is moved: the entry stays in INBOX and is tried
again at the next poll (a load either commits whole or not at all); the log says when the
database is back. SIGTERM (systemd's stop) and Ctrl-C stop the watcher between loads.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from lib.data.engine import get_engine
from lib.data.importer import load_paths
from lib.data.load_report import LoadResult

log = logging.getLogger("lib.watch")

DONE, FAILED = "done", "failed"
LOADED_BY = "inbox watcher"
Signature = tuple[tuple[str, int, int], ...]


@dataclass
class Outcome:
    """What became of one inbox entry."""

    name: str
    status: str  # loaded | rejected
    moved_to: Path
    load_id: int | None


class Watcher:
    """Polls one inbox; remembers each entry's signature between polls."""

    def __init__(self, inbox: Path, url: str | None = None,
                 today: Callable[[], date] = date.today) -> None:
        """Remember the inbox and database; nothing is read yet."""
        self.inbox = Path(inbox)
        self.url = url
        self.today = today
        self.seen: dict[str, Signature] = {}
        self.db_down = 0  # polls in a row that could not reach the database

    def poll(self) -> list[Outcome]:
        """Load every entry that is stable since the last poll; return what became of them."""
        current = {p.name: _signature(p) for p in self._entries()}
        ready = [name for name, sig in sorted(current.items())
                 if sig and self.seen.get(name) == sig]
        self.seen = current
        outcomes: list[Outcome] = []
        if not ready or not self._database_up():
            return outcomes
        for name in ready:
            outcome = self._load(self.inbox / name)
            if outcome is None:  # the database went away during the load: try again later
                break
            self.seen.pop(name, None)
            outcomes.append(outcome)
        return outcomes

    def _entries(self) -> list[Path]:
        """The inbox's candidate entries (not done/, failed/ or hidden and partial names)."""
        self.inbox.mkdir(parents=True, exist_ok=True)
        return [p for p in self.inbox.iterdir()
                if p.name not in (DONE, FAILED) and not p.name.startswith((".", "~"))
                and not p.name.endswith((".part", ".tmp"))]

    def _database_up(self) -> bool:
        """Whether the database answers; log when it goes down and when it is back."""
        try:
            with get_engine(self.url).connect() as conn:
                conn.execute(select(1))
        except Exception as exc:
            if not self.db_down:
                log.warning("database unreachable (%s: %s); files stay in the inbox and are "
                            "retried at every poll", type(exc).__name__, str(exc).splitlines()[0])
            self.db_down += 1
            return False
        if self.db_down:
            log.warning("database reachable again after %d failed poll(s); loading resumes",
                        self.db_down)
            self.db_down = 0
        return True

    def _load(self, path: Path) -> Outcome | None:
        """Load one entry and move it; None when the load could not reach the database."""
        day = self.today().isoformat()
        failed_dir = self.inbox / FAILED / day
        rejects = failed_dir / f"{path.name}.rejects.csv"
        log.info("loading %s", path.name)
        result = load_paths([path], url=self.url, loaded_by=LOADED_BY, rejects_path=rejects)
        if result.load_id is None:  # not even recorded: the database failed, nothing changed
            log.warning("could not load %s (database failure); retrying later", path.name)
            self.db_down += 1
            return None
        target_dir = self.inbox / (DONE if result.ok else FAILED) / day
        target = _free_name(target_dir, path.name)
        target_dir.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        if not result.ok:
            _write_report(target, result)
        log.info("%s %s (load %s) -> %s", path.name, result.status, result.load_id, target)
        return Outcome(path.name, result.status, target, result.load_id)


def _signature(path: Path) -> Signature:
    """Size and mtime of a file, or of every file in a folder; empty while there is nothing."""
    try:
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        stats = [(str(p.relative_to(path.parent)), p.stat()) for p in files]
    except OSError:  # removed or renamed while we looked
        return ()
    return tuple((name, st.st_size, st.st_mtime_ns) for name, st in stats)


def _free_name(folder: Path, name: str) -> Path:
    """``folder/name``, or ``name-2``, ``name-3`` ... when a file of that name was moved there."""
    target, n = folder / name, 1
    while target.exists() or Path(f"{target}.problems.txt").exists():
        n += 1
        stem, dot, ext = name.partition(".")
        target = folder / f"{stem}-{n}{dot}{ext}"
    return target


def _write_report(target: Path, result: LoadResult) -> None:
    """The refused load's report, beside the refused file."""
    text = result.report()
    if result.rejects_path is not None:
        text += f"\nEvery problem row: {result.rejects_path}"
    Path(f"{target}.problems.txt").write_text(text + "\n", encoding="utf-8")


def watch(inbox: Path, url: str | None = None, *, once: bool = False, interval: float = 10.0,
          stop: threading.Event | None = None) -> int:
    """Run the watcher; with ``once``, process what is there (two polls) and return 0 or 1."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    stop = stop or threading.Event()
    watcher = Watcher(inbox, url)
    previous = _on_sigterm(stop)
    try:
        watcher.poll()
        if once:
            stop.wait(min(interval, 2.0))  # an entry must look the same at two polls
            outcomes = watcher.poll()
            return 1 if watcher.db_down or any(o.status != "loaded" for o in outcomes) else 0
        log.info("watching %s every %.0f s", inbox, interval)
        while not stop.wait(interval):
            watcher.poll()
        log.info("stopped")
        return 0
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _on_sigterm(stop: threading.Event):
    """Make SIGTERM set ``stop`` (main thread only); return the handler it replaced."""
    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, lambda _sig, _frame: stop.set())
