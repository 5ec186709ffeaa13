"""The sample generator: deterministic, contract-valid, and telling the February 2026 story."""

from __future__ import annotations

import filecmp
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import lib.tools.sample as sample
from lib.data.contract import FILES, VOCABULARIES

CONSUMERS = 3_000


def _read(folder: Path, name: str) -> pd.DataFrame:
    """One generated file with every column as text, empty cells as ''."""
    return pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, dict[str, int]]:
    """A small sample set, generated once for the module."""
    out = tmp_path_factory.mktemp("sample")
    return out, sample.generate(out, consumers=CONSUMERS, seed=7)


@pytest.fixture(scope="module")
def frames(generated) -> dict[str, pd.DataFrame]:
    """Every generated file, read as text."""
    out, _ = generated
    return {name: _read(out, name) for name in FILES if name != "users"}


def test_same_seed_same_bytes_other_seed_differs(tmp_path, monkeypatch):
    # A small chunk size makes the run stream several chunks, as a large run would.
    monkeypatch.setattr(sample, "CHUNK", 700)
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    counts = sample.generate(a, consumers=2_000, seed=3)
    assert sample.generate(b, consumers=2_000, seed=3) == counts
    sample.generate(c, consumers=2_000, seed=4)
    names = [f"{name}.csv" for name in FILES if name != "users"]
    match, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    assert sorted(match) == sorted(names) and not mismatch and not errors
    _, differ, _ = filecmp.cmpfiles(a, c, names, shallow=False)
    assert {"consumers.csv", "balances.csv", "activities.csv", "recharges.csv"} <= set(differ)
    assert not list(a.glob("*.part"))


def test_files_and_counts(generated, frames):
    out, counts = generated
    assert set(counts) == set(FILES) - {"users"}  # the sample runs in local mode
    for name, spec in FILES.items():
        if name == "users":
            continue
        df = frames[name]
        assert list(df.columns) == list(spec.columns), name
        assert len(df) == counts[name] > 0, name
        for column in spec.required:
            assert (df[column] != "").all(), (name, column)
        assert not df.duplicated(list(spec.key)).any(), name
    assert counts["consumers"] == CONSUMERS
    assert counts["balances"] == CONSUMERS * 8
    # Plain UTF-8 without a BOM, header first.
    assert (out / "hierarchy.csv").read_bytes().startswith(b"zone_code,")


def test_hierarchy(frames):
    h = frames["hierarchy"]
    assert h.zone_code.nunique() == 10
    assert h.groupby("zone_code").circle_code.nunique().between(2, 3).all()
    assert h.groupby("circle_code").division_code.nunique().between(2, 4).all()
    assert h.groupby("division_code").area_code.nunique().between(4, 8).all()
    assert len(h) >= 300 and h.area_code.is_unique and h.area_name.is_unique
    for column in ("area_name_hi", "zone_name_hi", "circle_name_hi", "division_name_hi"):
        assert h[column].str.contains(r"[\u0900-\u097F]").all(), column
    zones = h.drop_duplicates("zone_code").set_index("zone_name")
    assert zones.loc["Meerut Zone-I", "chief_engineer"] == "Munish Chopra"
    assert zones.loc["Meerut Zone-II", "chief_engineer"] == "Gurjeet Singh"
    assert zones.loc["Meerut Zone-I", "zone_name_hi"] == "मेरठ ज़ोन-प्रथम"
    assert zones.loc["Ghaziabad Zone-I", "chief_engineer"] == "Chief Engineer, Ghaziabad Zone-I"
    area = h.set_index("area_name")
    for name, hindi in (("Mahavir Chowk", "महावीर चौक"), ("Gandhi Nagar", "गांधी नगर"),
                        ("Town Hall", "टाउन हॉल"), ("Mandi", "मंडी")):
        assert area.loc[name, "area_name_hi"] == hindi
        assert area.loc[name, "district"] == "Muzaffarnagar"
    assert area.loc["Ganganagar", "zone_name"] == "Meerut Zone-I"
    assert area.loc["Kazipur", "zone_name"] == "Meerut Zone-II"
    khatauli = h[h.division_name == "Khatauli"]
    assert len(khatauli) and set(khatauli.district) == {"Muzaffarnagar"}
    assert set(khatauli.division_name_hi) == {"खतौली"}
    assert h.district.nunique() == 14


def test_consumers(frames):
    c, h = frames["consumers"], frames["hierarchy"]
    assert c.account_no.str.fullmatch(r"\d{10}").all() and c.account_no.is_unique
    assert (c.account_no.str[0] == "0").any()
    assert c.area_code.isin(h.area_code).all()
    assert c.category.isin(VOCABULARIES["category"]).all()
    share = c.category.value_counts(normalize=True)
    assert 0.78 < share["domestic"] < 0.9 and 0.05 < share["commercial"] < 0.15
    assert c.meter_no.is_unique
    since = pd.to_datetime(c.smart_meter_since, format="%Y-%m-%d")
    assert since.dt.year.between(2023, 2025).all()
    assert (c.load_kw.astype(float) > 0).all()


def test_balances(frames):
    b, c = frames["balances"], frames["consumers"]
    assert b.account_no.isin(c.account_no).all()
    assert b.balance_inr.str.fullmatch(r"-?\d+\.\d{2}").all()
    assert sorted(b.as_of.unique()) == [f"2026-02-0{d}" for d in range(1, 9)]
    amount = b.balance_inr.astype(float)
    first = amount[b.as_of == "2026-02-01"]
    assert 0.70 < (first < 0).mean() < 0.90
    arrears = -first[first < 0]
    assert (arrears <= 1_000).mean() > 0.5  # most arrears are small
    assert (arrears > 25_000).any()
    # Zones differ, so league tables rank something.
    zone = b.account_no.map(c.set_index("account_no").area_code).str.split("-").str[0]
    per_zone = (first < 0).groupby(zone[first.index]).mean()
    assert per_zone.max() - per_zone.min() > 0.05


def test_balances_move_with_recharges(frames):
    b, r = frames["balances"].copy(), frames["recharges"].copy()
    b["paise"] = (b.balance_inr.astype(float) * 100).round().astype(np.int64)
    b = b.sort_values(["account_no", "as_of"])
    b["change"] = b.groupby("account_no").paise.diff()
    r["as_of"] = r.paid_at.str[:10]
    r["paise"] = (r.amount_inr.astype(float) * 100).round().astype(np.int64)
    paid = r.groupby(["account_no", "as_of"]).paise.sum().rename("paid")
    b = b.join(paid, on=["account_no", "as_of"]).fillna({"paid": 0}).dropna(subset=["change"])
    used = b.paid - b.change  # each day's consumption: positive
    assert (used > 0).all()
    # Some accounts negative at the start have cleared their arrears by the drive's last day.
    start = b.set_index(["account_no", "as_of"]).paise
    day1 = frames["balances"].query("as_of == '2026-02-01'").set_index("account_no").balance_inr
    negative = day1[day1.astype(float) < 0].index
    end = start.xs("2026-02-07", level="as_of")[negative]
    assert 0.05 < (end >= 0).mean() < 0.4


def test_activities(frames):
    a, c = frames["activities"], frames["consumers"]
    assert a.account_no.isin(c.account_no).all()
    assert a.activity_id.is_unique
    assert set(a.activity) == set(VOCABULARIES["activity"])
    assert (a.campaign_id == sample.CAMPAIGN_ID).all()
    assert a.occurred_at.str.fullmatch(r"2026-02-0[2-7]T\d{2}:\d{2}:\d{2}").all()
    per_day = a.occurred_at.str[:10].value_counts().sort_index()
    assert per_day.iloc[-1] > per_day.iloc[0]  # the drive ramps up
    verified = a[a.activity == "otp_verified"].account_no.nunique() / len(c)
    downloaded = a[a.activity == "app_downloaded"].account_no.nunique() / len(c)
    assert 0.2 < verified < 0.35 and 0.1 < downloaded < 0.25
    trained = a[a.activity == "app_trained"].account_no
    assert trained.isin(a[a.activity == "app_downloaded"].account_no).mean() > 0.8


def test_recharges(frames):
    r, c = frames["recharges"], frames["consumers"]
    assert r.account_no.isin(c.account_no).all()
    assert r.txn_id.is_unique
    assert r.amount_inr.str.fullmatch(r"\d+\.\d{2}").all()
    assert (r.amount_inr.astype(float) > 0).all()
    assert r.channel.isin(VOCABULARIES["channel"]).all()
    assert sorted(r.paid_at.str[:10].unique()) == [f"2026-02-0{d}" for d in range(1, 9)]
    # Consumers with the app pay mostly through it.
    app = set(frames["activities"].query("activity == 'app_downloaded'").account_no)
    after = r[r.account_no.isin(app) & (r.paid_at >= "2026-02-08")]
    assert (after.channel == "smart_app").mean() > 0.5


def test_complaints_and_targets(frames):
    t, h, k = frames["complaints"], frames["hierarchy"], frames["targets"]
    assert t.area_code.isin(h.area_code).all()
    assert t.category.isin(VOCABULARIES["complaint_category"]).all()
    assert 1 / 600 < len(t) / CONSUMERS < 1 / 150
    closed = t[t.resolved_at != ""]
    assert len(closed) > len(t) / 2 and (closed.resolved_at > closed.opened_at).all()
    mahavir = h.set_index("area_name").loc["Mahavir Chowk", "area_code"]
    assert set(t[t.help_desk == sample.MAHAVIR_CHOWK_DESK].area_code) == {mahavir}
    khatauli = set(h[h.division_name == "Khatauli"].area_code)
    assert set(t[t.area_code.isin(khatauli)].help_desk) <= {"Khatauli division office help desk"}
    # Every desk is named in Hindi too, one name per desk.
    assert (t.help_desk_hi != "").all() and (t.groupby("help_desk").help_desk_hi.nunique() == 1).all()
    assert set(t[t.help_desk == sample.MAHAVIR_CHOWK_DESK].help_desk_hi) == {"महावीर चौक हेल्प डेस्क"}
    assert set(t[t.area_code.isin(khatauli)].help_desk_hi) <= {"खतौली खंड कार्यालय हेल्प डेस्क"}

    campaigns = frames["campaigns"].set_index("campaign_id")
    assert campaigns.loc["SMAD-2026-02", "start_date"] == "2026-02-02"
    assert campaigns.loc["SMAD-2026-02", "end_date"] == "2026-02-07"
    assert set(k.level) == {"zone", "circle"} and (k.campaign_id == "SMAD-2026-02").all()
    assert k.target.str.fullmatch(r"\d+").all()
    for level in ("zone", "circle"):
        codes = k[k.level == level].code
        assert codes.isin(h[f"{level}_code"]).all()
        assert codes.value_counts().eq(3).all()
        assert codes.nunique() == h[f"{level}_code"].nunique()


def test_fewer_days_cuts_every_file_at_the_last_day(tmp_path):
    counts = sample.generate(tmp_path, consumers=1_500, seed=2, days=3)
    assert counts["balances"] == 1_500 * 3
    last = "2026-02-03T23:59:59"
    assert (_read(tmp_path, "balances").as_of <= "2026-02-03").all()
    assert (_read(tmp_path, "activities").occurred_at <= last).all()
    assert (_read(tmp_path, "recharges").paid_at <= last).all()
    complaints = _read(tmp_path, "complaints")
    assert (complaints.opened_at <= last).all() and (complaints.resolved_at <= last).all()


def test_rejects_bad_arguments(tmp_path):
    with pytest.raises(ValueError):
        sample.generate(tmp_path, consumers=10, days=0)


def test_progress_is_reported(tmp_path):
    calls: list[tuple[float, str]] = []
    sample.generate(tmp_path, consumers=500, progress=lambda f, m: calls.append((f, m)))
    assert calls and calls[-1][0] == 1.0
    assert all(0.0 <= f <= 1.0 for f, _ in calls)


def test_output_loads_without_rejections(generated, db_url):
    from lib.data import importer
    out, counts = generated
    result = importer.load_paths([out], url=db_url, skip_invalid=False)
    assert result.ok
    assert result.rows_rejected == 0
