"""The importer's reasons (lib.data.reasons): every code used in lib/data is in the registry and
in the catalogue in both languages, and the Data page says a reason from its code and values."""

from __future__ import annotations

import pickle
import re
import string
from pathlib import Path

import pytest

from lib.data import reasons
from lib.data.load_checks import REFERENCES
from lib.data.reasons import KINDS, TEMPLATES, Reason
from lib.view.labels import LABELS
from lib.view.load_view import reason_text

ROOT = Path(__file__).resolve().parent.parent
# A code given where a Reason is made: Reason("code", ...), FileError("code", ...), each("code",
# ...), and both branches of `"a" if ... else "b"`.
MADE = re.compile(r"""(?:Reason|FileError|each)\(\s*(?:\n\s*)?"(\w+)"(?:\s+if\s.*?\selse\s+"(\w+)")?""",
                  re.S)


def _codes_used() -> set[str]:
    """Every code lib/data gives a Reason, by a scan of its source."""
    found = set()
    for path in sorted((ROOT / "lib" / "data").glob("*.py")):
        if path.name == "reasons.py":
            continue
        for m in MADE.finditer(path.read_text("utf-8")):
            found.update(c for c in m.groups() if c)
    return found | {code for refs in REFERENCES.values() for *_, code in refs}


def test_the_scan_sees_the_codes_lib_data_uses():
    used = _codes_used()
    assert {"too_long", "date_window", "unknown_area", "unknown_unit", "missing_columns",
            "missing_column", "ignored_column", "ignored_columns", "same_key", "same_key_lines",
            "short_row", "load_failed", "archived", "no_rows"} <= used


def test_every_code_used_has_a_template_and_every_template_is_used():
    used = _codes_used()
    assert used <= set(TEMPLATES), sorted(used - set(TEMPLATES))
    assert set(TEMPLATES) - used == {"repeat_pair"}  # worded inside "repeats"


@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_every_code_is_in_the_catalogue_in_english_and_hindi(code):
    entry = LABELS[f"reason.{code}"]
    plain = re.sub(r"\{(\w+):[^}]*\}", r"{\1}", TEMPLATES[code])
    assert entry["en"] == plain  # the English of the page is the command line's
    assert re.search(r"[\u0900-\u097F]", entry["hi"]), entry["hi"]


def test_every_value_kind_is_one_the_page_knows():
    assert set(KINDS.values()) <= {"int", "date", "timestamp", "level", "role", "and", "list",
                                   "pairs", "filetype"}
    for kind in reasons.FILE_TYPES:
        assert f"reason.filetype.{kind}" in LABELS


@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_no_value_is_named_like_an_argument_of_t(code):
    names = {f for _, f, _, _ in string.Formatter().parse(TEMPLATES[code]) if f}
    assert not names & {"key", "lang"}


def _said(reason: Reason, lang: str) -> str:
    return reason_text(str(reason), reason.code, reason.values, lang)


def test_counts_and_lines_in_indian_grouping_on_the_page_western_on_the_command_line():
    said = Reason("repeats", name="balances.csv", n=1_23_456, pairs=[(1_00_002, 2)], more=", ...")
    assert said == ("balances.csv: 123,456 row(s) repeat an earlier row exactly and count once "
                    "(line 100002 repeats line 2, ...)")
    assert _said(said, "en") == ("balances.csv: 1,23,456 row(s) repeat an earlier row exactly and "
                                 "count once (line 1,00,002 repeats line 2, ...)")
    assert _said(said, "hi") == ("balances.csv: किसी पिछली पंक्ति को हूबहू दोहराने वाली "
                                 "पंक्तियाँ: 1,23,456, ये एक ही बार गिनी गईं (पंक्ति 1,00,002 "
                                 "पंक्ति 2 को दोहराती है, ...)")
    big = Reason("not_utf8_after", name="x.csv", bytes=2_50_00_000)
    assert "after 25,000,000 bytes" in big
    assert "(2,50,00,000 बाइट के बाद" in _said(big, "hi")


def test_dates_levels_roles_and_key_columns_in_the_page_language():
    window = Reason("date_window", earliest="2015-01-01", latest="2026-02-09")
    assert _said(window, "hi") == "स्वीकार्य तिथियों (01 जन॰ 2015 से 09 फ़र॰ 2026) से बाहर: वर्ष जाँचें"
    role = Reason("role_level", role="chief_engineer", expected="zone", level="circle")
    assert role == "a chief_engineer covers a zone, not a circle"
    assert _said(role, "en") == role  # in English, the words the users file is written in
    assert _said(role, "hi") == "मुख्य अभियंता का दायरा ज़ोन होता है, सर्किल नहीं"
    director = Reason("role_level", role="director", expected="discom", level="zone")
    assert _said(director, "hi") == "निदेशक का दायरा डिस्कॉम होता है, ज़ोन नहीं"
    same = Reason("same_key_lines", keys=("account_no", "as_of"), lines="4, 9")
    assert same == "the same account_no and as_of as lines 4, 9 but different values"
    assert _said(same, "hi") == "वही account_no और as_of जो पंक्तियों 4, 9 में है, पर बाक़ी मान भिन्न हैं"
    opened = Reason("resolved_before_opened", opened="2026-02-03 14:05:00")
    assert _said(opened, "hi") == "resolved_at, opened_at 03 फ़र॰ 2026, 14:05 IST से पहले है"
    pdf = Reason("not_csv", name="x.csv", what="pdf")
    assert pdf == "x.csv is a PDF document, not a CSV file; save it as 'CSV UTF-8 (Comma delimited)'"
    assert _said(pdf, "hi").startswith("x.csv एक पीडीएफ़ दस्तावेज़ है, सीएसवी फ़ाइल नहीं")


def test_text_without_a_code_is_shown_as_it_is():
    assert reason_text("KeyError: 'x'", None, {}, "hi") == "KeyError: 'x'"


def test_a_reason_survives_pickling_with_its_code():
    said = pickle.loads(pickle.dumps(Reason("too_long", limit=200)))
    assert (said, said.code, said.values) == ("longer than 200 characters", "too_long",
                                              {"limit": 200})
