"""Checking a staged load in SQL, file by file in load order: keys repeated within the load
(exact repeats counted once, conflicting ones all invalid), then references to parents already
loaded or staged; what fails is reported and flagged ``bad``."""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Index,
    Integer,
    Table,
    and_,
    case,
    delete,
    distinct,
    exists,
    func,
    insert,
    not_,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Connection, Row
from sqlalchemy.exc import IntegrityError

from lib.data.contract import FILES, LEVELS, LOAD_ORDER
from lib.data.load_files import FileState
from lib.data.load_report import Problems, ProgressFn, reason_frame
from lib.data.load_staging import analyze
from lib.data.reasons import Reason
from lib.data.schema import metadata

# (column, parent file, parent column, the reason's code)
REFERENCES = {
    "consumers": [("area_code", "hierarchy", "area_code", "unknown_area")],
    "complaints": [("area_code", "hierarchy", "area_code", "unknown_area")],
    "balances": [("account_no", "consumers", "account_no", "unknown_account")],
    "activities": [("account_no", "consumers", "account_no", "unknown_account")],
    "recharges": [("account_no", "consumers", "account_no", "unknown_account")],
    "targets": [("campaign_id", "campaigns", "campaign_id", "unknown_campaign")],
}
# Files naming a unit by (level column, code column): the code must be one of that level.
UNIT_REFERENCES = {"targets": ("level", "code"), "users": ("scope_level", "scope_code")}


def check_all(conn: Connection, staged: list[FileState], files: list[FileState],
              problems: Problems, warnings: list[str], *, skip_invalid: bool,
              progress: ProgressFn) -> None:
    """Keys, then references, file by file in load order (parents before children)."""
    by_kind = {fs.kind: fs for fs in staged}
    broken = {fs.kind for fs in files if fs not in staged}
    for i, fs in enumerate(staged):
        progress(0.8 + 0.1 * i / len(staged), f"checking {fs.name}")
        analyze(conn, fs.stage)
        if not _index_keys(conn, fs.stage, FILES[fs.kind].key):
            _check_keys(conn, fs, problems, warnings)
        for col, parent, parent_col, code in REFERENCES.get(fs.kind, []):
            if parent in broken:
                continue  # its file already failed; every row would just repeat that
            parent_stage = by_kind[parent].stage if parent in by_kind else None
            if col == FILES[fs.kind].key[0] and not _any_unknown(conn, fs.stage, col, parent,
                                                                 parent_col, parent_stage):
                continue
            unknown = _unknown(fs.stage.c[col], parent, parent_col, parent_stage)
            said = Reason(code)  # one object for every row it concerns
            _reject_where(conn, fs, problems, unknown, col, lambda _row, said=said: said)
        if fs.kind in UNIT_REFERENCES and "hierarchy" not in broken:
            parent_stage = by_kind["hierarchy"].stage if "hierarchy" in by_kind else None
            level, code = UNIT_REFERENCES[fs.kind]
            _reject_where(conn, fs, problems,
                          _unknown_unit(fs.stage, parent_stage, level, code), code,
                          lambda row, level=level: Reason("unknown_unit",
                                                          level=row._mapping[level]),
                          also=(level,))
        if skip_invalid and conn.execute(
                delete(fs.stage).where(fs.stage.c.bad == 1)).rowcount:
            analyze(conn, fs.stage)


def _check_keys(conn: Connection, fs: FileState, problems: Problems,
                warnings: list[str]) -> None:
    """Within-load repeats of a key: exact ones loaded once, conflicting ones all invalid."""
    stg, key = fs.stage, list(FILES[fs.kind].key)
    dup = Table(stg.name + "_dup", stg.metadata,
                *[Column(k, stg.c[k].type) for k in key],
                Column("first_line", BigInteger), Column("exact", Integer),
                prefixes=["TEMPORARY"])
    dup.create(conn)
    values = [c for c in fs.stored if c not in key]
    same = [or_(func.count(stg.c[c]) == 0,
                and_(func.count(stg.c[c]) == func.count(), func.count(distinct(stg.c[c])) == 1))
            for c in values]
    exact = case((and_(func.max(stg.c.bad) == 0, *same), 1), else_=0)
    groups = (select(*[stg.c[k] for k in key], func.min(stg.c.line), exact)
              .where(and_(*[stg.c[k].is_not(None) for k in key]))
              .group_by(*[stg.c[k] for k in key]).having(func.count() > 1))
    conn.execute(insert(dup).from_select(key + ["first_line", "exact"], groups))
    match = and_(*[dup.c[k] == stg.c[k] for k in key])
    repeat = and_(match, dup.c.exact == 1, stg.c.line > dup.c.first_line)
    sample = conn.execute(select(stg.c.line, dup.c.first_line).where(repeat)
                          .order_by(stg.c.line).limit(5)).all()
    if sample:
        fs.duplicates = conn.execute(delete(stg).where(exists().where(repeat))).rowcount
        more = ", ..." if fs.duplicates > len(sample) else ""
        warnings.append(Reason("repeats", name=fs.name, n=fs.duplicates,
                               pairs=[(int(a), int(b)) for a, b in sample], more=more))
    conflict = and_(match, dup.c.exact == 0)
    rows = conn.execute(select(stg.c.line, stg.c.bad, *[stg.c[k] for k in key])
                        .where(conflict).order_by(*[stg.c[k] for k in key], stg.c.line)
                        .execution_options(yield_per=50_000))
    found: list[dict] = []
    group: list = []
    conflicting = 0
    for row in chain(rows, [None]):
        if group and (row is None or tuple(row[2:]) != tuple(group[0][2:])):
            lines = [g[0] for g in group]
            for g in group:
                if g[1]:
                    continue  # already invalid for its own values
                others = [str(x) for x in lines if x != g[0]]
                listed = ", ".join(others[:5]) + (", ..." if len(others) > 5 else "")
                found.append({"line": g[0], "column": ", ".join(key),
                              "value": ", ".join(str(v) for v in g[2:]),
                              "reason": Reason("same_key_lines" if len(others) > 1
                                               else "same_key", keys=tuple(key), lines=listed),
                              **dict(zip(key, (str(v) for v in g[2:]), strict=True))})
            group = []
            if len(found) >= 50_000 or row is None:  # bounded memory, however many
                conflicting += len(found)
                problems.add_frame(LOAD_ORDER.index(fs.kind), fs.name, reason_frame(found))
                found = []
        if row is not None:
            group.append(tuple(row))
    if conflicting:
        fs.rejected += conflicting
        conn.execute(update(stg).where(stg.c.bad == 0, exists().where(conflict))
                     .values(bad=1))


def _reject_where(conn: Connection, fs: FileState, problems: Problems,
                  condition: ColumnElement[bool], column: str,
                  reason: Callable[[Row], Reason], also: tuple[str, ...] = ()) -> None:
    """Report the staged rows matching ``condition`` and flag them invalid (``reason`` may read
    the key, ``column`` and the columns in ``also``)."""
    stg, key = fs.stage, list(FILES[fs.kind].key)
    cols = list(dict.fromkeys(["line", "bad", column] + key + list(also)))
    rows = conn.execute(select(*[stg.c[c] for c in cols]).where(condition)
                        .order_by(stg.c.line).execution_options(yield_per=50_000))
    batch: list[dict] = []
    newly = 0
    for row in rows:
        newly += 0 if row.bad else 1
        batch.append({"line": row.line, "column": column, "value": str(row._mapping[column]),
                      "reason": reason(row),
                      **{k: str(row._mapping[k]) for k in key}})
        if len(batch) >= 50_000:
            problems.add_frame(LOAD_ORDER.index(fs.kind), fs.name, reason_frame(batch))
            batch = []
    if batch:
        problems.add_frame(LOAD_ORDER.index(fs.kind), fs.name, reason_frame(batch))
    if newly:
        fs.rejected += newly
        conn.execute(update(stg).where(stg.c.bad == 0, condition).values(bad=1))


def _index_keys(conn: Connection, stage: Table, key: tuple[str, ...]) -> bool:
    """Index the staging key; return True when a UNIQUE index builds (no key repeats, the usual
    case), so the slower duplicate analysis only runs when there is something to find."""
    cols = [stage.c[k] for k in key]
    try:
        with conn.begin_nested():
            Index(f"{stage.name}_ukey", *cols, unique=True).create(conn)
        return True
    except IntegrityError:
        Index(f"{stage.name}_key", *cols).create(conn)
        return False


def _unknown(value: ColumnElement, parent: str, parent_column: str,
             parent_stage: Table | None) -> ColumnElement[bool]:
    """Condition: ``value`` names no row of ``parent``, in the database or staged."""
    real = metadata.tables[parent]
    conditions = [value.is_not(None), not_(exists().where(real.c[parent_column] == value))]
    if parent_stage is not None:
        conditions.append(not_(exists().where(parent_stage.c[parent_column] == value)))
    return and_(*conditions)


def _any_unknown(conn: Connection, stage: Table, column: str, parent: str, parent_column: str,
                 parent_stage: Table | None) -> bool:
    """Check the distinct values of an indexed column first (8 balances per account share one
    look-up); only when one is unknown are the rows themselves searched."""
    values = select(stage.c[column]).distinct().subquery()
    probe = select(values.c[column]).where(
        _unknown(values.c[column], parent, parent_column, parent_stage)).limit(1)
    return conn.execute(probe).first() is not None


def _unknown_unit(stage: Table, hierarchy_stage: Table | None, level_column: str,
                  code_column: str) -> ColumnElement[bool]:
    """Rows whose code is not a code of their level in the hierarchy (a DISCOM scope has none)."""
    real = metadata.tables["hierarchy"]
    level, code = stage.c[level_column], stage.c[code_column]
    known = []
    for lv in LEVELS:
        col = f"{lv}_code"
        found = [exists().where(real.c[col] == code)]
        if hierarchy_stage is not None:
            found.append(exists().where(hierarchy_stage.c[col] == code))
        known.append(and_(level == lv, or_(*found)))
    return and_(code.is_not(None), level.in_(LEVELS), not_(or_(*known)))
