"""The hand-made fixture with every name an attacker could choose: Markdown, HTML, LaTeX,
colour directives, spreadsheet formulas, Devanagari, and names as long as the contract allows.

The codes stay those of ``tests/fixtures.py`` (Z1, C1, A1, CAMP1, ...) so every figure is the
fixture's; only what is *shown* changes. Used by ``tests/test_browser_hostile.py``.
"""

from __future__ import annotations

from pathlib import Path

from lib.data.contract import MAX_TEXT_LENGTH
from tests import fixtures as F

EVIL = "http://evil.example"


def _long(seed: str) -> str:
    """A name of exactly MAX_TEXT_LENGTH characters: ``seed`` repeated, cut, ending in a letter
    (the importer trims what it reads)."""
    text = (seed * (MAX_TEXT_LENGTH // len(seed) + 1))[:MAX_TEXT_LENGTH].rstrip()
    return text + "Z" * (MAX_TEXT_LENGTH - len(text))


# Names by code, English; each distinct so a test can look for it on the page.
ZONE = {"Z1": f"**Zb1** [Zl1]({EVIL}/z1) <script>alert('z1')</script>",
        "Z2": "<img src=x onerror=\"alert('z2')\"> $Zx^2$ :red[Zr2]"}
ZONE_HI = {"Z1": f"मेरठ **ज़ोन** [लिंक]({EVIL}/hi)", "Z2": "ज़ोन <b>द्वितीय</b> $x$ :blue[नीला]"}
CHIEF = {"Z1": f"=HYPERLINK(\"{EVIL}/ce\",\"click\") _Ci1_",
         "Z2": "@SUM(1+1) <b>Cb2</b> ~~Cs2~~"}
CIRCLE = {"C1": "+1+2 # Circle heading", "C2": f"![Cimg]({EVIL}/c.png) `Ccode`"}
DIVISION = {"D1": _long(f"Long [Dl]({EVIL}/d) **Db** "), "D2": "-2+3 :green[Dg2]",
            "D3": "<iframe src=x></iframe> Div3"}
AREA = {"A1": "=1+1 Ganganagar", "A2": "[Al2](javascript:alert(1)) Shastri",
        "A3": "\\*Escaped\\* Begum $$Ad3$$", "A4": _long("काजीपुर **क** ")}
AREA_HI = {"A1": "गंगानगर **ग**", "A2": "शास्त्री [न](http://evil.example/n)",
           "A3": "बेगम <u>ब्रिज</u>", "A4": "काजीपुर :red[क]"}
DESK = {"Ganganagar help desk": f"=HYPERLINK(\"{EVIL}/hd\",\"desk\") **Hd1**",
        "Kazipur help desk": "<script>alert('hd')</script> @Hd2 [Hl2](http://evil.example/h)"}
CAMPAIGN = (f"[Camp]({EVIL}/camp) $\\frac{{1}}{{2}}$ :orange[Cmp] =HYPERLINK(\"{EVIL}\")",
            "अभियान <img src=x onerror=alert(3)> **अ**")
DISTRICT = "-Meerut <b>dist</b>"
LOADED_BY = f"=HYPERLINK(\"{EVIL}/by\",\"by\")"

# Every English name, for "shown somewhere as typed" checks.
NAMES_EN = (*ZONE.values(), *CHIEF.values(), *CIRCLE.values(), *DIVISION.values(),
            *AREA.values(), *DESK.values(), CAMPAIGN[0])
NAMES_HI = (*ZONE_HI.values(), *AREA_HI.values(), CAMPAIGN[1])


def write_hostile(folder: Path) -> Path:
    """The fixture's files with the hostile names; returns the folder."""
    F.write_fixture(folder)
    F.rewrite(folder / "hierarchy.csv", _hierarchy_row)
    F.rewrite(folder / "complaints.csv", lambda r: {**r, "help_desk": DESK[r["help_desk"]]})
    F.rewrite(folder / "campaigns.csv",
             lambda r: {**r, "name": CAMPAIGN[0], "name_hi": CAMPAIGN[1]})
    return folder


def _hierarchy_row(row: dict[str, str]) -> dict[str, str]:
    z, c, d, a = row["zone_code"], row["circle_code"], row["division_code"], row["area_code"]
    return {**row, "zone_name": ZONE[z], "zone_name_hi": ZONE_HI[z], "chief_engineer": CHIEF[z],
            "circle_name": CIRCLE[c], "division_name": DIVISION[d], "area_name": AREA[a],
            "area_name_hi": AREA_HI[a], "district": DISTRICT}
