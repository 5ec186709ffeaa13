# ruff: noqa: F811  (the shared pytest fixtures are imported by name)
"""Issue #11: every tile's comparison says what it is, reconciles with the day chart, and is
coloured by whether the change is good; empty periods; targets for other periods and categories."""

from __future__ import annotations

from datetime import date

import pytest

from lib.figures import current
from lib.figures.scope import Period, Scope
from lib.view.formats import KPI_KINDS, fmt_delta
from lib.view.tiles import BAD_WHEN_UP
from tests.test_app import app, fixture_db  # noqa: F401 (pytest fixtures)

PERIOD = Period(date(2026, 2, 2), date(2026, 2, 4))
RED, GREEN, GRAY = 0, 1, 2  # streamlit.proto.Metric_pb2.Metric.MetricColor
NONE = 2                    # Metric.MetricDirection.NONE
OVERVIEW_KEYS = ("negative_balance", "arrears_inr", "negative_cleared", "otp_verified",
                 "app_downloaded", "verification_coverage", "app_coverage", "complaints_open",
                 "recharge_count", "recharge_inr", "app_recharge_share", "complaints_resolved")


def _tiles(at) -> dict:
    return {m.label: m.proto for m in at.metric}


def test_every_overview_tile_delta_is_the_day_charts_last_two_days(app):
    at = app()
    assert not at.exception
    shown = _tiles(at)
    days = current.daily(Scope(), PERIOD)  # what the Overview's day charts draw
    last, before = days.iloc[-1], days.iloc[-2]
    from lib.view.labels import kpi_label
    for key in OVERVIEW_KEYS:
        proto = shown[kpi_label(key, "en")]
        change = last[key] - before[key]
        assert proto.delta == fmt_delta(change, KPI_KINDS[key], "en"), key
        assert proto.delta_description in ("since 03 Feb", "day, vs 03 Feb"), key
        if proto.delta[:1] not in "+-":
            assert (proto.color, proto.direction) == (GRAY, NONE), key  # zero: neutral, no arrow
        else:
            good = (change < 0) == (key in BAD_WHEN_UP)
            assert proto.color == (GREEN if good else RED), key


def test_the_hand_worked_comparisons_and_colours(app):
    shown = _tiles(app())
    neg = shown["Negative-balance consumers"]
    assert (neg.body, neg.delta, neg.delta_description) == ("5", "-2", "since 03 Feb")
    assert neg.color == GREEN  # fewer consumers in debt is good
    cleared = shown["Negative cleared"]  # 2 cleared on 04 Feb, 1 on 03 Feb
    assert (cleared.delta, cleared.delta_description) == ("+1", "day, vs 03 Feb")
    assert cleared.color == GREEN
    otp = shown["OTP verified"]  # 2 on 04 Feb (accounts 4, 8), 1 on 03 Feb
    assert (otp.body, otp.delta, otp.color) == ("3", "+1", GREEN)
    assert "04 Feb's count (2) minus 03 Feb's (1)" in otp.help
    open_ = shown["Complaints open"]  # 2 and 2
    assert (open_.delta, open_.color, open_.direction) == ("0", GRAY, NONE)


def test_hindi_tiles_say_what_the_badge_is(app):
    shown = _tiles(app(lang="hi"))
    neg = shown["निगेटिव बैलेंस उपभोक्ता"]
    assert neg.delta_description == "03 फ़र॰ से"
    otp = shown.get("ओटीपी सत्यापित")
    assert otp is None or "दैनिक" in otp.delta_description


def test_a_one_day_period_compares_with_the_day_before_and_targets_say_campaign(app):
    at = app(dates=["2026-02-03", "2026-02-03"])
    assert not at.exception
    shown = _tiles(at)
    assert shown["Negative-balance consumers"].delta_description == "since 02 Feb"
    captions = [c.value for c in at.caption]
    # the target is the whole campaign's, said so, whatever period is shown
    assert "Campaign 02 Feb–04 Feb: 30.0% of target (10)" in captions


def test_with_a_category_filter_targets_say_they_count_all_categories(app):
    at = app(category="domestic")
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Campaign 02 Feb–04 Feb") and "target counts all categories" in c
               for c in captions), captions


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_a_period_without_data_says_so_and_shows_nothing_else(app, lang):
    # before the data (a period after it is dropped from the link: see tests/test_hardening.py)
    at = app(dates=["2025-01-01", "2025-01-07"], lang=lang)
    assert not at.exception
    words = "No data for this period" if lang == "en" else "इस अवधि"
    assert any(words in i.value for i in at.info)
    assert not at.metric and not at.dataframe


def test_count_axes_have_whole_number_ticks():
    import pandas as pd

    from lib.view import charts

    days = pd.DataFrame({"day": pd.to_datetime(["2026-02-03", "2026-02-04"]), "n": [1, 2]})
    spec = charts.trend(days, "day", ["n"], {"n": "N"}, value_kind="int").to_dict(validate=False)
    assert '"tickMinStep": 1' in __import__("json").dumps(spec)


@pytest.mark.parametrize("lang", ["en", "hi"])
def test_wide_tables_pin_their_key_columns(app, lang):
    """The league's rank and zone stay in view when the table scrolls sideways (a narrow
    screen); the other columns scroll."""
    import json

    from lib.view.labels import t
    league = json.loads(app(lang=lang).dataframe[0].proto.columns)
    pinned = sorted(k for k, v in league.items() if v.get("pinned"))
    assert pinned == sorted([t("overview.rank", lang), t("level.zone", lang)])


@pytest.mark.parametrize(("params", "lang", "header"), [
    ({}, "en", "Data to 04 Feb 2026 · showing 02 Feb – 04 Feb 2026 (campaign) · "
               "Scope: All of PVVNL"),
    ({}, "hi", "डेटा 04 फ़र॰ 2026 तक · दिखाई गई अवधि 02 फ़र॰ – 04 फ़र॰ 2026 (अभियान) · "
               "दायरा: संपूर्ण पीवीवीएनएल"),
    # a period someone chose is not called the campaign's
    ({"dates": ["2026-02-03", "2026-02-03"]}, "en",
     "Data to 04 Feb 2026 · showing 03 Feb – 03 Feb 2026 · Scope: All of PVVNL"),
])
def test_the_header_says_how_far_the_data_goes_and_what_period_is_shown(app, params, lang,
                                                                        header):
    at = app(lang=lang, **params)
    assert not at.exception
    assert at.caption[0].value == header
