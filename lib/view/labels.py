"""Every UI string in English and Hindi, declared once as data, and the lookups over it.

Keys are dotted: ``section.name`` (``page.overview``, ``kpi.arrears_inr``, ``channel.upi``).
To add a string, add one line ``"key": ("English", "हिन्दी"),`` to the right section of
``lib/view/catalogue.py`` (the importer's reasons: their Hindi in ``lib/view/catalogue_reasons.py``);
``{name}`` placeholders are filled by ``t(key, lang, name=...)`` and must match in both
languages. Hindi is written as a UPPCL officer writes it: Devanagari, with the loanwords the
department uses (ओटीपी, ऐप, रिचार्ज, हेल्प डेस्क). Digits stay Latin in both languages.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from lib.view.catalogue import SECTIONS
from lib.view.catalogue_reasons import REASONS

if TYPE_CHECKING:
    import pandas as pd

LANGS = ("en", "hi")
LANG_NAMES = {"en": "English", "hi": "हिन्दी"}



def _build(sections: tuple[dict[str, tuple[str, str]], ...]) -> dict[str, dict[str, str]]:
    labels: dict[str, dict[str, str]] = {}
    for section in sections:
        for key, (en, hi) in section.items():
            if key in labels:
                raise ValueError(f"duplicate i18n key {key!r}")
            # NFC, so that a nukta letter (ज़, ड़) compares equal however it was typed.
            labels[key] = {"en": unicodedata.normalize("NFC", en),
                           "hi": unicodedata.normalize("NFC", hi)}
    return labels


LABELS: dict[str, dict[str, str]] = _build((*SECTIONS, REASONS))

# Which key prefix holds each vocabulary of lib.data.contract.VOCABULARIES (plus "band").
VOCAB_PREFIX = {
    "category": "category",
    "activity": "activity",
    "channel": "channel",
    "complaint_category": "complaint_category",
    "target_metric": "kpi",
    "level": "level",
    "levels": "levels",
    "band": "band",
    "kpi": "kpi",
}


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGS}")
    return lang


def t(key: str, lang: str = "en", **kwargs: object) -> str:
    """Return the UI string ``key`` in ``lang``, with ``{name}`` placeholders filled from kwargs."""
    text = LABELS[key][_check_lang(lang)]  # an unknown key raises KeyError: add it above
    return text.format(**kwargs) if kwargs else text


def has(key: str) -> bool:
    """Whether ``key`` is in the catalogue."""
    return key in LABELS


def vocab_label(vocab: str, code: object, lang: str = "en") -> str:
    """Label of a vocabulary code (e.g. ``vocab_label("channel", "upi", "hi")``); unknown codes as is."""
    prefix = VOCAB_PREFIX.get(vocab, vocab)
    entry = LABELS.get(f"{prefix}.{code}")
    return entry[_check_lang(lang)] if entry else str(code)


def vocab_options(vocab: str, codes: tuple | list, lang: str = "en") -> dict[str, str]:
    """Code -> label for a list of codes, in the given order (for selectbox ``format_func``)."""
    return {str(code): vocab_label(vocab, code, lang) for code in codes}


def category_label(code: str, lang: str = "en") -> str:
    """Consumer category label (domestic, commercial, ...)."""
    return vocab_label("category", code, lang)


def level_label(level: str, lang: str = "en", plural: bool = False) -> str:
    """Organisation level label (zone, circle, division, area), singular or plural."""
    return vocab_label("levels" if plural else "level", level, lang)


def channel_label(code: str, lang: str = "en") -> str:
    """Recharge channel label (smart_app, upi, counter, bank, other)."""
    return vocab_label("channel", code, lang)


def complaint_category_label(code: str, lang: str = "en") -> str:
    """Help-desk complaint category label."""
    return vocab_label("complaint_category", code, lang)


def activity_label(code: str, lang: str = "en") -> str:
    """Field activity label (otp_verified, app_downloaded, app_trained, contacted)."""
    return vocab_label("activity", code, lang)


def band_label(band: int, lang: str = "en") -> str:
    """Dues band label for band number 1-5 (lib.data.contract.DUES_BANDS)."""
    return t(f"band.{int(band)}", lang)


def kpi_label(key: str, lang: str = "en") -> str:
    """Short tile label of a KPI key (lib.figures.metrics.KPI_KEYS)."""
    return t(f"kpi.{key}", lang)


def kpi_help(key: str, lang: str = "en") -> str:
    """Longer help text (definition) of a KPI key."""
    return t(f"kpi_help.{key}", lang)


def page_title(page: str, lang: str = "en") -> str:
    """Title of a page (overview, zones, chief_engineers, ..., display)."""
    return t(f"page.{page}", lang)


def in_language(df: pd.DataFrame, column: str, lang: str) -> pd.Series:
    """A name from the data (``name``, ``zone_name``, ``chief_engineer``, ``help_desk``, ...) in
    ``lang``: on Hindi pages its ``<column>_hi`` where the row has one, else the English."""
    hindi = f"{column}_hi"
    if _check_lang(lang) == "hi" and hindi in df:
        return df[hindi].mask(df[hindi] == "").fillna(df[column])
    return df[column]
