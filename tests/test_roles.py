# ruff: noqa: F811  (the shared pytest fixtures are imported by name)
"""Issue #10: access by role. The users file, identity from ``st.user``, the bound under every
query (forged links never widen it), director-only pages, and the audit of who did what."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from contextlib import redirect_stdout
from datetime import date
from pathlib import Path

import pytest
from google.protobuf import text_format
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from lib.data.engine import data_version, get_engine
from lib.data.importer import load_paths, load_uploads
from lib.data.schema import audit, users
from lib.figures import access, current
from lib.figures.scope import Period, Scope
from lib.tools import cli
from tests import fixtures as F
from tests.conftest import db_url  # noqa: F401 (pytest fixture)

APP = str(Path(__file__).resolve().parents[1] / "dashboard.py")
HEADER = "email,role,scope_level,scope_code,name\n"
USERS = {
    "boss@pvvnl.org": ("director", "discom", "", "Director One"),
    "ce1@pvvnl.org": ("chief_engineer", "zone", "Z1", "Munish Chopra"),
    "ce2@pvvnl.org": ("chief_engineer", "zone", "Z2", "Gurjeet Singh"),
    "se1@pvvnl.org": ("circle_engineer", "circle", "C1", "SE Circle-I"),
    "ee2@pvvnl.org": ("division_engineer", "division", "D2", "EE Division-II"),
    "screen@pvvnl.org": ("viewer", "area", "A4", "Meeting room, Zone-II"),
}
# What each listed user may see, as areas of the fixture (tests.fixtures.HIERARCHY).
AREAS = {"boss@pvvnl.org": {"A1", "A2", "A3", "A4"}, "ce1@pvvnl.org": {"A1", "A2", "A3"},
         "ce2@pvvnl.org": {"A4"}, "se1@pvvnl.org": {"A1", "A2", "A3"},
         "ee2@pvvnl.org": {"A3"}, "screen@pvvnl.org": {"A4"}}
KPI_ARGS = {"ce1@pvvnl.org": ["--zone", "Z1"], "ce2@pvvnl.org": ["--zone", "Z2"],
            "se1@pvvnl.org": ["--circle", "C1"], "ee2@pvvnl.org": ["--division", "D2"],
            "screen@pvvnl.org": ["--area", "A4"], "boss@pvvnl.org": []}
PAGES = ("pages/overview.py", "pages/zones.py", "pages/chief_engineers.py",
         "pages/negative_balance.py", "pages/verification.py", "pages/recharges.py",
         "pages/help_desks.py", "pages/display.py")
PERIOD = Period(date(2026, 2, 2), date(2026, 2, 4))  # the fixture's default period
TILES = {"Negative-balance consumers": "negative_balance", "OTP verified": "otp_verified",
         "App downloads": "app_downloaded", "Recharges": "recharge_count",
         "Complaints open": "complaints_open"}


def users_csv(rows: dict[str, tuple[str, str, str, str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows((e, *v) for e, v in rows.items())
    return HEADER + buf.getvalue()


def write_users(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "users.csv").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def roles_db(tmp_path_factory) -> str:
    """The hand-made fixture with the users list above loaded."""
    folder = tmp_path_factory.mktemp("roles")
    url = f"sqlite:///{folder / 'roles.db'}"
    assert load_paths([F.write_fixture(folder / "files")], url=url).ok
    assert load_paths([write_users(folder / "users", users_csv(USERS))], url=url).ok
    return url


@pytest.fixture
def visit(roles_db, monkeypatch):
    """An AppTest run of the dashboard as a user, on a page, with (forged) query parameters."""
    monkeypatch.setenv("DATABASE_URL", roles_db)
    current.clear()

    def make(email: str | None, page: str | None = None, **params) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        at.user = {"email": email, "is_logged_in": True} if email else {}
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        if page:
            at.switch_page(page).run()
        assert not at.exception, at.exception
        return at

    return make


def everything(at: AppTest) -> str:
    """Every element's content as text: labels, options, Markdown, tables, chart data."""
    out: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(text_format.MessageToString(proto, as_utf8=True))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(out).replace("\u2060", "")  # md_text's word joiners (no autolinks)


def foreign_names(email: str) -> set[str]:
    """The names of every unit (and chief engineer) with no area inside the user's scope."""
    mine = AREAS[email]
    names: set[str] = set()
    for z, zn, ce, c, cn, d, dn, a, an, ahi in F.HIERARCHY:
        units = {(zn, ce, F.ZONE_HI[z]): {x[7] for x in F.HIERARCHY if x[0] == z},
                 (cn,): {x[7] for x in F.HIERARCHY if x[3] == c},
                 (dn,): {x[7] for x in F.HIERARCHY if x[5] == d}, (an, ahi): {a}}
        for unit_names, areas in units.items():
            if not areas & mine:
                names |= set(unit_names)
    return names


def shows(text: str, name: str) -> bool:
    """Whether ``name`` appears as itself ("Meerut Division-I" is not in "...Division-II")."""
    return re.search(re.escape(name) + r"(?![\w-])", text) is not None


def kpi_command(email: str) -> dict:
    """The KPI command's figures for the user's own scope (no roles: an independent route)."""
    buf = io.StringIO()
    with redirect_stdout(buf):
        assert cli.main(["kpis", "--db", os.environ["DATABASE_URL"],
                         "--from", "2026-02-02", "--to", "2026-02-04", "--json",
                         *KPI_ARGS[email]]) == 0
    return json.loads(buf.getvalue())


# --- the users file -------------------------------------------------------------------------


def test_local_mode_without_a_users_list(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'local.db'}"
    assert load_paths([F.write_fixture(tmp_path / "files")], url=url).ok
    monkeypatch.setenv("DATABASE_URL", url)
    current.clear()
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any("Local mode" in c.value for c in at.sidebar.caption)
    assert {m.label: m.value for m in at.metric}["Negative-balance consumers"] == "5"
    at.switch_page("pages/data.py").run()
    assert len(at.get("file_uploader")) == 1  # local mode: the one user is a director


@pytest.mark.parametrize(("row", "reason"), [
    ("x@pvvnl.org,boss,discom,,X", "role: not one of: director, chief_engineer"),
    ("x@pvvnl.org,director,planet,,X", "scope_level: not one of: discom, zone"),
    ("x@pvvnl.org,chief_engineer,circle,C1,X", "a chief_engineer covers a zone, not a circle"),
    ("x@pvvnl.org,chief_engineer,zone,Z9,X", "unknown zone code: not a zone_code"),
    ("x@pvvnl.org,viewer,area,C1,X", "unknown area code: not a area_code"),
    ("x@pvvnl.org,director,discom,Z1,X", "must be empty for the whole DISCOM"),
    ("x@pvvnl.org,viewer,zone,,X", "required value is empty: the code of the zone"),
    ("not-an-address,viewer,zone,Z1,X", "not an e-mail address"),
    ("x@pvvnl.org,viewer,zone,Z1,", "required value is empty"),
])
def test_a_bad_users_row_is_refused_with_its_reason_and_nothing_changes(db_url, tmp_path, row,
                                                                          reason):
    assert load_paths([F.write_fixture(tmp_path / "files")], url=db_url).ok
    good = users_csv({"boss@pvvnl.org": USERS["boss@pvvnl.org"]})
    assert load_paths([write_users(tmp_path / "u1", good)], url=db_url).ok
    before = data_version(get_engine(db_url))
    result = load_paths([write_users(tmp_path / "u2", HEADER + row + "\n")], url=db_url)
    assert not result.ok
    found = " | ".join(f"{p.column}: {p.reason}" for p in result.problems)
    assert reason in found, found
    with get_engine(db_url).connect() as conn:
        assert conn.execute(select(users.c.email)).scalars().all() == ["boss@pvvnl.org"]
    assert data_version(get_engine(db_url)) == before


def test_a_users_load_replaces_the_list_whole(db_url, tmp_path):
    assert load_paths([F.write_fixture(tmp_path / "files")], url=db_url).ok
    assert load_paths([write_users(tmp_path / "u1", users_csv(USERS))], url=db_url).ok
    fewer = {e: v for e, v in USERS.items() if e != "ce2@pvvnl.org"}
    fewer["CE1@PVVNL.ORG"] = fewer.pop("ce1@pvvnl.org")  # addresses are matched in lower case
    assert load_paths([write_users(tmp_path / "u2", users_csv(fewer))], url=db_url).ok
    with get_engine(db_url).connect() as conn:
        listed = conn.execute(select(users.c.email, users.c.scope_code)
                              .order_by(users.c.email)).all()
    assert [e for e, _ in listed] == sorted(e for e in USERS if e != "ce2@pvvnl.org")
    assert dict(listed)["ce1@pvvnl.org"] == "Z1"
    version = data_version(get_engine(db_url))
    assert load_paths([write_users(tmp_path / "u3", users_csv(fewer))], url=db_url).ok
    assert data_version(get_engine(db_url)) == version  # the same list again changes nothing


# --- who sees what ----------------------------------------------------------------------------


def test_an_unknown_user_sees_no_figure_and_whom_to_ask(visit):
    at = visit("stranger@example.org", zone="Z1")
    assert not at.metric and not at.dataframe and not at.get("arrow_vega_lite_chart")
    shown = at.warning[0].value.replace("\u2060", "")  # md_text's word joiner breaks autolinks
    assert "stranger@example.org is not on this dashboard's users list" in shown
    assert "ask a director: Director One" in everything(at)
    assert not at.sidebar.multiselect  # no filters, no navigation


def test_an_unidentified_visitor_is_asked_to_sign_in(visit):
    at = visit(None)
    assert not at.metric and not at.dataframe
    assert "needs to know who you are" in at.info[0].value


@pytest.mark.parametrize("email", sorted(USERS))
@pytest.mark.parametrize("page", PAGES)
def test_every_page_under_a_forged_link_shows_only_the_users_scope(visit, email, page):
    # every parameter points at a unit of the other zone (a director may see all: no forgery)
    other = "A4" not in AREAS[email]
    forged = {} if email == "boss@pvvnl.org" else {
        "zone": "Z2" if other else "Z1", "circle": "C2" if other else "C1",
        "ce": "Z2" if other else "Z1", "account_area": "A4" if other else "A1"}
    at = visit(email, page, **forged)
    text = everything(at)
    leaked = sorted(n for n in foreign_names(email) if shows(text, n))
    assert not leaked, f"{email} on {page} sees {leaked}"
    if page in ("pages/overview.py", "pages/display.py"):
        expected = kpi_command(email)
        tiles = {m.label: m.value for m in at.metric}
        for label, key in TILES.items():
            if label in tiles:
                assert tiles[label] == f"{expected[key]:,}", (label, tiles[label], expected[key])


def test_a_chief_engineer_drills_only_inside_the_zone(visit):
    at = visit("ce1@pvvnl.org", "pages/chief_engineers.py")
    text = everything(at)
    assert "Meerut Zone-I" in text and not shows(text, "Meerut Zone-II")
    assert {m.label: m.value for m in at.metric}["Negative-balance consumers"] == \
        f"{kpi_command('ce1@pvvnl.org')['negative_balance']:,}"


def test_the_figures_layer_bounds_a_scope_that_asks_for_more(roles_db, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", roles_db)
    current.clear()
    # outside a session (no provider) with a users list loaded: nobody may see anything
    monkeypatch.setattr(access, "_provider", None)
    with pytest.raises(access.NoAccess):
        current.headline(Scope(), PERIOD)
    access.provide(lambda: access.grant_for(current.users(), "ce1@pvvnl.org"))
    mine = kpi_command("ce1@pvvnl.org")
    assert current.headline(Scope(), PERIOD)["negative_balance"].iloc[0] == mine["negative_balance"]
    other = current.headline(Scope.of(zones=["Z2"]), PERIOD).iloc[0]
    assert other["consumers"] == 0 and other["negative_balance"] == 0  # Z1 AND Z2: nothing
    assert set(current.hierarchy_frame()["zone_code"]) == {"Z1"}
    assert current.negative_accounts("A4", PERIOD.end).empty
    assert not current.negative_accounts("A1", PERIOD.end).empty
    assert list(current.league(Scope(), PERIOD, "CAMP1", "zone")["code"]) == ["Z1"]
    with pytest.raises(access.NoAccess):
        current.load_history()


# --- director-only pages ----------------------------------------------------------------------


def _open_url_path(at: AppTest, path: str) -> AppTest:
    """What a browser gets at /<path>: the page registered under that URL path."""
    at._page_hash = next(h for h, info in at._registered_pages.items()
                         if info.get("url_pathname") == path)
    return at.run()


@pytest.mark.parametrize("email", sorted(e for e, v in USERS.items() if v[0] != "director"))
def test_the_data_page_is_refused_to_everyone_but_directors(visit, email):
    at = visit(email)
    data = [i for i in at._registered_pages.values() if i.get("url_pathname") == "data"]
    assert data and not data[0].get("script_path")  # not the Data page's script
    _open_url_path(at, "data")
    assert not at.exception
    assert "Only a director can load data" in at.warning[0].value
    assert not at.get("file_uploader") and not at.dataframe  # no upload, no load history
    for page in PAGES:  # no upload anywhere else either
        assert not at.switch_page(page).run().get("file_uploader")


def test_the_data_page_names_the_signed_in_user_for_the_load(visit):
    at = visit("boss@pvvnl.org", "pages/data.py")
    assert "recorded as made by Director One (boss@pvvnl.org)" in everything(at)
    assert not at.text_input  # nobody types a name (the upload itself: tests/test_browser_roles.py)
    assert len(at.get("file_uploader")) == 1
    assert "Audit trail" in everything(at)


def test_every_export_and_brief_is_audited_with_the_user(roles_db, monkeypatch):
    from lib.data.audit import Actor
    from lib.tools import brief

    monkeypatch.setenv("DATABASE_URL", roles_db)
    monkeypatch.setattr(brief, "render", lambda html, png=False: (b"%PDF-1.4", None))
    who = Actor("Munish Chopra", "ce1@pvvnl.org", "chief_engineer")
    engine = get_engine(roles_db)
    with engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(audit)).scalar()
    brief.for_dashboard(Scope(within=("zone", "Z1")), PERIOD, "CAMP1", "en", "pdf", who)
    with engine.connect() as conn:
        rows = conn.execute(select(audit.c.who, audit.c.email, audit.c.action)
                            .order_by(audit.c.audit_id)).all()
    assert len(rows) == before + 1
    assert tuple(rows[-1]) == ("Munish Chopra", "ce1@pvvnl.org", "brief")


def test_uploads_record_an_actor_not_a_typed_name(roles_db, tmp_path):
    from lib.data.audit import Actor

    text = users_csv(USERS).encode()
    result = load_uploads([("users.csv", text)], url=roles_db,
                          loaded_by=Actor("Director One", "boss@pvvnl.org", "director"))
    assert result.ok
    with get_engine(roles_db).connect() as conn:
        row = conn.execute(select(audit.c.who, audit.c.email, audit.c.role, audit.c.action)
                           .order_by(audit.c.audit_id.desc())).first()
    assert tuple(row) == ("Director One", "boss@pvvnl.org", "director", "load")
