"""Who did what and when: every load, export and brief is written to the ``audit`` table."""

from __future__ import annotations

import getpass
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import insert, select
from sqlalchemy.engine import Connection, Engine

from lib.data.contract import now_ist
from lib.data.schema import audit

ACTIONS = ("load", "export", "brief", "archive")
MAX_DETAIL = 500  # a detail names files or a scope; longer is cut, never refused


@dataclass(frozen=True)
class Actor:
    """Who acts: the signed-in user (e-mail, listed name, role), or an operating-system user
    (the command line, or the dashboard in local mode)."""

    who: str
    email: str | None = None
    role: str | None = None

    @property
    def label(self) -> str:
        """How the load history names them: "Name (email)", or the bare name."""
        return f"{self.who} ({self.email})" if self.email and self.email != self.who else self.who


def os_actor(note: str = "") -> Actor:
    """The operating-system user running this process (the CLI, or local mode)."""
    try:
        name = getpass.getuser()
    except Exception:  # no user name in the environment (some containers)
        name = "unknown"
    return Actor(name + note)


def record(conn: Connection, actor: Actor, action: str, detail: str) -> None:
    """Write one audit row (inside the caller's transaction)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    conn.execute(insert(audit).values(at=now_ist(), email=actor.email, who=actor.who,
                                      role=actor.role, action=action,
                                      detail=detail[:MAX_DETAIL]))


def record_now(engine: Engine, actor: Actor, action: str, detail: str) -> None:
    """Write one audit row in its own transaction."""
    with engine.begin() as conn:
        record(conn, actor, action, detail)


def trail(engine: Engine, limit: int = 200) -> pd.DataFrame:
    """The latest audit rows, newest first: at, who, email, role, action, detail."""
    cols = [audit.c.at, audit.c.who, audit.c.email, audit.c.role, audit.c.action, audit.c.detail]
    with engine.connect() as conn:
        rows = conn.execute(select(*cols).order_by(audit.c.audit_id.desc()).limit(limit)).all()
    return pd.DataFrame(rows, columns=[c.name for c in cols])
