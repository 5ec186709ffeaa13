# ruff: noqa: F811  (the shared pytest fixtures are imported by name)
"""Issue #10 in a real browser: identity from a trusted proxy header (``server.trustedUserHeaders``),
forged links, the director-only Data page, and who a load and a download are recorded as."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from lib.data.engine import get_engine
from lib.data.importer import load_paths
from lib.data.schema import audit, loads
from tests import fixtures as F
from tests.test_browser import CHROMIUM, SHOTS, _settle, browser, running_dashboard  # noqa: F401
from tests.test_roles import USERS, users_csv, write_users

pytestmark = pytest.mark.browser

HEADER = "X-Forwarded-Email"  # what the company proxy would set


@pytest.fixture(scope="module")
def proxied(tmp_path_factory):
    """The dashboard on the fixture with the users list, identity from the proxy header."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium not installed (apt-get install -y chromium)")
    folder = tmp_path_factory.mktemp("roles-browser")
    url = f"sqlite:///{folder / 'roles.db'}"
    assert load_paths([F.write_fixture(folder / "files")], url=url).ok
    assert load_paths([write_users(folder / "users", users_csv(USERS))], url=url).ok
    env = {"STREAMLIT_SERVER_TRUSTED_USER_HEADERS": json.dumps({HEADER: "email"})}
    with running_dashboard(url, **env) as base:
        yield base, url, folder


def _page_as(browser, email: str | None):
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True,
                              extra_http_headers={HEADER: email} if email else {})
    return ctx, ctx.new_page()


def _text(pg) -> str:
    # md_text's word joiners (they keep addresses from becoming links) do not count
    return pg.locator('[data-testid="stApp"]').inner_text().replace("\u2060", "")


def test_a_chief_engineer_behind_the_proxy_sees_only_the_zone(proxied, browser):
    base, _, _ = proxied
    ctx, pg = _page_as(browser, "ce1@pvvnl.org")
    try:
        pg.goto(base + "/?zone=Z2&ce=Z2")
        _settle(pg)
        text = _text(pg)
        assert "Signed in: Munish Chopra · Chief engineer · Meerut Zone-I" in text
        assert "Meerut Zone-II" not in text and "Gurjeet Singh" not in text
        tiles = pg.locator('[data-testid="stMetricValue"]').all_inner_texts()
        assert tiles[0] == "4"  # negative-balance consumers of Z1 (the whole fixture has 5)
        SHOTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(SHOTS / "roles-ce-overview.png"), full_page=True)
        pg.goto(base + "/zones?zone=Z2")
        _settle(pg, '[data-testid="stDataFrame"]')
        assert "Kazipur" not in _text(pg)
        nav = pg.locator('[data-testid="stSidebarNav"]').inner_text()
        assert "Data" not in nav.split("\n")
        pg.goto(base + "/data")
        pg.wait_for_selector("text=Only a director can load data", timeout=60_000)
        assert pg.locator('input[type="file"]').count() == 0
    finally:
        ctx.close()


def test_an_unlisted_address_gets_no_access(proxied, browser):
    base, _, _ = proxied
    ctx, pg = _page_as(browser, "someone@example.org")
    try:
        pg.goto(base + "/overview")
        pg.wait_for_selector("text=is not on this dashboard's users list", timeout=60_000)
        assert "ask a director: Director One" in _text(pg)
        assert pg.locator('[data-testid="stMetricValue"]').count() == 0
        pg.screenshot(path=str(SHOTS / "roles-no-access.png"))
    finally:
        ctx.close()


def test_a_load_and_a_download_record_the_signed_in_user(proxied, browser):
    base, url, folder = proxied
    ctx, pg = _page_as(browser, "boss@pvvnl.org")
    try:
        pg.goto(base + "/data")
        pg.wait_for_selector('input[type="file"]', state="attached", timeout=60_000)
        assert "recorded as made by Director One (boss@pvvnl.org)" in _text(pg)
        pg.locator('input[type="file"]').set_input_files(str(folder / "files" / "campaigns.csv"))
        load = pg.locator('button[data-testid="stBaseButton-primary"]').filter(has_text="Load")
        load.click()  # Playwright waits until the rerun with the file has enabled it
        pg.wait_for_selector('[data-testid="stAlertContentSuccess"]', timeout=60_000)
    finally:
        ctx.close()
    with get_engine(url).connect() as conn:
        by = conn.execute(select(loads.c.loaded_by).order_by(loads.c.load_id.desc())).scalar()
    assert by == "Director One (boss@pvvnl.org)"

    ctx, pg = _page_as(browser, "ce1@pvvnl.org")
    try:
        pg.goto(base + "/zones")
        _settle(pg, '[data-testid="stDataFrame"]')
        with pg.expect_download(timeout=60_000) as download:
            pg.locator('[data-testid="stDownloadButton"] button').filter(
                has_text="CSV").first.click()
        body = Path(download.value.path()).read_text(encoding="utf-8-sig")
        assert "Meerut Circle-I" in body and "Meerut Circle-II" not in body
    finally:
        ctx.close()
    with get_engine(url).connect() as conn:
        row = conn.execute(select(audit.c.email, audit.c.role, audit.c.action, audit.c.detail)
                           .order_by(audit.c.audit_id.desc())).first()
    assert row[:3] == ("ce1@pvvnl.org", "chief_engineer", "export")
    assert "Meerut Zone-I" in row[3]
