"""The PDF brief (python -m lib.cli brief) on the hand-worked fixture, read back with poppler.

Expected figures are written out from tests/fixtures.py's worked answers, not from the code.
PDFs and PNGs land in artifacts/brief/ (git-ignored) to be looked at.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from lib.data.engine import ROOT
from lib.data.importer import load_paths
from lib.figures import current
from lib.view.labels import LABELS
from tests import fixtures as F

OUT = ROOT / "artifacts" / "brief"
PERIOD = ["--from", F.PERIOD[0], "--to", F.PERIOD[1]]
MADE_AT = "2026-02-05T09:30:00+05:30"

pytestmark = pytest.mark.skipif(
    not (shutil.which("pdftotext") and Path(shutil.which("chromium") or "/usr/bin/chromium").exists()),
    reason="needs Chromium and poppler-utils (apt-get install -y chromium poppler-utils)")


def indian(n: int) -> str:
    """12,34,567: the last three digits, then pairs (written here apart from lib.view.formats)."""
    s = str(n)
    head, tail = s[:-3], s[-3:]
    pairs = []
    while head:
        pairs.insert(0, head[-2:])
        head = head[:-2]
    return ",".join([*pairs, tail]) if pairs else tail


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    """A SQLite file holding the fixture."""
    folder = tmp_path_factory.mktemp("brief")
    url = f"sqlite:///{folder / 'brief.db'}"
    assert load_paths([F.write_fixture(folder / "files")], url=url).ok
    return url


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """``python -m lib.cli brief ...`` in a fresh process, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "lib.cli", "brief", *args], cwd=ROOT, text=True,
                          capture_output=True, env=env, timeout=180)


@pytest.fixture(scope="module")
def briefs(db) -> dict[str, Path]:
    """Four briefs: the whole DISCOM in both languages (with PNGs), zone Z1, division D1 in Hindi."""
    OUT.mkdir(parents=True, exist_ok=True)
    import os

    env = {**os.environ, "PVVNL_BRIEF_MADE_AT": MADE_AT}
    made = {}
    for name, extra in (("en", ["--lang", "en"]), ("hi", ["--lang", "hi"]),
                        ("z1", ["--zone", "Z1"]), ("d1-hi", ["--division", "D1", "--lang", "hi"])):
        pdf = OUT / f"brief-{name}.pdf"
        png = ["--png", str(OUT / f"brief-{name}.png")] if name in ("en", "hi") else []
        done = run_cli("--db", db, *PERIOD, *extra, "--out", str(pdf), *png, env=env)
        assert done.returncode == 0, done.stderr
        made[name] = pdf
    return made


def text_of(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_headline_figures_in_english(briefs):
    text = text_of(briefs["en"])
    e = F.EXPECTED
    assert "Campaign brief" in text and "All of PVVNL" in text
    assert "Period: 02 Feb 2026 – 04 Feb 2026" in text and "as of 04 Feb 2026" in text
    assert "Made 05 Feb 2026, 09:30 IST" in text
    assert f"₹{indian(int(e['arrears_inr']))}" in text                      # ₹37,220
    assert f"₹{e['recharge_inr'] / 100_000:.2f} lakh" in text                # ₹1.52 lakh
    assert f"{e['verification_coverage'] * 100:.1f}%" in text                # 40.0%
    # progress to target: otp 3 of circle C1's 8 + area A4's 2; cleared 3 of 4 + 2
    assert f"{e['otp_verified'] / 10 * 100:.1f}% of target (10)" in text
    assert f"{e['negative_cleared'] / 6 * 100:.1f}% of target (6)" in text
    assert "Day before the period: 6" in text                                 # negative at start
    assert "Zones: league table" in text and "Top 1" in text and "Bottom 1" in text
    assert "Needs attention" in text and LABELS["kpi_help.negative_balance"]["en"] in text


def test_hindi_words_come_back_character_for_character(briefs):
    text = text_of(briefs["hi"])
    for key in ("kpi.negative_balance", "kpi.arrears_inr", "kpi.otp_verified", "brief.title",
                "levels.zone", "msg.scope_all", "kpi_help.negative_cleared"):
        assert LABELS[key]["hi"] in text, key
    assert "मेरठ ज़ोन-द्वितीय" in text and "₹1.52 लाख" in text and "फ़र॰" in text
    # the campaign's target (the note may wrap in the tile)
    assert "अभियान 02 फ़र॰–04 फ़र॰: लक्ष्य" in text
    assert f"{F.EXPECTED['otp_verified'] / 10 * 100:.1f}%" in text
    assert "-2 03 फ़र॰ से" in text  # the badges say what they compare
    areas = text_of(briefs["d1-hi"])  # a division's league lists its areas (क्षेत्र)
    assert LABELS["levels.area"]["hi"] == "क्षेत्र" and "क्षेत्र" in areas
    assert "गंगानगर" in areas and "शास्त्री नगर" in areas and "बेगम ब्रिज" not in areas


def test_one_zone_holds_only_that_zone(briefs):
    text = text_of(briefs["z1"])
    assert "Scope: Meerut Zone-I" in text and "Circles: league table" in text
    assert "₹32,220" in text and "₹37,220" not in text  # Z1's arrears, not the DISCOM's
    assert "Meerut Circle-I" in text
    assert "Meerut Circle-II" not in text and "Meerut Zone-II" not in text


def test_fonts_embedded_and_at_most_two_pages(briefs):
    for pdf in briefs.values():
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                               check=True).stdout.splitlines()[2:]
        assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # emb column
        assert all("Noto" in line for line in fonts), fonts
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                              check=True).stdout
        pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages")))
        assert 1 <= pages <= 2


def test_png_is_page_one_about_1080_wide(briefs):
    from PIL import Image

    for lang in ("en", "hi"):
        with Image.open(OUT / f"brief-{lang}.png") as img:
            assert img.width == 1080 and 1500 <= img.height <= 1540  # A4 proportions
        pages = OUT / f"page-{lang}"
        subprocess.run(["pdftoppm", "-png", "-r", "130", str(briefs[lang]), str(pages)],
                       check=True)  # both pages, to look at


@pytest.mark.parametrize("args, message", [
    (["--zone", "NOPE"], "unknown zone code(s): NOPE"),
    (["--zone", "Z2", "--circle", "C1"], "do not overlap"),
    (["--category", "martian"], "unknown category"),
    (["--from", "2026-02-07", "--to", "2026-02-02"], "--to must not be before --from"),
    (["--from", "2026-13-01", "--to", "2026-02-02"], "--from '2026-13-01' is not a date"),
    (["--from", "2026-03-01", "--to", "2026-03-02"], "the period starts after the data ends"),
    (["--campaign", "NOPE"], "unknown campaign"),
])
def test_bad_requests_exit_non_zero_with_one_line_and_no_file(db, tmp_path, args, message):
    out = tmp_path / "x.pdf"
    period = [] if "--from" in args else PERIOD
    done = run_cli("--db", db, *period, *args, "--out", str(out), "--png", str(tmp_path / "x.png"))
    assert done.returncode != 0
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists() and not (tmp_path / "x.png").exists()


def test_empty_database(tmp_path):
    out = tmp_path / "x.pdf"
    done = run_cli("--db", f"sqlite:///{tmp_path / 'empty.db'}", *PERIOD, "--out", str(out))
    assert done.returncode != 0 and "the database has no data" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and not out.exists()


def test_overview_buttons_build_the_cli_bytes(db, briefs, monkeypatch):
    """The function behind the Overview's buttons, for the same arguments and made time, gives
    the CLI's PDF byte for byte (Chromium's own dates are replaced by the made time)."""
    from datetime import date

    from lib.figures.scope import Period, Scope
    from lib.tools import brief

    monkeypatch.setenv("DATABASE_URL", db)
    monkeypatch.setenv("PVVNL_BRIEF_MADE_AT", MADE_AT)
    current.clear()
    period = Period(date.fromisoformat(F.PERIOD[0]), date.fromisoformat(F.PERIOD[1]))
    from lib.data.audit import Actor

    pdf = brief.for_dashboard(Scope.of(zones=["Z1"]), period, "CAMP1", "en", "pdf",
                              Actor("Director One", "boss@pvvnl.org", "director"))
    assert pdf == briefs["z1"].read_bytes()
    # the same brief for a chief engineer bound to Z1 (the Overview passes the bounded scope)
    bound = brief.for_dashboard(Scope(within=("zone", "Z1")), period, "CAMP1", "en", "pdf",
                                Actor("Munish Chopra", "ce1@pvvnl.org", "chief_engineer"))
    (tmp := Path(briefs["z1"]).with_name("bound.pdf")).write_bytes(bound)
    words = text_of(tmp)
    assert "Meerut Zone-I" in words and "Meerut Zone-II" not in words
    assert datetime.fromisoformat(MADE_AT).strftime("%Y") in text_of(briefs["z1"])


def test_overview_shows_both_buttons(db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DATABASE_URL", db)
    current.clear()
    for lang, labels in (("en", ["Download brief (PDF)", "Brief as image (PNG)"]),
                         ("hi", [LABELS["brief.pdf"]["hi"], LABELS["brief.png"]["hi"]])):
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        at.query_params["lang"] = lang
        at.run()
        assert not at.exception
        assert [b.label for b in at.get("download_button")][:2] == labels
