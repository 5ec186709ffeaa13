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
