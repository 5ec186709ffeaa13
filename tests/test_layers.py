"""The layout holds: lib/ is in layers whose imports point down, and modules stay readable."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("data", "figures", "view", "tools")  # each may import only those before it
MAX_MODULE_LINES = 520
MAX_FUNCTION_LINES = 80


def _modules() -> list[Path]:
    return sorted(p for p in (ROOT / "lib").rglob("*.py") if p.name != "__init__.py")


def _lib_imports(path: Path) -> set[str]:
    """The lib packages a module imports (``lib.figures.memo`` -> ``figures``)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                 else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
        for name in names:
            parts = name.split(".")
            if parts[0] == "lib" and len(parts) > 1:
                out.add(parts[1])
    return out


def test_lib_has_only_the_layers_and_the_cli_entry_point():
    top = sorted(p.name for p in (ROOT / "lib").iterdir() if not p.name.startswith("__"))
    assert top == sorted(["cli.py", *LAYERS])


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_down(path):
    if path.parent.name not in LAYERS:
        return  # lib/cli.py, the entry point, stands above every layer
    allowed = set(LAYERS[: LAYERS.index(path.parent.name) + 1])
    assert _lib_imports(path) <= allowed, f"{path.relative_to(ROOT)} imports upwards"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_and_functions_are_short(path):
    text = path.read_text("utf-8")
    assert len(text.splitlines()) <= MAX_MODULE_LINES
    long = [f"{n.name} ({n.end_lineno - n.lineno + 1} lines)"
            for n in ast.walk(ast.parse(text))
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
            and n.end_lineno - n.lineno + 1 > MAX_FUNCTION_LINES]
    assert not long, f"{path.relative_to(ROOT)}: {long}"


def test_pages_hold_no_sql_and_no_groupby():
    for page in sorted((ROOT / "pages").glob("*.py")):
        text = page.read_text("utf-8")
        assert "sqlalchemy" not in text and "lib.data.schema" not in text, page.name
        assert ".groupby(" not in text and "select(" not in text, page.name
