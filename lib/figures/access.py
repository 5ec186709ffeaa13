"""Who sees what: the viewer's grant (role and own unit) and the bound it puts on every scope.

The view layer names the viewer once per script run (``provide``); every function of
``lib.figures.current`` then passes its scope through ``bounded``, which ANDs the viewer's own
unit into the SQL (``Scope.within``). A widget, a hand-edited link, a drill-down, the display
URL, an export or the brief can narrow a scope further but never widen it: they never see the
bound, and ``bounded`` overwrites whatever ``within`` a caller sets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Engine

from lib.data.contract import LEVELS
from lib.data.schema import users
from lib.figures.memo import figure
from lib.figures.scope import Scope


class NoAccess(Exception):
    """Raised when a figure is asked for without a viewer who may see it."""


class NoSession(Exception):
    """Raised by a provider called outside any visitor's session (a test, a tool): the
    figures then follow the rule for code without a visitor (see ``viewer``)."""


@dataclass(frozen=True)
class Grant:
    """What one viewer may see: a role and the unit it covers (level "discom": everything)."""

    role: str
    level: str
    code: str | None
    email: str | None = None
    name: str | None = None
    local: bool = False  # single-user local mode: no users list has been loaded

    @property
    def within(self) -> tuple[str, str] | None:
        """The bound ANDed into every scope (None: the whole DISCOM)."""
        return (self.level, self.code) if self.level in LEVELS and self.code else None

    @property
    def is_director(self) -> bool:
        """Whether this viewer may load data and read the load history and the audit."""
        return self.role == "director"


LOCAL = Grant("director", "discom", None, local=True)

_provider: Callable[[], Grant | None] | None = None


def provide(viewer: Callable[[], Grant | None]) -> None:
    """Tell the figures who is looking: a function returning the current viewer's grant
    (the dashboard's is per session; None means nobody who may see anything)."""
    global _provider
    _provider = viewer


def viewer(engine: Callable[[], Engine]) -> Grant:
    """The current viewer's grant. Outside a visitor's session (no provider, or the provider
    raises NoSession): local mode while no users list exists, else nobody. Raises NoAccess for
    nobody. ``engine`` is asked for only then (a session's grant needs no database)."""
    try:
        if _provider is None:
            raise NoSession
        grant = _provider()
    except NoSession:
        grant = LOCAL if users_list(engine()).empty else None
    if grant is None:
        raise NoAccess("no access: the viewer is not identified or not listed")
    return grant


def bounded(engine: Callable[[], Engine], scope: Scope) -> Scope:
    """The scope limited to what the current viewer may see."""
    return replace(scope, within=viewer(engine).within)


def director_only(engine: Callable[[], Engine]) -> Grant:
    """The current viewer, who must be a director (the Data page's upload, history, audit)."""
    grant = viewer(engine)
    if not grant.is_director:
        raise NoAccess("only a director may load data or read the load history")
    return grant


@figure
def users_list(engine: Engine) -> pd.DataFrame:
    """Everyone listed in the users file: email, role, scope_level, scope_code, name."""
    cols = [users.c.email, users.c.role, users.c.scope_level, users.c.scope_code, users.c.name]
    with engine.connect() as conn:
        rows = conn.execute(select(*cols).order_by(users.c.email)).all()
    return pd.DataFrame(rows, columns=[c.name for c in cols])


def grant_for(listed: pd.DataFrame, email: str | None) -> Grant | None:
    """The grant of a listed e-mail address (case-insensitive); None when not listed."""
    if not email:
        return None
    rows = listed[listed["email"] == email.strip().lower()]
    if rows.empty:
        return None
    row = rows.iloc[0]
    code = row["scope_code"] if isinstance(row["scope_code"], str) and row["scope_code"] else None
    return Grant(row["role"], row["scope_level"], code, row["email"], row["name"])


def whom_to_ask(listed: pd.DataFrame) -> list[str]:
    """The directors' names: whom a visitor without access should ask."""
    return sorted(listed.loc[listed["role"] == "director", "name"].astype(str))


def visible_areas(tree: pd.DataFrame, grant: Grant) -> pd.DataFrame:
    """The hierarchy rows inside the grant (the sidebar offers only these units)."""
    if grant.within is None:
        return tree
    level, code = grant.within
    return tree[tree[f"{level}_code"] == code].reset_index(drop=True)
