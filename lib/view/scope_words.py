"""A scope in words ("All of PVVNL", "Meerut Zone-I › Domestic"), from the hierarchy frame."""

from __future__ import annotations

import pandas as pd

from lib.figures.scope import Scope
from lib.view.labels import category_label, in_language, t

UNIT_KEYS = (("zone", "zones"), ("circle", "circles"), ("division", "divisions"), ("area", "areas"))


def unit_options(tree: pd.DataFrame, level: str, lang: str) -> dict[str, str]:
    """Codes of a level → display names (Hindi where the data has them)."""
    units = tree[[f"{level}_code", f"{level}_name", f"{level}_name_hi"]].drop_duplicates(
        f"{level}_code")
    return dict(zip(units[f"{level}_code"], in_language(units, f"{level}_name", lang),
                    strict=True))


def scope_words(tree: pd.DataFrame, scope: Scope, lang: str) -> str:
    """The chosen units and categories by name; with no unit chosen, the viewer's own unit
    (``scope.within``) or "All of PVVNL"."""
    parts = []
    if scope.within is not None and not scope.filtered:
        level, code = scope.within
        parts.append(unit_options(tree, level, lang).get(code, code))
    for level, plural in UNIT_KEYS:
        codes = getattr(scope, plural)
        if codes:
            options = unit_options(tree, level, lang)
            parts.append(", ".join(options.get(c, c) for c in codes))
    if scope.categories:
        parts.append(", ".join(category_label(c, lang) for c in scope.categories))
    return " › ".join(parts) if parts else t("msg.scope_all", lang)
