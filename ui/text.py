"""Imported text (supplier, product, customer, scenario names...) shown through Streamlit calls that render
Markdown (st.markdown, st.write, st.info, st.caption, widget and metric labels...), as plain text."""

from __future__ import annotations

import string

WORD_JOINER = "\u2060"
"""Invisible, zero-width; placed before ':', '.' and '@' so the renderer's link finders never match."""
_PUNCTUATION = frozenset(string.punctuation)
_LINK_SEPARATORS = frozenset(":.@")


def md(text: object) -> str:
    """``text`` as Markdown that shows exactly its characters.

    Every ASCII punctuation mark gets a backslash (CommonMark §2.4: it then stands for itself), so no link,
    image, emphasis, code, HTML tag, entity, colour directive or LaTeX can form. Escapes do not stop the GFM
    autolink step, which runs on the parsed text and turns 'http://x', 'www.x' and 'a@b.c' into links; a
    word joiner before ':', '.' and '@' breaks those patterns (and ':shortcodes:') without changing what shows.
    """
    return "".join((WORD_JOINER if ch in _LINK_SEPARATORS else "") + ("\\" + ch if ch in _PUNCTUATION else ch)
                   for ch in str(text))
