"""What the rollups know of archived months: each account's carried state (``balance_carry``).

After ``lib.data.retention`` has archived the months before meta ``archived_before``, the
balances held start there. The rollups go on as if the archived rows were still held: an
account enters the first live day with its latest archived snapshot, and its day pattern
starts with the archived days' signs, so every rollup row is what it would have been.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy.engine import Connection

from lib.data.engine import get_meta
from lib.data.reasons import Reason
from lib.data.schema import balance_carry


@dataclass(frozen=True)
class Archived:
    """Months archived: the signs run from ``day0``; the balances held start at ``before``."""

    day0: date
    before: date

    @property
    def days(self) -> int:
        """How many archived days each account's signs hold."""
        return (self.before - self.day0).days


class ArchivedMonth(ValueError):
    """A load brings balances of a month that was archived."""


def archived(conn: Connection) -> Archived | None:
    """The archived months, or None when nothing was archived."""
    before = get_meta(conn, "archived_before")
    if not before:
        return None
    return Archived(date.fromisoformat(get_meta(conn, "archived_day0")),
                    date.fromisoformat(before))


def refuse_archived(conn: Connection, low) -> None:
    """Refuse staged balances whose first day ``low`` is in an archived month: their days'
    figures are closed."""
    arch = archived(conn)
    if arch is None:
        return
    if low is not None and str(low)[:10] < arch.before.isoformat():
        raise ArchivedMonth(Reason("archived", day=str(low)[:10], before=arch.before.isoformat()))


def carried(conn: Connection, query, accounts: pd.Index, arch: Archived
            ) -> tuple[np.ndarray, np.ndarray]:
    """Each of ``accounts``' latest archived balance (NaN: none) and archived days' signs
    (uint8 characters, '.' for an account with no archived row), from ``query``'s rows of
    (account_no, balance_paise, signs)."""
    first = np.full(len(accounts), np.nan)
    signs = np.full((len(accounts), arch.days), ord("."), dtype=np.uint8)
    rows = conn.execute(query).all()
    if rows:
        acc, bal, text = (np.array(c, dtype=object) for c in zip(*rows, strict=True))
        pos = accounts.get_indexer(acc)
        ok = pos >= 0
        first[pos[ok]] = bal[ok].astype(float)
        if arch.days:
            signs[pos[ok]] = np.frombuffer("".join(text[ok]).encode("ascii"), dtype=np.uint8
                                           ).reshape(-1, arch.days)
    return first, signs


def carry_rows(accounts, table=balance_carry):
    """SELECT of ``table``'s carried state restricted like the rollups' reads (``accounts`` is
    a ``lib.data.rollups.Accounts``)."""
    return accounts.rows(table, accounts.key(table), table.c.balance_paise, table.c.signs)
