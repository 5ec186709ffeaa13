"""Accounts x days as numpy grids: each account's latest balance carried forward, its sign as
pattern characters, and the per-(group, day, band) sums the balance rollups hold. Pure
arithmetic, shared by the full rebuild (``rollups``) and the incremental one (``rollup_delta``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lib.data.contract import DUES_BANDS

UPPER = np.array([b[2] if b[2] is not None else np.inf for b in DUES_BANDS])  # band limits


def balance_grid(n: int, days: int, pos: np.ndarray, day: np.ndarray, value: np.ndarray,
                 first: np.ndarray | None = None) -> np.ndarray:
    """Each account's latest balance on each day (NaN before its first snapshot): snapshots
    placed at (account, day), carried forward; ``first``, when given, is the state each
    account enters the grid with (column 0 is then that state, the days follow)."""
    lead = 0 if first is None else 1
    grid = np.full((n, days + lead), np.nan)
    if first is not None:
        grid[:, 0] = first
    grid[pos, day + lead] = value
    if len(pos) or first is not None:
        grid = pd.DataFrame(grid).ffill(axis=1).to_numpy()  # latest snapshot carries forward
    return grid


def sign_chars(grid: np.ndarray) -> np.ndarray:
    """N negative, P zero or positive, '.' no snapshot yet, per cell (uint8)."""
    return np.where(grid < 0, ord("N"), np.where(np.isnan(grid), ord("."), ord("P"))
                    ).astype(np.uint8)


def as_patterns(chars: np.ndarray) -> np.ndarray:
    """Rows of uint8 characters as one bytes string per row."""
    if chars.shape[1] == 0:
        return np.full(chars.shape[0], b"", dtype="S1")
    return np.ascontiguousarray(chars).view(f"S{chars.shape[1]}").ravel()


def negative_bins(grid: np.ndarray, group_idx: np.ndarray, ngroups: int
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Negative accounts and their arrears per (group, day, band), flat."""
    d, nb = grid.shape[1], len(DUES_BANDS)
    negative = grid < 0
    band = np.searchsorted(UPPER, -grid, side="left")  # 0-based band of the arrears
    size = max(ngroups, 1) * d * nb
    key = ((group_idx[:, None] * d + np.arange(d)[None, :]) * nb + band)[negative]
    return (np.bincount(key, minlength=size).astype(float),
            np.bincount(key, weights=-grid[negative], minlength=size))


def cleared_bins(grid: np.ndarray, group_idx: np.ndarray, ngroups: int) -> np.ndarray:
    """Accounts negative on the day before and not negative on the day, per (group, day)
    (day 0 has no day before, so nothing is cleared on it), flat."""
    d = grid.shape[1]
    size = max(ngroups, 1) * d
    if d < 2:
        return np.zeros(size)
    cleared = (grid[:, :-1] < 0) & (grid[:, 1:] >= 0)
    key = (group_idx[:, None] * d + np.arange(1, d)[None, :])[cleared]
    return np.bincount(key, minlength=size).astype(float)


def add_flat(total: np.ndarray | None, part: np.ndarray) -> np.ndarray:
    """Element-wise sum of two flat arrays of different lengths (the shorter one padded)."""
    if total is None:
        return part.astype(float)
    if len(part) > len(total):
        total = np.pad(total, (0, len(part) - len(total)))
    elif len(part) < len(total):
        part = np.pad(part, (0, len(total) - len(part)))
    return total + part
