"""A small hand-made dataset whose every figure was worked out by hand (see EXPECTED).

Shared by the metrics tests, the AppTests and the browser tests. Values deliberately use the
contract's variety: sparse snapshots (carry-forward), day-first dates, ₹ amounts in Indian
grouping, UTC offsets, Hindi names and account numbers with leading zeros.
"""

from __future__ import annotations

import csv
from pathlib import Path

HIERARCHY = [
    # zone, zone name, CE, circle, circle name, division, division name, area, name, name_hi
    ("Z1", "Meerut Zone-I", "Munish Chopra", "C1", "Meerut Circle-I", "D1", "Meerut Division-I",
     "A1", "Ganganagar", "गंगानगर"),
    ("Z1", "Meerut Zone-I", "Munish Chopra", "C1", "Meerut Circle-I", "D1", "Meerut Division-I",
     "A2", "Shastri Nagar", "शास्त्री नगर"),
    ("Z1", "Meerut Zone-I", "Munish Chopra", "C1", "Meerut Circle-I", "D2", "Meerut Division-II",
     "A3", "Begum Bridge", "बेगम ब्रिज"),
    ("Z2", "Meerut Zone-II", "Gurjeet Singh", "C2", "Meerut Circle-II", "D3", "Meerut Division-III",
     "A4", "Kazipur", "काजीपुर"),
]
ZONE_HI = {"Z1": "मेरठ ज़ोन-प्रथम", "Z2": "मेरठ ज़ोन-द्वितीय"}

CONSUMERS = [
    ("0000000001", "A1", "domestic"), ("0000000002", "A1", "domestic"),
    ("0000000003", "A1", "commercial"), ("0000000004", "A2", "domestic"),
    ("0000000005", "A2", "Domestic"), ("0000000006", "A3", "commercial"),
    ("0000000007", "A3", "domestic"), ("0000000008", "A4", "domestic"),
    ("0000000009", "A4", "domestic"), ("0000000010", "A4", "industrial"),
]

# Meter numbers of some consumers (the column is optional; a leading zero must survive).
METERS = {"0000000002": "0071234567", "0000000003": "SM-A1-003", "0000000008": "SM-A4-008"}

BALANCES = [  # account, as_of, balance
    ("0000000001", "2026-02-01", "-500"), ("0000000001", "03-02-2026", "100.00"),
    ("0000000002", "2026-02-01", "-₹1,500"), ("0000000002", "04/02/2026", "-1200"),
    ("0000000003", "2026-02-01", "-30,000.00"),
    ("0000000004", "2026-02-01", "50"), ("0000000004", "2026-02-02", "-20"),
    ("0000000006", "2026-02-01", "₹-1,50,000.50"), ("0000000006", "2026-02-04", "0"),
    ("0000000007", "2026-02-02", "-1000"),
    ("0000000008", "2026-02-01", "-6000"), ("0000000008", "2026-02-02", "-5,000.00"),
    ("0000000009", "2026-02-01", "-200"), ("0000000009", "2026-02-04", "10"),
    ("0000000010", "2026-02-01", "100"),
]

ACTIVITIES = [  # id, account, activity, occurred_at
    ("a1", "0000000001", "otp_verified", "2026-02-02T10:00:00"),
    ("a2", "0000000001", "OTP_VERIFIED", "2026-02-03 11:00"),
    ("a3", "0000000002", "otp_verified", "2026-02-01T23:00:00"),
    ("a4", "0000000004", "otp_verified", "2026-02-03T20:00:00Z"),  # 04 Feb 01:30 IST
    ("a5", "0000000008", "otp_verified", "2026-02-04T23:59:00+05:30"),
    ("a6", "0000000009", "otp_verified", "2026-02-05T09:00:00"),
    ("a7", "0000000001", "app_downloaded", "2026-02-02T12:00:00"),
    ("a8", "0000000008", "app_downloaded", "2026-02-03T12:00:00"),
    ("a9", "0000000001", "app_trained", "2026-02-02T12:30:00"),
    ("a10", "0000000002", "contacted", "2026-02-02T09:00:00"),
    ("a11", "0000000003", "contacted", "2026-02-03T09:00:00"),
    ("a12", "0000000006", "contacted", "2026-02-04T09:00:00"),
    ("a13", "0000000010", "app_downloaded", "2026-01-31T10:00:00"),
]

RECHARGES = [  # txn, account, paid_at, amount, channel
    ("r1", "0000000001", "2026-02-03T10:00:00", "600.00", "smart_app"),
    ("r2", "0000000006", "2026-02-04T10:00:00", "₹1,50,000.50", "counter"),
    ("r3", "0000000009", "2026-02-04T08:00:00", "210", "UPI"),
    ("r4", "0000000002", "2026-02-01T10:00:00", "300", "upi"),
    ("r5", "0000000008", "2026-02-02T18:30:00Z", "1,000", "smart_app"),  # 03 Feb 00:00 IST
]

COMPLAINTS = [  # ticket, area, desk, opened, resolved, category
    ("c1", "A1", "Ganganagar help desk", "2026-02-01T10:00:00", "2026-02-02T10:00:00", "recharge"),
    ("c2", "A1", "Ganganagar help desk", "2026-02-02T09:00:00", "2026-02-02T11:00:00", "app"),
    ("c3", "A2", "Ganganagar help desk", "2026-02-03T09:00:00", "", "billing"),
    ("c4", "A4", "Kazipur help desk", "2026-02-04T10:00:00", "2026-02-05T10:00:00", "meter"),
    ("c5", "A4", "Kazipur help desk", "2026-02-02T08:00:00", "2026-02-04T14:00:00", "recharge"),
    ("c6", "A3", "Ganganagar help desk", "2026-01-30T10:00:00", "2026-02-01T12:00:00", "supply"),
]

# Optional Hindi names (write_hindi_officers): Z1's chief engineer and the Ganganagar desk have
# them; Z2's engineer and the Kazipur desk do not. The Ganganagar desk's latest complaint with a
# Hindi name (c2, 02 Feb) names it; c6 (30 Jan) has an older name.
CHIEF_HI = {"Z1": "मुनीश चोपड़ा"}
DESK_HI = {"c2": "गंगानगर हेल्प डेस्क", "c6": "गंगानगर शिकायत केंद्र"}

CAMPAIGNS = [("CAMP1", "Smart Meter Consumer Awareness Drive", "स्मार्ट मीटर उपभोक्ता जागरूकता अभियान",
              "02-02-2026", "2026-02-04")]

TARGETS = [  # campaign, level, code, metric, target
    ("CAMP1", "zone", "Z1", "otp_verified", "10"),
    ("CAMP1", "zone", "Z2", "otp_verified", "5"),
    ("CAMP1", "circle", "C1", "otp_verified", "8"),
    ("CAMP1", "area", "A4", "otp_verified", "2"),
    ("CAMP1", "zone", "Z1", "negative_cleared", "4"),
    ("CAMP1", "zone", "Z2", "negative_cleared", "2"),
]

PERIOD = ("2026-02-02", "2026-02-04")

# Worked out by hand from the rows above for PERIOD, whole DISCOM.
EXPECTED = {
    "consumers": 10,
    "negative_balance": 5,          # accounts 2, 3, 4, 7, 8 on 04 Feb
    "arrears_inr": 37220.0,         # 1200 + 30000 + 20 + 1000 + 5000
    "negative_at_start": 6,         # accounts 1, 2, 3, 6, 8, 9 on 01 Feb
    "negative_cleared": 3,          # accounts 1 (100), 6 (0), 9 (10)
    "otp_verified": 3,              # accounts 1 (twice), 4 (UTC->IST 04 Feb), 8
    "app_downloaded": 2,            # accounts 1, 8
    "app_trained": 1,
    "contacted": 3,                 # accounts 2, 3, 6
    "verification_coverage": 0.4,   # ever verified by 04 Feb: 1, 2, 4, 8 of 10
    "app_coverage": 0.3,            # ever downloaded: 1, 8, 10 of 10
    "recharge_count": 4,            # r1, r2, r3, r5
    "recharge_inr": 151810.5,
    "app_recharge_share": 1600 / 151810.5,
    "complaints_received": 4,       # c2, c3, c4, c5
    "complaints_resolved": 3,       # c1, c2, c5
    "complaints_open": 2,           # c3, c4 (resolved on 05 Feb)
    "resolution_hours_median": 24.0,  # of 24, 2, 54
}

# Zone Z1, domestic consumers only (complaints ignore the category filter).
EXPECTED_Z1_DOMESTIC = {
    "consumers": 5,                 # 1, 2, 4, 5, 7
    "negative_balance": 3,          # 2, 4, 7
    "arrears_inr": 2220.0,
    "negative_at_start": 2,         # 1, 2
    "negative_cleared": 1,          # 1
    "otp_verified": 2,              # 1, 4
    "app_downloaded": 1,
    "app_trained": 1,
    "contacted": 1,                 # 2
    "verification_coverage": 0.6,   # 1, 2, 4 of 5
    "app_coverage": 0.2,
    "recharge_count": 1,            # r1
    "recharge_inr": 600.0,
    "app_recharge_share": 1.0,
    "complaints_received": 2,       # c2, c3
    "complaints_resolved": 2,       # c1, c2
    "complaints_open": 1,           # c3
    "resolution_hours_median": 13.0,  # of 24, 2
}


def write_fixture(folder: Path) -> Path:
    """Write the hand-made dataset as contract CSVs into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder / "hierarchy.csv",
           ["zone_code", "zone_name", "zone_name_hi", "chief_engineer", "circle_code",
            "circle_name", "division_code", "division_name", "area_code", "area_name",
            "area_name_hi", "district"],
           [(z, zn, ZONE_HI[z], ce, c, cn, d, dn, a, an, ahi, "Meerut")
            for z, zn, ce, c, cn, d, dn, a, an, ahi in HIERARCHY])
    _write(folder / "consumers.csv", ["account_no", "area_code", "category", "meter_no"],
           [(*row, METERS.get(row[0], "")) for row in CONSUMERS])
    _write(folder / "balances.csv", ["account_no", "as_of", "balance_inr"], BALANCES)
    _write(folder / "activities.csv", ["activity_id", "account_no", "activity", "occurred_at"],
           ACTIVITIES)
    _write(folder / "recharges.csv", ["txn_id", "account_no", "paid_at", "amount_inr", "channel"],
           RECHARGES)
    _write(folder / "complaints.csv",
           ["ticket_id", "area_code", "help_desk", "opened_at", "resolved_at", "category"],
           COMPLAINTS)
    _write(folder / "campaigns.csv", ["campaign_id", "name", "name_hi", "start_date", "end_date"],
           CAMPAIGNS)
    _write(folder / "targets.csv", ["campaign_id", "level", "code", "metric", "target"], TARGETS)
    return folder


def write_hindi_officers(folder: Path) -> Path:
    """The fixture with the optional Hindi names of chief engineers and help desks (CHIEF_HI,
    DESK_HI; the others have none, so pages fall back to English); returns the folder."""
    write_fixture(folder)
    rewrite(folder / "hierarchy.csv",
            lambda r: {**r, "chief_engineer_hi": CHIEF_HI.get(r["zone_code"], "")})
    rewrite(folder / "complaints.csv",
            lambda r: {**r, "help_desk_hi": DESK_HI.get(r["ticket_id"], "")})
    return folder


def rewrite(path: Path, change) -> None:
    """Rewrite a fixture CSV row by row (``change`` maps a row dict to its new dict)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = [change(r) for r in csv.DictReader(fh)]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _write(path: Path, header: list[str], rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
