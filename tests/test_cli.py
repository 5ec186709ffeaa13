"""The commands a newcomer runs: demo (generate + load once), load's exit status."""

from lib.data.engine import get_engine
from lib.figures.lookups import has_data
from lib.tools.cli import main


def test_demo_generates_and_loads_once(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert main(["demo", "--db", url, "--consumers", "600", "--out", str(tmp_path / "s")]) == 0
    assert has_data(get_engine(url))
    assert main(["demo", "--db", url, "--out", str(tmp_path / "s")]) == 0
    assert "nothing to do" in capsys.readouterr().out


def test_load_exits_non_zero_on_a_rejected_load(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'bad.db'}"
    (tmp_path / "consumers.csv").write_text("account_no,area_code,category\n12AB,X,domestic\n")
    assert main(["load", str(tmp_path / "consumers.csv"), "--db", url]) == 1
    out = capsys.readouterr().out
    assert "consumers.csv line 2, column account_no, value '12AB'" in out


def test_rebuild_recomputes_the_rollups(tmp_path, capsys):
    from sqlalchemy import delete, func, select

    from lib.data.engine import get_meta
    from lib.data.schema import r_balance_daily

    url = f"sqlite:///{tmp_path / 'r.db'}"
    assert main(["demo", "--db", url, "--consumers", "300", "--out", str(tmp_path / "s")]) == 0
    engine = get_engine(url)
    count = select(func.count()).select_from(r_balance_daily)
    with engine.begin() as conn:
        rows = conn.execute(count).scalar()
        conn.execute(delete(r_balance_daily))  # damaged rollups
        version = int(get_meta(conn, "data_version"))
    assert main(["rebuild", "--db", url]) == 0
    assert "rollups rebuilt" in capsys.readouterr().out
    with engine.connect() as conn:
        assert conn.execute(count).scalar() == rows > 0
        assert int(get_meta(conn, "data_version")) == version + 1
