# ruff: noqa: F811  (the shared pytest fixtures are imported by name)
"""Issue #9 in a real browser: hostile names (tests/hostile.py) on every page, in both languages.

A real ``streamlit run`` on the fixture whose unit, officer, help-desk and campaign names are
Markdown, HTML, LaTeX, colour directives, formulas, Devanagari and 200-character strings. Every
page (and the chief-engineer drill-down) must show them as typed, put no element, link or image
of theirs into the page, ask nothing of any server but ours and show no traceback; every
download on those pages (CSV, Excel, the brief's PDF and PNG) must carry them inert.
"""

from __future__ import annotations

import csv
import io
import re
import socket
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest

from lib.data.importer import load_paths
from tests import hostile as H
from tests.test_browser import CHROMIUM, browser, serve  # noqa: F401 (pytest fixture)

pytestmark = pytest.mark.browser

PORTS = range(8571, 8580)  # this machine's agreed ports for test servers
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
WJ = "\u2060"  # lib.view.safe's word joiner that breaks literal autolinks
PAGES = ("", "zones", "chief_engineers", "negative_balance", "verification", "recharges",
         "help_desks", "data", "display")
SCOPE = "zone=Z1&circle=C1&division=D1&area=A1"
URL_VALUE = "[Zu](http://evil.example/u) **Zu** $x$"
# A formatted figure is text but no formula: -1,234.50, -₹30,000, +5.2%.
NUMBER_TEXT = re.compile(r"[-+−]?₹?[0-9][0-9,]*(\.[0-9]+)?%?")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# What the page may hold that came from the data: nothing but text. Collected in the page.
DOM_CHECK = """() => {
  const origin = location.origin;
  const bad = [];
  for (const a of document.querySelectorAll('a[href]')) {
    const h = a.getAttribute('href');
    if (new URL(h, location.href).origin !== origin || /evil/.test(h)) bad.push('link ' + h);
  }
  for (const e of document.querySelectorAll('img, image, iframe, video, audio, object, embed')) {
    const src = e.getAttribute('src') || e.getAttribute('href') || '';
    if (!src.startsWith('data:') && !src.startsWith(origin + '/media/')
        && !src.startsWith('/media/') && !src.startsWith('./media/'))
      bad.push(e.tagName + ' ' + src);
  }
  for (const e of document.querySelectorAll('[onerror], [onload], [onclick]'))
    bad.push('handler on ' + e.tagName);
  for (const s of document.querySelectorAll('script'))
    if (/alert/.test(s.textContent)) bad.push('script ' + s.textContent.slice(0, 40));
  if (document.querySelector('.katex, math')) bad.push('LaTeX typeset');
  // emphasis, code, headings and list items whose text came from a name
  const marks = /Zb1|Ci1|Cb2|Cs2|Hd1|Hd2|Hl2|Cmp|Db|Dg2|Dl|Al2|Ad3|Zr2|Zx|Ccode|Cimg|द्वितीय|ब्रिज|नीला/;
  for (const e of document.querySelectorAll('strong, b, em, i, del, s, u, code, li, blockquote, h4, h5, h6'))
    if (marks.test(e.textContent) && e.closest('[data-testid="stVegaLiteChart"]') === null)
      bad.push(e.tagName + ' ' + e.textContent.slice(0, 60));
  for (const e of document.querySelectorAll('h1, h2, h3'))
    if (marks.test(e.textContent) && e.querySelector('strong, em, a, code, del, span[style]'))
      bad.push('marked heading ' + e.textContent.slice(0, 60));
  for (const e of document.querySelectorAll('span[style*="color"], [class*="ColoredText"]'))
    if (marks.test(e.textContent)) bad.push('coloured ' + e.textContent.slice(0, 40));
  return bad;
}"""


def _port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip("no free port in 8571-8579")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`streamlit run dashboard.py` on the hostile fixture (loaded by a hostile name too)."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium not installed (apt-get install -y chromium)")
    folder = tmp_path_factory.mktemp("hostile")
    url = f"sqlite:///{folder / 'hostile.db'}"
    assert load_paths([H.write_hostile(folder / "files")], url=url, loaded_by=H.LOADED_BY).ok
    with (folder / "server.log").open("wb") as log:
        yield from serve(url, _port(), log, PVVNL_RAISE_ERRORS="")


@pytest.fixture
def visit(server, browser):
    """A page opener that records every request; yields (open, requests)."""
    ctx = browser.new_context(viewport={"width": 1600, "height": 1000}, accept_downloads=True)
    pg = ctx.new_page()
    requests: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))

    def open_(path: str):
        pg.goto(f"{server}/{path}")
        pg.wait_for_selector('[data-testid="stSidebar"], [data-testid="stHeading"]',
                             timeout=60_000)
        pg.wait_for_selector(IDLE, timeout=60_000)
        pg.wait_for_timeout(700)
        pg.wait_for_selector(IDLE, timeout=60_000)
        return pg

    yield open_, requests
    ctx.close()


def _text(pg) -> str:
    """What the page shows: its rendered text and each table cell (the grid draws on a canvas;
    its accessible table holds the cells), word joiners removed."""
    return pg.evaluate("""() => [document.body.innerText, ...[...document.querySelectorAll(
        '[data-testid="stDataFrame"] table td, [data-testid="stDataFrame"] table th')]
        .map(c => c.textContent)].join('\\n')""").replace(WJ, "")


def _check_page(pg, path: str) -> str:
    """The page's own checks; returns its text (word joiners removed)."""
    assert pg.locator(ERRORS).count() == 0, (path, pg.locator(ERRORS).first.inner_text())
    text = _text(pg)
    assert "Traceback" not in text and 'File "' not in text, path
    assert pg.evaluate(DOM_CHECK) == [], path
    return text


def _own_server_only(requests: list[str], server: str) -> None:
    own = urlparse(server).netloc
    stray = [u for u in requests if urlparse(u).scheme in ("http", "https", "ws", "wss")
             and (urlparse(u).netloc != own or urlparse(u).path in ("/x", "/evil"))]
    assert stray == [], stray
    assert not [u for u in requests if "evil" in urlparse(u).path]  # (our own links' queries may)


def _paths(lang: str) -> list[tuple[str, tuple[str, ...]]]:
    """Every page, unfiltered and scoped to Z1/C1/D1/A1, and the drill-down at each level, with
    the names each must show as typed."""
    hi = lang == "hi"
    zone = H.ZONE_HI if hi else H.ZONE
    area = H.AREA_HI if hi else H.AREA
    scope = (zone["Z1"], H.CIRCLE["C1"], H.DIVISION["D1"], area["A1"])
    out: list[tuple[str, tuple[str, ...]]] = []
    for page in PAGES:
        if page == "display":
            out.append((f"display?lang={lang}", ()))
            continue
        out.append((f"{page}?lang={lang}", ()))
        out.append((f"{page}?lang={lang}&{SCOPE}", scope if page != "data" else ()))
    out += [
        (f"chief_engineers?lang={lang}", (*zone.values(), *H.CHIEF.values())),
        (f"chief_engineers?lang={lang}&ce=Z1", (zone["Z1"], H.CIRCLE["C1"])),
        (f"chief_engineers?lang={lang}&ce=Z2&ce_circle=C2", (H.CIRCLE["C2"], H.DIVISION["D3"])),
        (f"chief_engineers?lang={lang}&ce=Z1&ce_circle=C1",
         (H.CIRCLE["C1"], H.DIVISION["D1"], H.DIVISION["D2"])),
        (f"chief_engineers?lang={lang}&ce=Z1&ce_circle=C1&ce_division=D1",
         (H.DIVISION["D1"], area["A1"], area["A2"])),
        (f"zones?lang={lang}&level=area", tuple(area.values())),
        (f"zones?lang={lang}&level=division", tuple(H.DIVISION.values())),
        (f"help_desks?lang={lang}", tuple(H.DESK.values())),
        (f"data?lang={lang}", (H.LOADED_BY,)),
        # a hand-edited link: the notice quotes the value as code, never as a link
        (f"zones?lang={lang}&zone={quote(URL_VALUE)}", (URL_VALUE,)),
    ]
    return out


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_every_page_shows_hostile_names_as_typed(server, visit, lang):
    open_, requests = visit
    campaign = H.CAMPAIGN[1] if lang == "hi" else H.CAMPAIGN[0]
    for path, names in _paths(lang):
        pg = open_(path)
        text = _check_page(pg, path)
        missing = [n for n in names if n not in text]
        for table in pg.locator('[data-testid="stDataFrame"]').all() if missing else []:
            table.scroll_into_view_if_needed()  # a grid fills its cells once it is drawn
        for _ in range(20 if missing else 0):
            pg.wait_for_timeout(500)
            missing = [n for n in names if n not in _text(pg)]
            if not missing:
                break
        assert missing == [], (path, missing)
        if not path.startswith("display"):  # the sidebar's campaign box holds the name as typed
            box = pg.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"] input').first
            assert box.input_value() == campaign, path
    _own_server_only(requests, server)


def _download_all(pg, path: str) -> list[tuple[str, bytes]]:
    """Open every expander, click every download button; the files as (name, bytes)."""
    for summary in pg.locator('[data-testid="stExpander"] details:not([open]) summary').all():
        summary.click()
    pg.wait_for_timeout(300)
    files = []
    buttons = pg.locator('[data-testid="stDownloadButton"] button')
    for i in range(buttons.count()):
        button = buttons.nth(i)
        button.scroll_into_view_if_needed()
        with pg.expect_download(timeout=60_000) as info:
            button.click()
        download = info.value
        files.append((download.suggested_filename, Path(download.path()).read_bytes()))
    assert files, f"{path} has downloads"
    return files


def _formula_cells(cells: list[str]) -> list[str]:
    """Text cells a spreadsheet would run: formula-leading and not a formatted figure."""
    return [c for c in cells if c.startswith(FORMULA_START) and not NUMBER_TEXT.fullmatch(c)]


def _csv_cells(data: bytes) -> list[str]:
    assert data.startswith(b"\xef\xbb\xbf")
    return [c for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for c in row]


def _xlsx_cells(data: bytes) -> list[str]:
    from openpyxl import load_workbook

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in sheets)
    cells = []
    for ws in load_workbook(io.BytesIO(data)).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str):
                    cells.append(cell.value)
    return cells


def _pdf_text(data: bytes, tmp: Path) -> str:
    assert b"/URI" not in data and b"/JavaScript" not in data and b"/Launch" not in data
    pdf = tmp / "brief.pdf"
    pdf.write_bytes(data)
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                         check=True, text=True)
    return out.stdout


# Every hostile name a table shows (the campaign's is in no table): those that start like a
# formula must reach the exports quoted, the others exactly as typed.
TABLED = (*H.ZONE.values(), *H.CHIEF.values(), *H.CIRCLE.values(), *H.DIVISION.values(),
          *H.AREA.values(), *H.DESK.values(), H.LOADED_BY)
INERT = {"'" + n for n in TABLED if n.startswith(FORMULA_START)}
PLAIN = {n for n in TABLED if not n.startswith(FORMULA_START)}
DOWNLOAD_PATHS = ("?lang=en", "zones?lang=en", "zones?lang=en&level=area",
                  "zones?lang=en&level=division", "zones?lang=en&level=circle",
                  "chief_engineers?lang=en&ce=Z1&ce_circle=C1",
                  "chief_engineers?lang=en&ce=Z1&ce_circle=C1&ce_division=D1",
                  "negative_balance?lang=en&account_area=A1", "verification?lang=en",
                  "recharges?lang=en", "help_desks?lang=en", "data?lang=en")


def test_every_download_carries_hostile_names_inert(server, visit, tmp_path):
    open_, requests = visit
    csv_seen: set[str] = set()
    xlsx_seen: set[str] = set()
    kinds: set[str] = set()
    for path in DOWNLOAD_PATHS:
        pg = open_(path)
        _check_page(pg, path)
        for name, data in _download_all(pg, path):
            kind = name.rsplit(".", 1)[-1]
            kinds.add(kind)
            if kind == "csv":
                cells = _csv_cells(data)
                csv_seen.update(cells)
            elif kind == "xlsx":
                cells = _xlsx_cells(data)
                xlsx_seen.update(cells)
            elif kind == "pdf":
                text = _pdf_text(data, tmp_path)
                assert "Zb1" in text and "<script>" in text, "names as typed in the brief"
                cells = []
            else:
                assert kind == "png" and data.startswith(b"\x89PNG"), name
                cells = []
            assert _formula_cells(cells) == [], (path, name, _formula_cells(cells))
    assert kinds == {"csv", "xlsx", "pdf", "png"}
    assert INERT - csv_seen == set(), "every formula-like name reaches a CSV, quoted"
    assert INERT - xlsx_seen == set(), "and an Excel file"
    assert PLAIN - csv_seen == set() and PLAIN - xlsx_seen == set(), "the others as typed"
    assert len(INERT) == 7 and len(PLAIN) == 9
    _own_server_only(requests, server)
