"""Database schema: one table per contract file, the load log, and the rollups the dashboard reads.

Money is stored as integer paise (exact sums, identical on SQLite and PostgreSQL); every
timestamp is naive Indian Standard Time with its IST calendar day stored beside it, because
every "day" in the product is an IST day and grouping on a stored column is cheap everywhere.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from lib.data.contract import MAX_CODE_LENGTH

metadata = MetaData()
CODE = MAX_CODE_LENGTH  # every code and id column (area, zone, ..., activity, txn, ticket, campaign)

# --- contract tables ---------------------------------------------------------------------

hierarchy = Table(
    "hierarchy",
    metadata,
    Column("area_code", String(CODE), primary_key=True),
    Column("zone_code", String(CODE), nullable=False, index=True),
    Column("zone_name", Text, nullable=False),
    Column("zone_name_hi", Text),
    Column("chief_engineer", Text, nullable=False),
    Column("chief_engineer_hi", Text),
    Column("circle_code", String(CODE), nullable=False, index=True),
    Column("circle_name", Text, nullable=False),
    Column("circle_name_hi", Text),
    Column("superintending_engineer", Text),
    Column("superintending_engineer_hi", Text),
    Column("division_code", String(CODE), nullable=False, index=True),
    Column("division_name", Text, nullable=False),
    Column("division_name_hi", Text),
    Column("executive_engineer", Text),
    Column("executive_engineer_hi", Text),
    Column("subdivision_code", String(CODE)),
    Column("subdivision_name", Text),
    Column("sdo", Text),
    Column("sdo_hi", Text),
    Column("area_name", Text, nullable=False),
    Column("area_name_hi", Text),
    Column("district", Text),
)

consumers = Table(
    "consumers",
    metadata,
    Column("account_no", String(20), primary_key=True),
    Column("area_code", String(CODE), ForeignKey("hierarchy.area_code"), nullable=False),
    Column("category", String(16), nullable=False),
    Column("meter_no", String(32)),
    Column("smart_meter_since", Date),
    Column("load_kw", Float),
    Column("amisp", Text),
    # covering one area's accounts (the account list reads no table rows for them)
    Index("ix_consumers_area_category", "area_code", "category", "account_no"),
)

balances = Table(
    "balances",
    metadata,
    # No foreign keys on the three big fact tables: the importer checks every reference under
    # its load lock, and per-row checks would halve PostgreSQL's bulk-load rate.
    Column("account_no", String(20), primary_key=True),
    Column("as_of", Date, primary_key=True),
    Column("balance_paise", BigInteger, nullable=False),
    # SQLite: rows stored in key order (a clustered table), so one account's history is one
    # B-tree walk: the account list's lookups and the rollup's reads by account range are
    # 2-6x faster, loads a quarter faster, and the file half the size. PostgreSQL ignores it.
    sqlite_with_rowid=False,
    # PostgreSQL: one partition per month (lib.data.partitions), created by the load that
    # first brings the month; old months are archived by dropping theirs (lib.data.retention).
    postgresql_partition_by="RANGE (as_of)",
)

# Each account's state at the end of the archived months (lib.data.retention): its latest
# snapshot before meta 'archived_before' and the sign of every archived day from meta
# 'archived_day0', so the rollups' day patterns and carried states need no archived row.
balance_carry = Table(
    "balance_carry",
    metadata,
    Column("account_no", String(20), primary_key=True),
    Column("balance_paise", BigInteger, nullable=False),
    Column("signs", Text, nullable=False),
)

activities = Table(
    "activities",
    metadata,
    Column("activity_id", String(CODE), primary_key=True),
    Column("account_no", String(20), nullable=False),
    Column("activity", String(16), nullable=False),
    Column("occurred_at", DateTime, nullable=False),
    Column("day", Date, nullable=False),
    Column("campaign_id", String(CODE)),
    Column("staff_id", String(CODE)),
    # covering the account list's "ever contacted / verified / downloaded" lookups
    Index("ix_activities_account", "account_no", "activity", "day"),
    Index("ix_activities_day", "day"),
)

recharges = Table(
    "recharges",
    metadata,
    Column("txn_id", String(CODE), primary_key=True),
    Column("account_no", String(20), nullable=False),
    Column("paid_at", DateTime, nullable=False),
    Column("day", Date, nullable=False),
    Column("amount_paise", BigInteger, nullable=False),
    Column("channel", String(16), nullable=False),
    Index("ix_recharges_account", "account_no"),
    Index("ix_recharges_day", "day"),
)

complaints = Table(
    "complaints",
    metadata,
    Column("ticket_id", String(CODE), primary_key=True),
    Column("area_code", String(CODE), ForeignKey("hierarchy.area_code"), nullable=False),
    Column("help_desk", Text, nullable=False),
    Column("help_desk_hi", Text),
    Column("opened_at", DateTime, nullable=False),
    Column("opened_day", Date, nullable=False),
    Column("resolved_at", DateTime),
    Column("resolved_day", Date),
    Column("resolution_seconds", BigInteger),
    Column("category", String(16), nullable=False),
    Index("ix_complaints_area", "area_code"),
    Index("ix_complaints_opened_day", "opened_day"),
    Index("ix_complaints_resolved_day", "resolved_day"),
)

campaigns = Table(
    "campaigns",
    metadata,
    Column("campaign_id", String(CODE), primary_key=True),
    Column("name", Text, nullable=False),
    Column("name_hi", Text),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date, nullable=False),
)

targets = Table(
    "targets",
    metadata,
    Column("campaign_id", String(CODE), ForeignKey("campaigns.campaign_id"), primary_key=True),
    Column("level", String(16), primary_key=True),
    Column("code", String(CODE), primary_key=True),
    Column("metric", String(32), primary_key=True),
    Column("target", BigInteger, nullable=False),
)

# --- bookkeeping -------------------------------------------------------------------------

loads = Table(
    "loads",
    metadata,
    Column("load_id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", DateTime, nullable=False),
    Column("finished_at", DateTime),
    Column("loaded_by", Text),
    Column("source", Text),
    Column("files", Text),  # JSON: [{"file", "kind", "rows", "accepted", "rejected", "duplicates"}]
    Column("status", String(16), nullable=False),  # loaded | rejected
    Column("rows_accepted", BigInteger, nullable=False, default=0),
    Column("rows_rejected", BigInteger, nullable=False, default=0),
    Column("message", Text),
)

# Who may see what: one row per person (or screen), replaced whole by each users load.
users = Table(
    "users",
    metadata,
    Column("email", String(254), primary_key=True),  # lower case
    Column("role", String(32), nullable=False),
    Column("scope_level", String(16), nullable=False),
    Column("scope_code", String(CODE)),  # NULL for the whole DISCOM
    Column("name", Text, nullable=False),
)

# Who did what and when: every load, export and brief (lib.data.audit).
audit = Table(
    "audit",
    metadata,
    Column("audit_id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False, index=True),  # IST
    Column("email", Text),  # the signed-in user; NULL in local mode
    Column("who", Text, nullable=False),  # name as listed, or the OS user in local mode / CLI
    Column("role", String(32)),
    Column("action", String(16), nullable=False),  # load | export | brief
    Column("detail", Text, nullable=False),
)

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# --- rollups (rebuilt by lib.data.rollups whenever a load lands) --------------------------------
# Keyed by area and category so every hierarchy level and category filter is a join with the
# small hierarchy table; an area moved to another division takes its history with it.

r_consumers = Table(
    "r_consumers",
    metadata,
    Column("area_code", String(CODE), primary_key=True),
    Column("category", String(16), primary_key=True),
    Column("n", BigInteger, nullable=False),
)

# Negative-balance accounts per day (latest snapshot carried forward), split by dues band.
r_balance_daily = Table(
    "r_balance_daily",
    metadata,
    Column("day", Date, primary_key=True),
    Column("area_code", String(CODE), primary_key=True),
    Column("category", String(16), primary_key=True),
    Column("band", Integer, primary_key=True),
    Column("n", BigInteger, nullable=False),
    Column("arrears_paise", BigInteger, nullable=False),
)

# Accounts negative on day d-1 whose latest snapshot on day d is >= 0.
r_cleared_daily = Table(
    "r_cleared_daily",
    metadata,
    Column("day", Date, primary_key=True),
    Column("area_code", String(CODE), primary_key=True),
    Column("category", String(16), primary_key=True),
    Column("n", BigInteger, nullable=False),
)

# Day-by-day sign of each account's latest snapshot, one character a day from meta
# 'balance_day0': N negative, P zero or positive, '.' no snapshot yet. Accounts sharing a
# pattern are counted together, so "negative at start" and "cleared" for any period are sums.
r_neg_pattern = Table(
    "r_neg_pattern",
    metadata,
    Column("area_code", String(CODE), primary_key=True),
    Column("category", String(16), primary_key=True),
    Column("pattern", String(4000), primary_key=True),
    Column("n", BigInteger, nullable=False),
)

# Distinct accounts with an activity on each day.
r_activity_daily = Table(
    "r_activity_daily",
    metadata,
    Column("day", Date, primary_key=True),
    Column("area_code", String(CODE), primary_key=True),
    Column("category", String(16), primary_key=True),
    Column("activity", String(16), primary_key=True),
    Column("n", BigInteger, nullable=False),
)

# Which days each account had an activity, one character a day from meta 'activity_day0'
# ('1' yes, '0' no): distinct accounts over any period or "ever up to d" are sums.
r_activity_pattern = Table(
    "r_activity_pattern",
    metadata,
    Column("area_code", String(CODE), primary_key=True),
    Column("category", String(16), primary_key=True),
    Column("activity", String(16), primary_key=True),
    Column("pattern", String(4000), primary_key=True),
    Column("n", BigInteger, nullable=False),
)

r_recharge_daily = Table(
    "r_recharge_daily",
    metadata,
    Column("day", Date, primary_key=True),
    Column("area_code", String(CODE), primary_key=True),
    Column("category", String(16), primary_key=True),
    Column("channel", String(16), primary_key=True),
    Column("n", BigInteger, nullable=False),
    Column("amount_paise", BigInteger, nullable=False),
)

ROLLUP_TABLES = (
    r_consumers,
    r_balance_daily,
    r_cleared_daily,
    r_neg_pattern,
    r_activity_daily,
    r_activity_pattern,
    r_recharge_daily,
)
