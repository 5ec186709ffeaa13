"""Drill-down and link state for the Zones and Chief-engineers pages.

The drill (zone → circle → division) and the page choices live in the URL as codes
(``?ce=Z1&ce_circle=C1``, ``?level=area&metric=arrears_inr``), so a copied link opens the same
view in either language. The first half of this module is pure (frames and codes in, frames and
codes out); the second half is the thin Streamlit plumbing that keeps widgets, chart clicks and
the URL in step. Values a hand-edited link gets wrong are dropped with a small notice.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
import streamlit as st

from lib.data.contract import LEVELS
from lib.figures.scope import Scope
from lib.view import theme
from lib.view.labels import in_language, t
from lib.view.safe import md_text

# URL parameter holding the chosen unit of each drill level.
DRILL_PARAMS = {"zone": "ce", "circle": "ce_circle", "division": "ce_division"}
CHILD = {None: "zone", "zone": "circle", "circle": "division", "division": "area"}
TOP_N = 25  # bars / heatmap rows at most; the table keeps every unit

# Heatmap colours: red where more is worse, green where more is better, blue otherwise.
_REDS = ("negative_balance", "arrears_inr", "negative_at_start", "complaints_received",
         "complaints_open", "resolution_hours_median")
_GREENS = ("negative_cleared", "complaints_resolved")


# --- pure ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Drill:
    """Where the Chief-engineers page is drilled to: a zone, then a circle, then a division."""

    zone: str | None = None
    circle: str | None = None
    division: str | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Drill:
        """The drill named by query parameters (unvalidated; see ``validated``)."""
        return cls(**{lv: str(params.get(p) or "") or None for lv, p in DRILL_PARAMS.items()})

    def to_params(self) -> dict[str, str]:
        """The query parameters for this drill (only the levels chosen)."""
        return {DRILL_PARAMS[lv]: code for lv, code in self.path}

    @property
    def path(self) -> list[tuple[str, str]]:
        """(level, code) from the zone down, stopping at the first level not chosen."""
        out = []
        for level in DRILL_PARAMS:
            code = getattr(self, level)
            if code is None:
                break
            out.append((level, code))
        return out

    @property
    def level(self) -> str | None:
        """The deepest level chosen (None: no zone yet)."""
        return self.path[-1][0] if self.path else None

    @property
    def code(self) -> str | None:
        """The code of the deepest unit chosen."""
        return self.path[-1][1] if self.path else None

    @property
    def child_level(self) -> str:
        """The level whose units are listed below the current unit."""
        return CHILD[self.level]

    @property
    def can_go_down(self) -> bool:
        """Whether clicking one of the listed units drills further (areas are the finest)."""
        return self.child_level in DRILL_PARAMS

    def down(self, code: str) -> Drill:
        """One level deeper, into ``code`` (a unit of ``child_level``)."""
        return replace(self, **{self.child_level: code}) if self.can_go_down else self

    def up_to(self, level: str | None) -> Drill:
        """Back up to ``level`` (None: all zones), forgetting the levels below it."""
        keep = list(DRILL_PARAMS)[:list(DRILL_PARAMS).index(level) + 1] if level else []
        return Drill(**{lv: getattr(self, lv) for lv in keep})

    def scope(self, base: Scope) -> Scope:
        """The sidebar scope narrowed along the drill path (codes checked by ``validated``)."""
        for level, code in self.path:
            base = base.narrowed(level, code)
        return base


def in_scope(tree: pd.DataFrame, scope: Scope) -> pd.DataFrame:
    """The hierarchy rows (areas) inside the hierarchy part of a scope."""
    mask = pd.Series(True, index=tree.index)
    for level in LEVELS:
        codes = getattr(scope, f"{level}s")
        if codes:
            mask &= tree[f"{level}_code"].isin(codes)
    return tree[mask]


def validated(drill: Drill, tree: pd.DataFrame, scope: Scope) -> tuple[Drill, list[tuple[str, str]]]:
    """Keep the drill codes that exist inside the sidebar scope under their parent.

    Returns the drill that is kept and the (parameter, value) pairs dropped: an unknown code,
    a circle outside its zone, or a level whose parent is missing.
    """
    rows = in_scope(tree, scope)
    kept: dict[str, str] = {}
    dropped: list[tuple[str, str]] = []
    broken = False
    for level, param in DRILL_PARAMS.items():
        code = getattr(drill, level)
        if code is None:
            broken = True
            continue
        if not broken and code in set(rows[f"{level}_code"]):
            kept[level] = code
            rows = rows[rows[f"{level}_code"] == code]
        else:
            broken = True
            dropped.append((param, code))
    return Drill(**kept), dropped


def unit_names(tree: pd.DataFrame, level: str, lang: str) -> dict[str, str]:
    """Code → display name of every unit of a level (Hindi where the data has it)."""
    units = tree.drop_duplicates(f"{level}_code")
    return dict(zip(units[f"{level}_code"], in_language(units, f"{level}_name", lang),
                    strict=True))


def crumbs(drill: Drill, tree: pd.DataFrame, lang: str) -> list[tuple[str, Drill]]:
    """The breadcrumb: ("All zones", top), then each chosen unit's name and its drill."""
    out = [(t("ce.all_zones", lang), Drill())]
    for level, code in drill.path:
        out.append((unit_names(tree, level, lang).get(code, code), drill.up_to(level)))
    return out


def unique_names(df: pd.DataFrame, col: str = "unit") -> pd.DataFrame:
    """Names that repeat within the frame get their code appended, so each bar is one unit."""
    if df.empty:
        return df
    twice = df[col].duplicated(keep=False)
    return df.assign(**{col: df[col].where(~twice, df[col] + " (" + df["code"].astype(str) + ")")})


def has_targets(units: pd.DataFrame) -> bool:
    """Whether any unit of a league has a target (a ``score``): where none has, target
    achievement and rank are not offered (lib.figures.targets.league leaves them empty)."""
    return "score" in units and bool(units["score"].notna().any())


def top_units(df: pd.DataFrame, metric: str, n: int = TOP_N) -> pd.DataFrame:
    """The ``n`` units with the highest value of ``metric`` (missing values last)."""
    return df.sort_values(metric, ascending=False, na_position="last", kind="stable").head(n)


def for_units(days: pd.DataFrame, units: pd.DataFrame, col: str = "unit") -> pd.DataFrame:
    """A per-unit daily frame (code, day, ...) limited to ``units``, with their display names."""
    return days.merge(units[["code", col]], on="code", how="inner")


def heat_colors(metric: str) -> tuple[str, ...]:
    """The sequential scheme for a metric's heatmap."""
    if metric in _REDS:
        return theme.SEQUENTIAL_REDS
    if metric in _GREENS:
        return theme.SEQUENTIAL_GREENS
    return theme.SEQUENTIAL


def picked(selection: Mapping[str, Any] | None, select_name: str, field: str) -> str | None:
    """The value of ``field`` clicked in a chart selection (``event.selection``), if any.

    Streamlit gives a point selection as a list of {field: value} dicts; a {field: [values]}
    dict is accepted as well.
    """
    chosen = (selection or {}).get(select_name) or []
    if isinstance(chosen, Mapping):
        values = chosen.get(field) or []
        return str(values[0]) if values else None
    for point in chosen:
        if isinstance(point, Mapping) and point.get(field) is not None:
            return str(point[field])
    return None


# --- Streamlit plumbing ----------------------------------------------------------------------


def set_params(values: Mapping[str, str | None]) -> None:
    """Write query parameters (None removes one); also from a widget callback."""
    for param, value in values.items():
        if value is None:
            if param in st.query_params:
                del st.query_params[param]
        elif st.query_params.get(param) != value:
            st.query_params[param] = value


def go(drill: Drill) -> None:
    """Put a drill into the URL (a button or chart-click callback)."""
    set_params({**dict.fromkeys(DRILL_PARAMS.values()), **drill.to_params()})


def first_level(scope: Scope) -> str:
    """The level a comparison starts at: zones, or for a viewer bound to a unit the level
    below it (a chief engineer compares their circles)."""
    if scope.within is None:
        return "zone"
    return CHILD.get(scope.within[0]) or "area"


_SHOWN = "_drill_shown"  # session key: the drill this session last showed, as URL parameters


def drill_from_url(tree: pd.DataFrame, scope: Scope, lang: str, notices: list[str]) -> Drill:
    """The drill in the URL, with codes outside the scope dropped from it; with only one zone
    to see (a chief engineer's own), that zone is open from the start.

    A dropped code is named in ``notices`` only when it came from a link: a code this session
    was already showing, left behind because the sidebar scope changed, goes quietly (nobody
    edited a link)."""
    drill, dropped = validated(Drill.from_params(st.query_params), tree, scope)
    shown = st.session_state.get(_SHOWN, {})
    if dropped:
        go(drill)
        notices.extend(t("msg.invalid_url_value", lang, name=p, value=v)
                       for p, v in dropped if shown.get(p) != v)
    zones = tree["zone_code"].unique()
    if drill.zone is None and len(zones) == 1:
        drill = Drill(str(zones[0]))
    st.session_state[_SHOWN] = drill.to_params()
    return drill


def on_bar_click(chart_key: str, select_name: str, field: str, codes: Mapping[str, str],
                 drill: Drill) -> Callable[[], None]:
    """A chart ``on_select`` callback: drill into the unit whose bar was clicked."""

    def callback() -> None:
        name = picked(st.session_state[chart_key].selection, select_name, field)
        if name in codes:
            go(drill.down(codes[name]))

    return callback


def url_choice(widget: Callable[..., Any], label: str, options: Mapping[str, str], param: str,
               default: str, notices: list[str], lang: str, *, unavailable: Collection[str] = (),
               **kwargs: Any) -> str:
    """A single-choice widget whose value (a code) lives in the URL parameter ``param``.

    The URL wins (first visit, a pasted link, the browser's back button); a change in the
    widget writes the URL; the default is kept out of the URL; an unknown value is dropped
    with a notice. A value in ``unavailable`` is a real choice that this view does not offer
    (target achievement where no unit has a target): it is dropped without a notice, since the
    link was not wrong and the page says why.
    """
    key = f"{param}_pick_{lang}"  # per language: see lib.view.filters._keyed
    wanted = st.query_params.get(param)
    if wanted is not None and wanted not in options:
        if wanted not in unavailable:
            notices.append(t("msg.invalid_url_value", lang, name=param, value=wanted))
        del st.query_params[param]
        wanted = None
    value = wanted or default
    if st.session_state.get(key) != value:
        st.session_state[key] = value

    def changed() -> None:
        chosen = st.session_state.get(key) or default
        set_params({param: None if chosen == default else chosen})

    chosen = widget(label, list(options), format_func=lambda c: options.get(c, c), key=key,
                    on_change=changed, **kwargs)
    return chosen or default


def show_notices(notices: list[str]) -> None:
    """A toast and a small caption for each value dropped from the link."""
    for notice in notices:
        st.toast(notice, icon=":material/link_off:")
        st.caption("⚠️ " + notice)


def breadcrumb(drill: Drill, tree: pd.DataFrame, lang: str) -> None:
    """"All zones › Zone › Circle › Division" as buttons that go back up (the last is current)."""
    trail = crumbs(drill, tree, lang)
    with st.container(horizontal=True, gap="small", vertical_alignment="center"):
        for i, (name, target) in enumerate(trail):
            if i:
                st.markdown("›", width="content")
            last = i == len(trail) - 1
            st.button(md_text(name), key=f"crumb_{i}", type="tertiary", on_click=go, args=(target,),
                      disabled=last, icon=":material/home:" if i == 0 else None)
