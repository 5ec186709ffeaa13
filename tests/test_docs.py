"""The repository documents its own data contract, and points nowhere outside itself.

* No tracked file may refer to a path outside the repository (the contract used to live there).
* docs/data-contract.md has a section for every file kind in ``lib.data.contract.FILES`` with a
  row for every column the contract module knows, and lists every vocabulary word, so a column
  added to the code without documentation fails here.
* The worked example in docs/data-contract.md is loaded and its printed figures are compared
  with what the metrics layer computes, so the example cannot drift from the code.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from lib.data.contract import FILES, VOCABULARIES

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "data-contract.md"
# Spelled in pieces so this file does not contain what it forbids.
FORBIDDEN = ("../" + "shared", "shared" + "/spec")


def _doc() -> str:
    return DOC.read_text(encoding="utf-8")


def _tracked_files() -> list[Path]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    return [ROOT / name for name in out.stdout.decode("utf-8").split("\0") if name]


def test_no_tracked_file_points_outside_the_repository() -> None:
    offenders = []
    for path in _tracked_files():
        if not path.is_file():
            continue  # deleted in the work tree but still in the index
        data = path.read_bytes()
        for needle in FORBIDDEN:
            if needle.encode() in data:
                offenders.append(f"{path.relative_to(ROOT)}: {needle}")
    assert not offenders, "references outside the repository: " + "; ".join(offenders)


def _file_section(doc: str, kind: str) -> str:
    """The text of the '### `kind`: ...' section, up to the next heading."""
    m = re.search(rf"^### `{re.escape(kind)}`:.*?(?=^#)", doc, re.M | re.S)
    assert m, f"docs/data-contract.md has no section for the file {kind}"
    return m.group(0)


@pytest.mark.parametrize("kind", sorted(FILES))
def test_every_file_and_column_is_documented(kind: str) -> None:
    section = _file_section(_doc(), kind)
    rows = set(re.findall(r"^\| `([a-z_]+)` \|", section, re.M))
    spec = FILES[kind]
    missing = [c for c in spec.columns if c not in rows]
    assert not missing, f"{kind}: columns not documented in docs/data-contract.md: {missing}"
    unknown = sorted(rows - set(spec.columns))
    assert not unknown, f"{kind}: documented columns the contract module does not know: {unknown}"
    for col in spec.required:
        assert re.search(rf"^\| `{col}` \| \*\*yes\*\*", section, re.M), \
            f"{kind}.{col} is required but not documented as required"
    key = spec.key[0] if len(spec.key) == 1 else "(" + ", ".join(f"`{k}`" for k in spec.key) + ")"
    assert (f"Key: `{key}`." if len(spec.key) == 1 else f"Key: {key}.") in section


def test_every_vocabulary_word_is_documented() -> None:
    doc = _doc()
    missing = [f"{name}: {word}" for name, words in VOCABULARIES.items() for word in words
               if f"`{word}`" not in doc]
    assert not missing, f"vocabulary words not in docs/data-contract.md: {missing}"


def _example_files(doc: str) -> dict[str, str]:
    return dict(re.findall(r"<!-- example: (\w+\.csv) -->\n```csv\n(.*?)```", doc, re.S))


def test_worked_example_gives_the_documented_figures(tmp_path: Path) -> None:
    from lib.data.engine import dispose_engine, get_engine
    from lib.data.importer import load_paths
    from lib.figures.breakdowns import dues_bands
    from lib.figures.metrics import Period, Scope, kpis
    from lib.figures.targets import achievement

    doc = _doc()
    files = _example_files(doc)
    assert sorted(files) == sorted(f"{kind}.csv" for kind in FILES)
    folder = tmp_path / "example"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'example.db'}"
    try:
        first = load_paths([folder], url)
        assert first.ok and first.rows_accepted == 27
        again = load_paths([folder], url)
        assert again.ok and all(f["changed"] == 0 for f in again.files)

        m = re.search(r"<!-- example: kpis (\S+) (\S+) -->\n```json\n(.*?)\n```", doc, re.S)
        assert m, "the example's kpis output is missing"
        period = Period(date.fromisoformat(m[1]), date.fromisoformat(m[2]))
        engine = get_engine(url)
        assert kpis(engine, Scope.of(), period) == pytest.approx(json.loads(m[3]))

        by_scope = {
            "A101": dict(consumers=2, negative_balance=1, arrears_inr=5800.0, negative_at_start=2,
                         negative_cleared=1, verification_coverage=0.5, complaints_received=1,
                         complaints_open=0),
            "A102": dict(consumers=1, negative_balance=1, arrears_inr=999.99, negative_at_start=0,
                         otp_verified=0, verification_coverage=1.0, complaints_received=1,
                         complaints_open=1, app_recharge_share=None),
        }
        for area, expected in by_scope.items():
            got = kpis(engine, Scope.of(areas=[area]), period)
            assert {k: got[k] for k in expected} == pytest.approx(expected), area
        domestic = kpis(engine, Scope.of(categories=["domestic"]), period)
        assert {k: domestic[k] for k in ("consumers", "negative_balance", "arrears_inr",
                                         "negative_at_start", "negative_cleared",
                                         "recharge_count", "recharge_inr",
                                         "app_recharge_share", "complaints_received",
                                         "complaints_open")} == pytest.approx(
            dict(consumers=2, negative_balance=1, arrears_inr=999.99, negative_at_start=1,
                 negative_cleared=1, recharge_count=1, recharge_inr=1400.0,
                 app_recharge_share=1.0, complaints_received=2, complaints_open=1))

        day = Period(date(2026, 2, 4), date(2026, 2, 4))
        fourth = kpis(engine, Scope.of(), day)
        assert (fourth["negative_balance"], fourth["arrears_inr"], fourth["negative_at_start"],
                fourth["negative_cleared"], fourth["otp_verified"],
                fourth["verification_coverage"], fourth["complaints_open"],
                fourth["complaints_received"]) == (2, 6799.99, 2, 0, 1, 1.0, 1, 0)

        bands = dues_bands(engine, Scope.of(), period.end).set_index("band")
        assert bands["negative_balance"].to_dict() == {1: 1, 2: 0, 3: 1, 4: 0, 5: 0}
        assert bands.loc[1, "arrears_inr"] == pytest.approx(999.99)
        assert bands.loc[3, "arrears_inr"] == pytest.approx(5800.0)

        def targets(scope: Scope) -> dict:
            df = achievement(engine, scope, "FEB26").set_index("metric")
            return {m: (int(r.actual), None if pd.isna(r.target) else int(r.target))
                    for m, r in df.iterrows()}

        assert targets(Scope.of()) == {"otp_verified": (1, 2), "app_downloaded": (1, None),
                                       "negative_cleared": (1, 2)}
        assert targets(Scope.of(areas=["A101"])) == {"otp_verified": (1, 1),
                                                     "app_downloaded": (1, None),
                                                     "negative_cleared": (1, None)}
    finally:
        dispose_engine(url)


def test_bad_file_example(tmp_path: Path) -> None:
    from lib.data.engine import dispose_engine, get_engine
    from lib.data.importer import load_paths
    from lib.figures.metrics import Period, Scope, kpis

    doc = _doc()
    folder = tmp_path / "example"
    folder.mkdir()
    for name, text in _example_files(doc).items():
        (folder / name).write_text(text, encoding="utf-8")
    m = re.search(r"### A bad file\n.*?```csv\n(.*?)```", doc, re.S)
    assert m, "the bad-file example is missing"
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "balances.csv").write_text(m[1], encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'example.db'}"
    try:
        assert load_paths([folder], url).ok
        rejected = load_paths([bad], url)
        assert not rejected.ok and [(p.line, p.column) for p in rejected.problems] == [
            (3, "account_no"), (4, "as_of")]
        for p in rejected.problems:
            assert str(p) in doc
        skipped = load_paths([bad], url, skip_invalid=True, rejects_path=tmp_path / "rejects.csv")
        assert skipped.ok and (skipped.rows_accepted, skipped.rows_rejected) == (1, 2)
        day = Period(date(2026, 2, 4), date(2026, 2, 4))
        assert kpis(get_engine(url), Scope.of(), day)["arrears_inr"] == pytest.approx(7300.0)
    finally:
        dispose_engine(url)
