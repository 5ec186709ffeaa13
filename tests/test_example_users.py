"""The example users list in data/pvvnl/roles loads against the tracked PVVNL hierarchy."""

from pathlib import Path

from sqlalchemy import select

from lib.data.engine import get_engine
from lib.data.importer import load_paths
from lib.data.schema import users

PVVNL = Path(__file__).resolve().parents[1] / "data" / "pvvnl"


def test_the_example_users_load_with_the_pvvnl_hierarchy(tmp_path):
    url = f"sqlite:///{tmp_path / 'org.db'}"
    assert load_paths([PVVNL], url=url).ok
    result = load_paths([PVVNL / "roles"], url=url)
    assert result.ok, result.problems
    with get_engine(url).connect() as conn:
        roles = dict(conn.execute(select(users.c.email, users.c.role)).all())
    assert roles["ce.meerut1@pvvnl.example"] == "chief_engineer"
    assert sorted(set(roles.values())) == ["chief_engineer", "circle_engineer", "director",
                                           "division_engineer", "viewer"]
