"""The data contract as data: files, columns, keys, vocabularies and dues bands.

One source of truth for the importer, the sample generator, the metrics and the labels;
see docs/data-contract.md for the prose.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

CATEGORIES = ("domestic", "commercial", "industrial", "institutional", "agricultural", "other")
ACTIVITIES = ("otp_verified", "app_downloaded", "app_trained", "contacted")
CHANNELS = ("smart_app", "upi", "counter", "bank", "other")
COMPLAINT_CATEGORIES = ("recharge", "billing", "meter", "app", "supply", "other")
TARGET_METRICS = ("otp_verified", "app_downloaded", "negative_cleared")
LEVELS = ("zone", "circle", "division", "area")
# Who may see what (the users file): a role and the unit it covers. The role fixes the level,
# except for a viewer (a meeting-room screen or a guest), whose scope may be any unit.
ROLES = ("director", "chief_engineer", "circle_engineer", "division_engineer", "viewer")
SCOPE_LEVELS = ("discom",) + LEVELS
ROLE_LEVEL = {"director": "discom", "chief_engineer": "zone", "circle_engineer": "circle",
              "division_engineer": "division", "viewer": None}

# Plausible values: the importer refuses a date or timestamp (its IST day) outside
# [EARLIEST_DATE, today + LATEST_DAYS_AHEAD], text longer than MAX_TEXT_LENGTH characters and
# codes and ids longer than MAX_CODE_LENGTH. The one code length is used everywhere: the
# schema's code columns, the importer's check, and the notices that quote an ignored value
# (lib.view.safe.quoted, the display's foot line), so a valid code is always quoted whole.
EARLIEST_DATE = date(2015, 1, 1)
LATEST_DAYS_AHEAD = 1
MAX_TEXT_LENGTH = 200
MAX_CODE_LENGTH = 40


def now_ist() -> datetime:
    """The current time as a naive IST datetime (how every timestamp is stored)."""
    return datetime.now(ZoneInfo("Asia/Kolkata")).replace(tzinfo=None)


def date_window(today: date | None = None) -> tuple[date, date]:
    """The first and last day a contract date or timestamp may fall on (inclusive)."""
    today = today or datetime.now(ZoneInfo("Asia/Kolkata")).date()
    return EARLIEST_DATE, today + timedelta(days=LATEST_DAYS_AHEAD)


# Dues bands by arrears in paise: (band number, lower bound exclusive, upper bound inclusive).
# "up to ₹1,000" includes ₹1,000.00; ₹1,000.01 falls in the second band, and so on.
DUES_BANDS = (
    (1, 0, 1_000_00),
    (2, 1_000_00, 5_000_00),
    (3, 5_000_00, 25_000_00),
    (4, 25_000_00, 1_00_000_00),
    (5, 1_00_000_00, None),
)


@dataclass(frozen=True)
class FileSpec:
    """One contract file: its columns (required first), key, and column kinds."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    key: tuple[str, ...]
    kinds: dict[str, str]  # column -> text | code | account | email | date | timestamp | amount | number | int | vocab:<name>
    replaces: bool = False  # a load of this file replaces the table whole (rows it lacks go)

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


FILES: dict[str, FileSpec] = {
    "hierarchy": FileSpec(
        "hierarchy",
        required=("zone_code", "zone_name", "chief_engineer", "circle_code", "circle_name",
                  "division_code", "division_name", "area_code", "area_name"),
        # zone/circle/division_name_hi and the officers' Hindi names are this product's
        # optional extension (docs/data-contract.md).
        optional=("superintending_engineer", "executive_engineer", "subdivision_code",
                  "subdivision_name", "sdo", "area_name_hi", "district",
                  "zone_name_hi", "circle_name_hi", "division_name_hi", "chief_engineer_hi",
                  "superintending_engineer_hi", "executive_engineer_hi", "sdo_hi"),
        key=("area_code",),
        kinds={"zone_code": "code", "circle_code": "code", "division_code": "code",
               "area_code": "code", "subdivision_code": "code"},
    ),
    "consumers": FileSpec(
        "consumers",
        required=("account_no", "area_code", "category"),
        optional=("meter_no", "smart_meter_since", "load_kw", "amisp"),
        key=("account_no",),
        kinds={"account_no": "account", "area_code": "code", "category": "vocab:category",
               "smart_meter_since": "date", "load_kw": "number"},
    ),
    "balances": FileSpec(
        "balances",
        required=("account_no", "as_of", "balance_inr"),
        optional=(),
        key=("account_no", "as_of"),
        kinds={"account_no": "account", "as_of": "date", "balance_inr": "amount"},
    ),
    "activities": FileSpec(
        "activities",
        required=("activity_id", "account_no", "activity", "occurred_at"),
        optional=("campaign_id", "staff_id"),
        key=("activity_id",),
        kinds={"activity_id": "code", "account_no": "account", "activity": "vocab:activity",
               "occurred_at": "timestamp"},
    ),
    "recharges": FileSpec(
        "recharges",
        required=("txn_id", "account_no", "paid_at", "amount_inr", "channel"),
        optional=(),
        key=("txn_id",),
        kinds={"txn_id": "code", "account_no": "account", "paid_at": "timestamp",
               "amount_inr": "amount", "channel": "vocab:channel"},
    ),
    "complaints": FileSpec(
        "complaints",
        required=("ticket_id", "area_code", "help_desk", "opened_at", "category"),
        optional=("resolved_at", "help_desk_hi"),  # help_desk_hi: our extension
        key=("ticket_id",),
        kinds={"ticket_id": "code", "area_code": "code", "opened_at": "timestamp",
               "resolved_at": "timestamp", "category": "vocab:complaint_category"},
    ),
    "campaigns": FileSpec(
        "campaigns",
        required=("campaign_id", "name", "start_date", "end_date"),
        optional=("name_hi",),
        key=("campaign_id",),
        kinds={"campaign_id": "code", "start_date": "date", "end_date": "date"},
    ),
    "targets": FileSpec(
        "targets",
        required=("campaign_id", "level", "code", "metric", "target"),
        optional=(),
        key=("campaign_id", "level", "code", "metric"),
        kinds={"campaign_id": "code", "level": "vocab:level", "code": "code",
               "metric": "vocab:target_metric", "target": "int"},
    ),
    "users": FileSpec(
        "users",
        required=("email", "role", "scope_level", "scope_code", "name"),
        optional=(),
        key=("email",),
        kinds={"email": "email", "role": "vocab:role", "scope_level": "vocab:scope_level",
               "scope_code": "code"},
        replaces=True,
    ),
}

# Columns that must be present in the header but may be empty (scope_code for a discom scope).
MAY_BE_EMPTY = {("users", "scope_code")}

# Files in the order a load applies them: referenced before referencing.
LOAD_ORDER = ("hierarchy", "users", "campaigns", "consumers", "targets", "balances",
              "activities", "recharges", "complaints")

VOCABULARIES = {
    "category": CATEGORIES,
    "activity": ACTIVITIES,
    "channel": CHANNELS,
    "complaint_category": COMPLAINT_CATEGORIES,
    "target_metric": TARGET_METRICS,
    "level": LEVELS,
    "role": ROLES,
    "scope_level": SCOPE_LEVELS,
}


def dues_band(arrears_paise: int) -> int:
    """Return the dues band (1-5) of a positive arrears amount in paise."""
    for band, low, high in DUES_BANDS:
        if arrears_paise > low and (high is None or arrears_paise <= high):
            return band
    raise ValueError(f"arrears must be positive, got {arrears_paise}")
