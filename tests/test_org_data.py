"""data/pvvnl: the organisation loads on its own and is the one the sample generator writes."""

from __future__ import annotations

import csv

from sqlalchemy import func, select

from lib.data.engine import DATA_DIR, dispose_engine, get_engine
from lib.data.importer import load_paths
from lib.data.schema import hierarchy
from lib.tools import sample
from lib.tools.sample_org import ORG_DIR, read_hierarchy

HIERARCHY = ORG_DIR / "hierarchy.csv"


def _file_rows() -> list[dict[str, str]]:
    """hierarchy.csv read with the csv module, independently of the generator and importer."""
    with HIERARCHY.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_folder_loads_on_its_own_into_an_empty_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'org.db'}"
    levels = ("zone", "circle", "division", "area")
    try:
        # The whole folder, as `python -m lib.cli load data/pvvnl` does: zones.toml is skipped.
        result = load_paths([DATA_DIR / "pvvnl"], url=url, skip_invalid=False)
        assert result.ok and result.rows_rejected == 0 and not result.warnings
        with get_engine(url).connect() as conn:
            distinct = {level: func.count(hierarchy.c[f"{level}_code"].distinct())
                        for level in levels}
            stored = {level: conn.execute(select(n)).scalar() for level, n in distinct.items()}
            mahavir = conn.execute(select(hierarchy).where(
                hierarchy.c.area_name == "Mahavir Chowk")).mappings().one()
    finally:
        dispose_engine(url)
    rows = _file_rows()
    assert stored == {level: len({r[f"{level}_code"] for r in rows}) for level in levels}
    assert stored == {"zone": 10, "circle": 22, "division": 56, "area": 316}
    in_file = next(r for r in rows if r["area_name"] == "Mahavir Chowk")
    for column in ("area_name_hi", "division_name_hi", "circle_name_hi", "zone_name_hi",
                   "chief_engineer_hi", "superintending_engineer_hi", "executive_engineer_hi",
                   "sdo_hi"):
        assert mahavir[column] == in_file[column]
    assert mahavir["area_name_hi"] == "महावीर चौक"
    assert mahavir["zone_name_hi"] == "मुजफ्फरनगर ज़ोन"
    assert mahavir["chief_engineer_hi"] == "मुख्य अभियंता, मुजफ्फरनगर ज़ोन"


# The two chief engineers the sample names in person, in Hindi; the other officers are named by
# their post, in Hindi by the post and the unit's Hindi name.
PEOPLE_HI = {"Munish Chopra": "मुनीश चोपड़ा", "Gurjeet Singh": "गुरजीत सिंह"}
ORDINAL_HI = {"I": "प्रथम", "II": "द्वितीय"}


def test_every_officer_has_a_hindi_name_by_post_where_the_english_is_the_post():
    for r in _file_rows():
        ce = PEOPLE_HI.get(r["chief_engineer"])
        assert r["chief_engineer_hi"] == (ce or f"मुख्य अभियंता, {r['zone_name_hi']}")
        assert ce or r["chief_engineer"] == f"Chief Engineer, {r['zone_name']}"
        assert r["superintending_engineer_hi"] == f"अधीक्षण अभियंता, {r['circle_name_hi']}"
        assert r["executive_engineer_hi"] == f"अधिशासी अभियंता, {r['division_name_hi']} खंड"
        number = r["subdivision_name"].removeprefix(f"{r['division_name']} Sub-division-")
        assert r["sdo"] == f"SDO, {r['subdivision_name']}"
        assert r["sdo_hi"] == (f"उपखंड अधिकारी, {r['division_name_hi']} "
                               f"उपखंड-{ORDINAL_HI[number]}")


def test_generator_writes_the_organisation_file_unchanged(tmp_path):
    sample.generate(tmp_path, consumers=100, seed=5)
    assert (tmp_path / "hierarchy.csv").read_bytes() == HIERARCHY.read_bytes()


def test_every_zone_has_a_profile_and_urban_divisions_exist():
    h = read_hierarchy()
    assert len(h.zone_profiles) == len(h.zone_codes) == 10
    assert 0 < h.area_urban.mean() < 1  # both city and rural areas
