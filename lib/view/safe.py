"""Values from the data or the URL shown as text, never as Markdown, links or colour directives."""

from __future__ import annotations

import re

from lib.data.contract import MAX_CODE_LENGTH

# Characters Streamlit's Markdown gives a meaning to anywhere in a line: emphasis, links and
# images ([ ]), code, headings' closing #, HTML, LaTeX ($), emoji shortcodes, directives
# (:blue[...]) and bare-URL autolinks (:), strikethrough, tables (|).
_MARKDOWN = re.compile(r"([\\`*_\[\]#|<>$:~])")
# ...and those that mean something only at the start of a line (lists, headings, quotes). Line
# breaks are folded, so only the value's own start can be a line start.
_LINE_START = re.compile(r"^([-+]|\d+(?=[.)]))")
# GFM's literal autolinks are found in the text *after* escapes are resolved (remark-gfm's
# transform over text nodes: "http://", "https://", "www." and e-mail addresses), so escaping
# cannot stop them: an invisible word joiner (U+2060) breaks each pattern instead.
WORD_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)(?<=:)(?=//)|(?<=\bwww)(?=\.)|(?<=@)(?=[-\w])")
QUOTE_CHARS = MAX_CODE_LENGTH  # a notice quotes any valid code whole


def md_text(value: object) -> str:
    """``value`` as text for a Markdown-rendering element: every Markdown character escaped."""
    text = "" if value is None else str(value)
    text = " ".join(text.split())  # no line breaks: a newline could start a heading or a list
    text = _MARKDOWN.sub(r"\\\1", text)
    text = _AUTOLINK.sub(WORD_JOINER, text)  # "http://x" -> "http:\u2060//x": no autolink
    # a list marker: "- x" -> "\- x", "1. x" -> "1\. x"
    return _LINE_START.sub(lambda m: "\\" + m.group(1) if m.group(1) in "-+"
                           else m.group(1) + "\\", text, count=1)


def quoted(value: object) -> str:
    """A value a notice says was ignored: as code, cut to QUOTE_CHARS (the code length, 40)
    characters, backticks removed."""
    text = " ".join(("" if value is None else str(value)).replace("`", "").split())
    if len(text) > QUOTE_CHARS:
        text = text[: QUOTE_CHARS - 1] + "…"
    return f"`{text}`" if text else "`(empty)`"
