"""Names from the data reach Markdown-rendering elements as text: no link, bold, colour or LaTeX."""

from __future__ import annotations

import csv

import pytest
from streamlit.testing.v1 import AppTest

from lib.data.engine import ROOT
from lib.data.importer import load_paths
from lib.figures import current
from lib.view.safe import md_text
from tests import fixtures as F

APP = str(ROOT / "dashboard.py")
EVIL_ZONE = "[Click to verify](http://evil) **b** :red[x] $x^2$"
EVIL_CE = "=HYPERLINK(\"http://evil\") _i_"


def test_md_text_escapes_every_markdown_character():
    assert md_text("[a](http://e)") == "\\[a\\](http\\:\u2060//e)"  # no autolink either
    assert md_text("www.evil.example a@b.in") == "www\u2060.evil.example a@\u2060b.in"
    assert md_text("Meerut Zone-I (Noida)") == "Meerut Zone-I (Noida)"  # plain names unchanged
    assert md_text("- a") == r"\- a" and md_text("1. a") == r"1\. a"  # no list from a name
    assert md_text("**b** $x$ :red[x] `c` ~s~ #h") == (
        r"\*\*b\*\* \$x\$ \:red\[x\] \`c\` \~s\~ \#h")
    assert md_text("line\nbreak") == "line break"
    assert md_text(None) == ""


@pytest.fixture(scope="module")
def evil_db(tmp_path_factory) -> str:
    """The hand-made fixture with zone Z1 and its chief engineer renamed to Markdown."""
    folder = F.write_fixture(tmp_path_factory.mktemp("markup") / "files")
    path = folder / "hierarchy.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if row["zone_code"] == "Z1":
            row["zone_name"], row["chief_engineer"] = EVIL_ZONE, EVIL_CE
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    url = f"sqlite:///{folder.parent / 'app.db'}"
    assert load_paths([folder], url=url).ok
    return url


def _markdown_texts(at: AppTest) -> list[str]:
    """Every Markdown source the page sent: markdown, captions, headings, button labels."""
    texts = [e.value for e in (*at.markdown, *at.caption, *at.subheader, *at.header)]
    return texts + [b.label for b in at.button]


@pytest.mark.parametrize("params", [{}, {"ce": "Z1"}], ids=["cards", "drilled"])
def test_chief_engineer_page_shows_names_as_text(evil_db, monkeypatch, params):
    monkeypatch.setenv("DATABASE_URL", evil_db)
    current.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/chief_engineers.py")
    at.run()
    assert not at.exception, at.exception
    texts = [x for x in _markdown_texts(at) if "Click to verify" in x]
    assert texts, "the zone's name is shown somewhere"
    for text in texts:
        assert "\\[Click to verify\\](http\\:\u2060//evil)" in text, text  # no link, no autolink
        assert "**b**" not in text and ":red[" not in text and "$x^2$" not in text, text
    current.clear()
