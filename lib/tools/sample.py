"""Deterministic sample data for PVVNL's February 2026 smart-meter awareness drive.

`generate` writes every contract file as CSV. The organisation (10 zones over PVVNL's 14
districts) is data: `data/pvvnl/hierarchy.csv` and `zones.toml`, read by lib.tools.sample_org.
Consumers are simulated in chunks (lib.tools.sample_sim) and streamed to disk, so a million
consumers take seconds and little memory. The same seed and arguments always give
byte-identical files.

The story the numbers tell: on 2026-02-01 about 80% of prepaid accounts are in arrears; from
02-02 to 02-07 field staff verify mobile numbers by OTP, install and teach the UPPCL Smart App
and visit negative-balance consumers; contacted consumers and app users recharge more (app
users mostly through the app), so some arrears are cleared. Zones differ in arrears, campaign
intensity and response, and the localities named in the news report get extra attention.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

import numpy as np

from lib.data.contract import (
    ACTIVITIES,
    CATEGORIES,
    CHANNELS,
    COMPLAINT_CATEGORIES,
    FILES,
    TARGET_METRICS,
)
from lib.tools.sample_org import Hierarchy
from lib.tools.sample_sim import (
    AMISPS,
    CAMPAIGN_DAYS,
    CAMPAIGN_END,
    CAMPAIGN_START,
    FIRST_DAY,
    Chunk,
    Consumers,
    Setup,
    daytime,
    pick,
    setup,
    simulate,
)

CAMPAIGN_ID = "SMAD-2026-02"
CAMPAIGN_NAME = "Smart Meter Consumer Awareness Drive"
CAMPAIGN_NAME_HI = "स्मार्ट मीटर उपभोक्ता जागरूकता अभियान"
CHUNK = 100_000  # consumers simulated and written at a time: bounds memory at any size
METER_PREFIX = {"Genus": "GNS", "Intellismart": "ISL", "Polaris": "PLR", "Apraava": "APR"}
MAHAVIR_CHOWK_DESK, MAHAVIR_CHOWK_DESK_HI = "Mahavir Chowk help desk", "महावीर चौक हेल्प डेस्क"
COMPLAINTS_PER_CONSUMER_DAY = 1 / (350 * 8)  # about one ticket per 300 consumers in 8 days
COMPLAINT_MIX = np.array([0.28, 0.22, 0.20, 0.08, 0.15, 0.07])  # COMPLAINT_CATEGORIES order
COMPLAINT_MIX_CAMPAIGN = np.array([0.30, 0.17, 0.15, 0.21, 0.10, 0.07])


# --- fast CSV writing ------------------------------------------------------------------------
# Each column is an (n, width) uint8 matrix of ASCII/UTF-8 bytes where NUL bytes are padding;
# a block of rows is the columns side by side with separators, minus the NULs. This formats
# millions of rows in well under a second, with no Python object per value.


def _text(values: np.ndarray) -> np.ndarray:
    """Byte matrix of a bytes ('S') array; shorter values are NUL-padded."""
    values = np.ascontiguousarray(values)
    return values.view(np.uint8).reshape(len(values), values.dtype.itemsize)


def _lookup(strings: Iterable[str]) -> np.ndarray:
    """A bytes array of UTF-8 strings, to be indexed by integer codes and passed to _text."""
    return np.array([s.encode() for s in strings], dtype=bytes)


def _digits(values: np.ndarray, width: int, pad: bool = True) -> np.ndarray:
    """ASCII digits of non-negative integers; without pad, leading zeros become NUL."""
    values = np.asarray(values, dtype=np.int64)[:, None]
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    out = ((values // powers) % 10 + 48).astype(np.uint8)
    if not pad:
        out[(values < powers) & (powers > 1)] = 0
    return out


def _const(n: int, text: str) -> np.ndarray:
    """The same text on n rows."""
    return np.tile(np.frombuffer(text.encode(), dtype=np.uint8), (n, 1))


def _money(paise: np.ndarray) -> np.ndarray:
    """Rupees with two decimals and a leading minus when negative (e.g. -1234.50)."""
    paise = np.asarray(paise, dtype=np.int64)
    sign = np.where(paise < 0, ord("-"), 0).astype(np.uint8)[:, None]
    absolute = np.abs(paise)
    return np.hstack([sign, _digits(absolute // 100, 10, pad=False), _const(len(paise), "."),
                      _digits(absolute % 100, 2)])


def _timestamp(dates: np.ndarray, day: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    """ISO timestamps without offset (IST): date lookup by day index plus HH:MM:SS."""
    n = len(day)
    return np.hstack([_text(dates[day]), _const(n, "T"), _digits(seconds // 3600, 2),
                      _const(n, ":"), _digits(seconds // 60 % 60, 2), _const(n, ":"),
                      _digits(seconds % 60, 2)])


def _write_rows(fh: BinaryIO, columns: Sequence[np.ndarray]) -> int:
    """Append rows made of byte-matrix columns as CSV lines; return the number of rows."""
    n = columns[0].shape[0]
    if n == 0:
        return 0
    parts: list[np.ndarray] = []
    for i, column in enumerate(columns):
        parts.append(column)
        parts.append(_const(n, "," if i < len(columns) - 1 else "\n"))
    block = np.hstack(parts)
    fh.write(block[block != 0].tobytes())
    return n


def _write_small(path: Path, name: str, rows: list[dict[str, object]]) -> int:
    """Write a small file with the csv module (quotes values holding commas)."""
    columns = FILES[name].columns
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(c, "") for c in columns])
    return len(rows)


def _consumer_columns(c: Consumers, h: Hierarchy) -> list[np.ndarray]:
    """The consumers file's columns for one chunk, as byte matrices."""
    n = len(c.account)
    return [
        _digits(c.account, 10),
        _text(_lookup(h.area_codes)[c.area]),
        _text(_lookup(CATEGORIES)[c.category]),
        np.hstack([_text(_lookup(METER_PREFIX[a] for a in AMISPS)[c.amisp]),
                   _digits(c.meter_serial, 8)]),
        _text(_lookup((date(2023, 1, 1) + timedelta(d)).isoformat() for d in range(1096))[c.since]),
        np.hstack([_digits(c.load_tenths // 10, 3, pad=False), _const(n, "."),
                   _digits(c.load_tenths % 10, 1)]),
        _text(_lookup(AMISPS)[c.amisp]),
    ]


def _write_chunk(chunk: Chunk, s: Setup, days: int, files: dict[str, BinaryIO],
                 counters: dict[str, int]) -> None:
    """Append one chunk's consumers, balances, activities and recharges to the open files."""
    h = s.hierarchy
    c = chunk.consumers
    dates = _lookup((FIRST_DAY + timedelta(d)).isoformat() for d in range(s.sim_days))
    n = len(c.account)
    counters["consumers"] += _write_rows(files["consumers"], _consumer_columns(c, h))

    # One row per account and day, account by account.
    account = np.repeat(c.account, days)
    day = np.tile(np.arange(days), n)
    counters["balances"] += _write_rows(files["balances"], [
        _digits(account, 10), _text(dates[day]), _money(chunk.balances[:, :days].ravel())])

    a = chunk.activities
    keep = np.flatnonzero(a["day"] < days)
    keep = keep[np.lexsort((a["second"][keep], a["day"][keep], a["consumer"][keep]))]
    who = a["consumer"][keep]
    ids = counters["activities"] + 1 + np.arange(len(keep))
    consumer_division = h.area_division[c.area]
    counters["activities"] += _write_rows(files["activities"], [
        np.hstack([_const(len(keep), "ACT"), _digits(ids, 10)]),
        _digits(c.account[who], 10),
        _text(_lookup(ACTIVITIES)[a["kind"][keep]]),
        _timestamp(dates, a["day"][keep], a["second"][keep]),
        _const(len(keep), CAMPAIGN_ID),
        np.hstack([_text(_lookup(h.division_codes)[consumer_division[who]]),
                   _const(len(keep), "-FS"), _digits(a["staff"][keep], 2)]),
    ])

    r = chunk.recharges
    keep = np.flatnonzero(r["day"] < days)
    keep = keep[np.lexsort((r["consumer"][keep], r["second"][keep], r["day"][keep]))]
    ids = counters["recharges"] + 1 + np.arange(len(keep))
    counters["recharges"] += _write_rows(files["recharges"], [
        np.hstack([_const(len(keep), "TXN"), _digits(ids, 10)]),
        _digits(c.account[r["consumer"][keep]], 10),
        _timestamp(dates, r["day"][keep], r["second"][keep]),
        _money(r["paise"][keep]),
        _text(_lookup(CHANNELS)[r["channel"][keep]]),
    ])


# --- targets and complaints ----------------------------------------------------------------


def _nice(value: float) -> int:
    """Round a target the way an office would: to 10s, 5s or units by size."""
    step = 10 if value >= 500 else 5 if value >= 100 else 1
    return max(1, int(round(value / step)) * step)


def _targets(s: Setup, actuals: np.ndarray) -> list[dict[str, object]]:
    """Circle targets sized from the campaign's results and the zone's achievement; zone = sum."""
    h = s.hierarchy
    rng = np.random.default_rng([s.seed, 3])
    achievement = np.array([p.achievement for p in h.zone_profiles])[h.circle_zone]
    circle_targets = np.zeros_like(actuals)
    for m in range(len(TARGET_METRICS)):
        wobble = rng.uniform(0.93, 1.07, len(h.circle_codes))
        circle_targets[m] = [_nice(v) for v in actuals[m] / (achievement * wobble)]
    rows: list[dict[str, object]] = []
    for z, zone in enumerate(h.zone_codes):
        for m, metric in enumerate(TARGET_METRICS):
            rows.append({"campaign_id": CAMPAIGN_ID, "level": "zone", "code": zone,
                         "metric": metric, "target": int(circle_targets[m, h.circle_zone == z].sum())})
    for c, circle in enumerate(h.circle_codes):
        for m, metric in enumerate(TARGET_METRICS):
            rows.append({"campaign_id": CAMPAIGN_ID, "level": "circle", "code": circle,
                         "metric": metric, "target": int(circle_targets[m, c])})
    return rows


def _desk_hours(moment: datetime, into_morning: int) -> datetime:
    """Move a closure outside desk hours (08:00-20:00) to the next morning."""
    if 8 <= moment.hour < 20:
        return moment
    morning = moment.replace(hour=8, minute=0, second=0)
    if moment.hour >= 20:
        morning += timedelta(days=1)
    return morning + timedelta(seconds=into_morning)


def _complaints(s: Setup, area_counts: np.ndarray, days: int) -> list[dict[str, object]]:
    """Help-desk tickets per area and day, most resolved within hours, a few left open."""
    h = s.hierarchy
    rng = np.random.default_rng([s.seed, 2])
    campaign = np.isin(np.arange(days), np.array(CAMPAIGN_DAYS))
    # Help desks see more walk-ins (and app questions) while the drive is on.
    rate = area_counts[:, None] * COMPLAINTS_PER_CONSUMER_DAY * np.where(campaign, 1.3, 0.8)
    # The Mahavir Chowk desk (inspected by the Director) is busy every day of the drive.
    mahavir = np.array([r["area_name"] == "Mahavir Chowk" for r in h.rows])
    rate[mahavir] *= np.where(campaign, 3.0, 1.0)
    per_area_day = rng.poisson(rate)
    busy = mahavir[:, None] & campaign[None, :] & (area_counts[:, None] > 0)
    per_area_day[busy] = np.maximum(per_area_day[busy], 1)
    area, day = np.nonzero(per_area_day)
    repeat = per_area_day[area, day]
    area, day = np.repeat(area, repeat), np.repeat(day, repeat)
    n = len(area)
    second = daytime(rng, n, 8.0, 20.0)
    category = np.where(campaign[day], pick(rng, COMPLAINT_MIX_CAMPAIGN, n),
                        pick(rng, COMPLAINT_MIX, n))
    hours = np.minimum(rng.lognormal(np.log(5.0), 1.1, n), 120.0)
    stuck = rng.random(n) < 0.04
    late = rng.integers(0, 7200, n)  # how long into the next morning a late closure lands
    order = np.lexsort((area, second, day))
    start = datetime.combine(FIRST_DAY, datetime.min.time())
    end = start + timedelta(days=days)  # data extracted at the end of the last day
    rows: list[dict[str, object]] = []
    for k, i in enumerate(order, 1):
        row = h.rows[area[i]]
        opened = start + timedelta(days=int(day[i]), seconds=int(second[i]))
        resolved = _desk_hours(opened + timedelta(seconds=max(600, int(hours[i] * 3600))),
                               int(late[i]))
        desk, desk_hi = ((MAHAVIR_CHOWK_DESK, MAHAVIR_CHOWK_DESK_HI)
                         if row["area_name"] == "Mahavir Chowk" else
                         (f"{row['division_name']} division office help desk",
                          f"{row['division_name_hi']} खंड कार्यालय हेल्प डेस्क"))
        rows.append({
            "ticket_id": f"TKT{k:08d}", "area_code": row["area_code"], "help_desk": desk,
            "help_desk_hi": desk_hi,
            "opened_at": opened.isoformat(),
            "resolved_at": "" if stuck[i] or resolved >= end else resolved.isoformat(),
            "category": COMPLAINT_CATEGORIES[category[i]],
        })
    return rows


# --- entry point ---------------------------------------------------------------------------


def generate(out: Path, consumers: int = 20_000, seed: int = 1, days: int = 8,
             progress: Callable[[float, str], None] | None = None) -> dict[str, int]:
    """Write contract CSVs (hierarchy, campaigns, targets, consumers, balances, activities, recharges, complaints) to `out`; return rows written per file."""
    if consumers < 0 or days < 1:
        raise ValueError("consumers must be >= 0 and days >= 1")
    report = progress or (lambda fraction, message: None)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    # Simulate at least through the campaign so targets do not depend on `days`.
    s = setup(seed % 2**63, max(days, CAMPAIGN_DAYS[-1] + 1))
    h = s.hierarchy
    # Write to .part files and rename at the end: a crash never leaves a half sample behind.
    # No users file: the sample runs in local mode (data/pvvnl/users.example.csv is one to try).
    part = {name: out / f"{name}.csv.part" for name in FILES if name != "users"}
    counts = {name: 0 for name in ("hierarchy", "campaigns", "targets", "consumers",
                                   "balances", "activities", "recharges", "complaints")}
    report(0.0, "hierarchy and campaign")
    counts["hierarchy"] = _write_small(part["hierarchy"], "hierarchy", h.rows)
    counts["campaigns"] = _write_small(part["campaigns"], "campaigns", [{
        "campaign_id": CAMPAIGN_ID, "name": CAMPAIGN_NAME, "name_hi": CAMPAIGN_NAME_HI,
        "start_date": CAMPAIGN_START.isoformat(), "end_date": CAMPAIGN_END.isoformat()}])

    streamed = ("consumers", "balances", "activities", "recharges")
    actuals = np.zeros((len(TARGET_METRICS), len(h.circle_codes)), dtype=np.int64)
    area_counts = np.zeros(len(h.rows), dtype=np.int64)
    files = {name: part[name].open("wb") for name in streamed}
    try:
        for name, fh in files.items():
            fh.write((",".join(FILES[name].columns) + "\n").encode())
        for chunk_no, first in enumerate(range(0, consumers, CHUNK)):
            chunk = simulate(s, chunk_no, first, min(CHUNK, consumers - first))
            _write_chunk(chunk, s, days, files, counts)
            actuals += chunk.circle_actuals
            area_counts += chunk.area_counts
            done = first + len(chunk.consumers.account)
            report(0.95 * done / consumers, f"consumers {done:,} of {consumers:,}")
    finally:
        for fh in files.values():
            fh.close()

    report(0.96, "targets and complaints")
    counts["targets"] = _write_small(part["targets"], "targets", _targets(s, actuals))
    counts["complaints"] = _write_small(part["complaints"], "complaints",
                                        _complaints(s, area_counts, days))
    for name in sorted(part, key=lambda n: n == "consumers"):  # consumers.csv last
        part[name].replace(out / f"{name}.csv")
    report(1.0, "done")
    return counts
