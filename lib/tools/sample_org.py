"""The organisation the sample generator simulates, read from data/pvvnl (see data/README.md).

`hierarchy.csv` is a contract hierarchy file (one row per area) and `zones.toml` says how each
zone behaves. Both are read when a run starts, never at import.
"""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lib.data.engine import DATA_DIR

ORG_DIR = DATA_DIR / "pvvnl"


@dataclass(frozen=True)
class ZoneProfile:
    """How a zone behaves: arrears, campaign intensity, recharge response, target achievement."""

    negative_share: float  # share of accounts in arrears at the end of 2026-01-31
    intensity: float  # multiplies the field-activity rates
    response: float  # multiplies the extra recharges after a field contact
    achievement: float  # rough campaign achievement against target
    amisp: str  # the zone's metering service provider (AMISP contracts go by area)


@dataclass(frozen=True)
class Hierarchy:
    """The organisation as CSV rows plus per-area arrays for vectorised lookups."""

    rows: list[dict[str, str]]
    zone_codes: list[str]
    zone_profiles: list[ZoneProfile]  # in zone_codes order
    circle_codes: list[str]
    circle_zone: np.ndarray  # zone index of each circle
    division_codes: list[str]
    area_zone: np.ndarray
    area_circle: np.ndarray
    area_division: np.ndarray
    area_urban: np.ndarray

    @property
    def area_codes(self) -> list[str]:
        """Area codes in file order."""
        return [r["area_code"] for r in self.rows]


def read_hierarchy(folder: Path = ORG_DIR) -> Hierarchy:
    """Read hierarchy.csv and zones.toml from `folder`; units are indexed in file order."""
    with (folder / "hierarchy.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with (folder / "zones.toml").open("rb") as fh:
        zones = tomllib.load(fh)["zones"]
    zone_codes = list(dict.fromkeys(r["zone_code"] for r in rows))
    missing = [z for z in zone_codes if z not in zones]
    if missing:
        raise ValueError(f"{folder / 'zones.toml'} has no profile for zone(s) {', '.join(missing)}")
    circle_codes = list(dict.fromkeys(r["circle_code"] for r in rows))
    division_codes = list(dict.fromkeys(r["division_code"] for r in rows))
    zone_index = {code: i for i, code in enumerate(zone_codes)}
    circle_index = {code: i for i, code in enumerate(circle_codes)}
    division_index = {code: i for i, code in enumerate(division_codes)}
    zone_of_circle = {r["circle_code"]: zone_index[r["zone_code"]] for r in rows}
    urban = {code for z in zone_codes for code in zones[z]["urban_divisions"]}
    # A mistyped code would silently make a city division rural: refuse it instead.
    unknown = sorted(urban - set(division_codes))
    if unknown:
        raise ValueError(f"{folder / 'zones.toml'} names unknown division(s) {', '.join(unknown)}")
    return Hierarchy(
        rows=rows, zone_codes=zone_codes,
        zone_profiles=[ZoneProfile(**{k: v for k, v in zones[z].items() if k != "urban_divisions"})
                       for z in zone_codes],
        circle_codes=circle_codes,
        circle_zone=np.array([zone_of_circle[c] for c in circle_codes]),
        division_codes=division_codes,
        area_zone=np.array([zone_index[r["zone_code"]] for r in rows]),
        area_circle=np.array([circle_index[r["circle_code"]] for r in rows]),
        area_division=np.array([division_index[r["division_code"]] for r in rows]),
        area_urban=np.array([r["division_code"] in urban for r in rows], dtype=bool),
    )
