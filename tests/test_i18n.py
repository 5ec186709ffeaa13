"""The label catalogue (lib.view.labels): complete, bilingual, and covering every key the code uses."""

from __future__ import annotations

import re
import string
import unicodedata
from pathlib import Path

import pytest

from lib.data.contract import (
    ACTIVITIES,
    CATEGORIES,
    CHANNELS,
    COMPLAINT_CATEGORIES,
    DUES_BANDS,
    LEVELS,
    TARGET_METRICS,
)
from lib.view import labels
from lib.view.labels import LABELS, LANGS, t

ROOT = Path(__file__).resolve().parent.parent
DEVANAGARI = re.compile(r"[\u0900-\u097F]")
LATIN_LETTER = re.compile(r"[A-Za-z]")
# Hindi values that rightly stay in Latin script.
LATIN_OK = {"unit.ist"}

KPI_KEYS = (
    "consumers", "negative_balance", "arrears_inr", "negative_at_start", "negative_cleared",
    "otp_verified", "app_downloaded", "app_trained", "contacted", "verification_coverage",
    "app_coverage", "recharge_count", "recharge_inr", "app_recharge_share",
    "complaints_received", "complaints_resolved", "complaints_open", "resolution_hours_median",
)


def test_langs():
    assert LANGS == ("en", "hi")


def test_every_key_has_both_languages():
    bad = []
    for key, entry in LABELS.items():
        if set(entry) != set(LANGS):
            bad.append((key, sorted(entry)))
            continue
        for lang in LANGS:
            text = entry[lang]
            if not isinstance(text, str) or not text.strip() or text != text.strip() \
                    or not unicodedata.is_normalized("NFC", text):
                bad.append((key, lang, text))
    assert not bad, bad


def _without_code(text: str) -> str:
    """Drop `inline code` and {placeholders}: they stay as they are in both languages."""
    return re.sub(r"`[^`]*`|\{[^}]*\}", "", text)


def test_hindi_is_written_in_devanagari():
    bad = []
    for key, entry in LABELS.items():
        en, hi = entry["en"], entry["hi"]
        if key in LATIN_OK or not LATIN_LETTER.search(_without_code(en)):
            continue  # pure symbols and numbers ("₹1,001–5,000")
        if not DEVANAGARI.search(hi):
            bad.append((key, hi))
    assert not bad, f"Hindi values without Devanagari: {bad}"


def test_placeholders_match_across_languages():
    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}
    bad = [key for key, entry in LABELS.items() if fields(entry["en"]) != fields(entry["hi"])]
    assert not bad, bad


def test_t_formats_and_rejects_unknown_keys():
    assert t("app.title") == "Smart Meter Campaign Dashboard"
    assert t("app.title", "hi") == "स्मार्ट मीटर अभियान डैशबोर्ड"
    assert t("page.overview", "hi") == "अवलोकन"
    assert t("msg.as_of", "en", date="02 Feb 2026") == "as of 02 Feb 2026"
    assert t("msg.period", "hi", start="02 फ़र॰ 2026", end="07 फ़र॰ 2026") == \
        "अवधि: 02 फ़र॰ 2026 – 07 फ़र॰ 2026"
    assert "python -m lib.cli demo" in t("msg.empty_db", "en")
    assert "python -m lib.cli demo" in t("msg.empty_db", "hi")
    with pytest.raises(KeyError):
        t("no.such.key")
    with pytest.raises(ValueError):
        t("app.title", "fr")


def test_domain_words_from_the_source_article():
    assert t("kpi.negative_balance", "hi") == "निगेटिव बैलेंस उपभोक्ता"
    assert t("kpi.arrears_inr", "hi") == "बकाया राशि"
    assert t("kpi.otp_verified", "hi") == "ओटीपी सत्यापित"
    assert t("kpi.app_downloaded", "hi") == "ऐप डाउनलोड"
    assert t("page.help_desks", "hi") == "हेल्प डेस्क"
    assert t("page.chief_engineers", "hi") == "मुख्य अभियंता"
    assert t("level.zone", "hi") == unicodedata.normalize("NFC", "ज़ोन")
    assert t("unit.crore", "hi") == unicodedata.normalize("NFC", "करोड़")


@pytest.mark.parametrize("key", KPI_KEYS)
def test_every_kpi_has_a_label_and_help(key):
    assert labels.kpi_label(key, "en") and labels.kpi_label(key, "hi")
    assert labels.kpi_help(key, "en") and labels.kpi_help(key, "hi")


def test_every_vocabulary_code_has_a_label():
    for vocab, codes in (("category", CATEGORIES), ("activity", ACTIVITIES),
                         ("channel", CHANNELS), ("complaint_category", COMPLAINT_CATEGORIES),
                         ("target_metric", TARGET_METRICS), ("level", LEVELS)):
        for code in codes:
            for lang in LANGS:
                label = labels.vocab_label(vocab, code, lang)
                assert label != code, (vocab, code, lang)
    assert labels.category_label("domestic", "hi") == "घरेलू"
    assert labels.level_label("division", "hi") == "खंड"
    assert labels.level_label("area", "en", plural=True) == "Areas"
    assert labels.channel_label("smart_app", "en") == "UPPCL Smart App"
    assert labels.complaint_category_label("supply", "hi") == "विद्युत आपूर्ति"
    assert labels.activity_label("contacted", "en") == "Consumer contacted"
    assert labels.vocab_label("channel", "carrier_pigeon", "hi") == "carrier_pigeon"
    assert list(labels.vocab_options("category", CATEGORIES, "en")) == list(CATEGORIES)


def test_band_labels():
    assert [labels.band_label(band, "en") for band, _, _ in DUES_BANDS] == [
        "Up to ₹1,000", "₹1,001–5,000", "₹5,001–25,000", "₹25,001–1,00,000", "Above ₹1,00,000"]
    assert labels.band_label(1, "hi") == "₹1,000 तक"
    assert labels.band_label(5, "hi") == "₹1,00,000 से अधिक"


def test_required_ui_strings_exist():
    for key in ("filter.campaign", "filter.date_range", "filter.zone", "filter.circle",
                "filter.division", "filter.area", "filter.category", "filter.language",
                "filter.reset", "msg.no_data", "msg.as_of", "msg.period", "msg.scope",
                "msg.empty_db", "download.csv", "download.excel", "unit.consumers",
                "unit.lakh", "unit.crore", "page.zones", "page.negative_balance",
                "page.verification", "page.recharges", "page.data", "page.display"):
        assert key in LABELS, key


# t("key") / t('key') / labels.t("key"), with the key as a literal (f-strings are skipped).
T_CALL = re.compile(r"""(?<![\w.])(?:labels\.)?t\(\s*(?P<q>["'])(?P<key>[^"'\\{}]+)(?P=q)""")


def _source_files() -> list[Path]:
    files = sorted((ROOT / "lib").rglob("*.py")) + sorted((ROOT / "pages").rglob("*.py"))
    dashboard = ROOT / "dashboard.py"
    return files + ([dashboard] if dashboard.exists() else [])


def test_static_scan_finds_calls():
    """The scanner sees the calls lib itself makes (so an empty result is not a silent pass)."""
    keys = {m["key"] for path in _source_files() for m in T_CALL.finditer(path.read_text("utf-8"))}
    assert {"unit.crore", "unit.lakh", "chart.value"} <= keys
    assert T_CALL.search('st.title(t("page.overview", lang))')
    assert T_CALL.search("labels.t('page.overview')")
    assert not T_CALL.search('st.write(f"{t}")')
    assert not T_CALL.search('format("x")')


@pytest.mark.parametrize("path", _source_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_literal_key_in_the_code_exists(path):
    missing = sorted({m["key"] for m in T_CALL.finditer(path.read_text("utf-8"))} - set(LABELS))
    assert not missing, f"{path.relative_to(ROOT)} uses keys missing from lib/view/labels.py: {missing}"
