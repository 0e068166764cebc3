"""ui.text.md: imported text put into Markdown shows as exactly its characters, with no link, image or format."""

from __future__ import annotations

import re
import string

from hypothesis import given
from hypothesis import strategies as st

from ui.text import WORD_JOINER, md

HOSTILE = "Evil](http://evil.example) ![x](http://evil.example/x.png) <b>B</b> & Sons_**x**_ `c` :red[r] $x$ a@b.co"
# The link finders Streamlit's Markdown renderer (remark-gfm's autolink literal) runs on parsed text, copied from
# its bundle (streamlit/static/static/js/StreamlitMarkdown.*.js), plus the ':shortcode:' form of emoji and icons.
AUTOLINK = re.compile(r"(https?://|www(?=\.))([-.\w]+)([^ \t\r\n]*)", re.IGNORECASE)
EMAIL = re.compile(r"(?<![-.\w+])([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)")
SHORTCODE = re.compile(r":[-\w/+]+:")
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60) | st.sampled_from([HOSTILE])


def _rendered(markdown: str) -> str:
    """The text a CommonMark renderer makes of backslash escapes: '\\' + ASCII punctuation is that character."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)


@given(TEXT)
def test_every_markdown_character_is_escaped(text: str) -> None:
    """No ASCII punctuation mark ([ ] ( ) ! < * _ ` and the rest) is left without a backslash in front of it."""
    out, i = md(text), 0
    while i < len(out):
        if out[i] == "\\":
            assert out[i + 1] in string.punctuation
            i += 2
        else:
            assert out[i] not in string.punctuation, (text, out, i)
            i += 1


@given(TEXT)
def test_rendered_text_is_the_original(text: str) -> None:
    """Undoing the escapes gives the original text, with only invisible word joiners before ':', '.' and '@'."""
    assert _rendered(md(text)) == re.sub(r"(?=[:.@])", WORD_JOINER, text)


@given(TEXT)
def test_no_link_finder_or_shortcode_matches_the_rendered_text(text: str) -> None:
    """Escapes do not stop GFM's autolinks (they run after parsing); the word joiners do."""
    shown = _rendered(md(text))
    assert not AUTOLINK.search(shown) and not EMAIL.search(shown) and not SHORTCODE.search(shown)


def test_a_hostile_name_becomes_plain_text() -> None:
    """The link, image, HTML, emphasis, code, colour and LaTeX of a hostile name are all escaped."""
    out = md(HOSTILE)
    for raw in ("](http", "![", "<b>", "**", "`c`", ":red[", "$x$", "a@b"):
        assert raw not in out
    assert out.startswith("Evil\\]\\(http\u2060\\:\\/\\/evil\u2060\\.example\\)")
    assert AUTOLINK.search(HOSTILE) and EMAIL.search(HOSTILE)  # the finders do match the raw name
