"""Fuzzing the importer: whatever a file holds, a load ends clean or as a clear refusal.

Bounded so CI stays fast: a few dozen generated files per kind, on SQLite (the importer's rules
are the same on PostgreSQL, where tests/test_importer.py and tests/test_hardening.py run them).
"""

from __future__ import annotations

import csv
import io
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib.data.engine import dispose_engine, get_engine
from lib.data.importer import load_paths
from tests.test_importer import HEADERS, base_rows, dump, make_folder

# Cells a MIS export could plausibly hold, and the hostile ones from the hardening issue.
AWKWARD = ["", " ", "0", "-1", "1e9", "9999-12-31", "0001-01-01T00:00:00+14:00", "31/02/2026",
           "2026-02-03", "03-02-2026", "₹-1,23,456.50", "NaN", "null", "=HYPERLINK(\"x\")",
           "[a](http://e)", "$x^2$", "१२३४", "\u200d", "ज़ोन", "x" * 250, "A1", "0000000001"]
CELL = st.one_of(st.sampled_from(AWKWARD), st.text(max_size=30))
_COUNTER = itertools.count()


def _csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """The folder of the base load (each example loads it into a fresh database)."""
    folder = make_folder(tmp_path_factory.mktemp("fuzz-base"))
    return folder


@pytest.mark.parametrize("kind", sorted(HEADERS))
@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_any_file_loads_clean_or_is_refused_whole(kind, data, tmp_path, base, monkeypatch):
    import lib.data.importer as importer

    monkeypatch.setattr(importer, "DATA_DIR", tmp_path / "data")
    url = f"sqlite:///{tmp_path / f'fuzz-{next(_COUNTER)}.db'}"
    assert load_paths([base], url).ok
    engine = get_engine(url)
    before = dump(engine)
    header = HEADERS[kind]
    good = base_rows()[kind][0]
    rows = [[data.draw(CELL) if data.draw(st.booleans()) else good[i] for i in range(len(header))]
            for _ in range(data.draw(st.integers(1, 4)))]
    if data.draw(st.booleans()):  # a row one field short or one too long
        rows.append(rows[0][:-1] if data.draw(st.booleans()) else [*rows[0], "extra"])
    folder = tmp_path / f"in-{next(_COUNTER)}"
    folder.mkdir()
    (folder / f"{kind}.csv").write_text(_csv(header, rows), encoding="utf-8")
    try:
        result = load_paths([folder], url)  # must not raise, whatever the file holds
        if not result.ok:
            assert result.problem_count > 0 or result.report(), "a refusal says why"
            assert dump(engine) == before, "a refused load changes nothing"
    finally:
        dispose_engine(url)
