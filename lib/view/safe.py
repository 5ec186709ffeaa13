"""Values from the data or the URL shown as text, never as Markdown, links or colour directives."""

from __future__ import annotations

import re

# Every character Streamlit's Markdown gives a meaning to: emphasis, links, code, headings,
# HTML, LaTeX ($), emoji shortcodes and directives (:blue[...]), strikethrough, tables (|).
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$:~=])")
QUOTE_CHARS = 40


def md_text(value: object) -> str:
    """``value`` as text for a Markdown-rendering element: every Markdown character escaped."""
    text = "" if value is None else str(value)
    text = " ".join(text.split())  # no line breaks: a newline could start a heading or a list
    return _MARKDOWN.sub(r"\\\1", text)


def quoted(value: object) -> str:
    """A value a notice says was ignored: as code, cut to 40 characters, backticks removed."""
    text = " ".join(("" if value is None else str(value)).replace("`", "").split())
    if len(text) > QUOTE_CHARS:
        text = text[: QUOTE_CHARS - 1] + "…"
    return f"`{text}`" if text else "`(empty)`"
