"""Issue 7, point 9: the search folding and snippets (articles/search.py) under property-based fuzzing.

The position map must stay exact for any text (or highlights land on the wrong letters), and a snippet is
always escaped text with nothing but <mark> in it.
"""

import html
import re

from hypothesis import example, given
from hypothesis import strategies as st

import tests.fuzzing  # noqa: F401 - loads the bounded CI profile
from articles.search import _fold, excerpt, fold_with_positions, highlight, normalise, query_words
from tests.xss_payloads import PAYLOADS

ARABIC = "".join(chr(c) for c in range(0x0600, 0x0700)) + "ﻻﷲ\u200c\u200d\u200e\u200f\u202e\ufeff"
text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]) | st.sampled_from(ARABIC),
               max_size=80) | st.sampled_from(PAYLOADS)
words = st.lists(st.text(alphabet=st.sampled_from(ARABIC + "abcXYZ<>&\"'019 "), min_size=1, max_size=6), max_size=3)


@given(text)
@example("ﷲ")  # one character that folds into several
@example("الأَسَـد، ٢٠٢٤")
def test_positions_map_each_folded_character_to_the_character_it_came_from(value):
    folded, positions = fold_with_positions(value)
    assert len(folded) == len(positions)
    assert positions == sorted(positions)
    assert all(0 <= index < len(value) for index in positions)
    for char, index in zip(folded, positions, strict=True):
        assert char == " " or char in _fold(value[index])
    assert folded == folded.strip() and "  " not in folded
    assert normalise(folded) == folded  # folding is idempotent


@given(text, words)
@example('<script>alert("x")</script> الأسد', ["الاسد", "script"])
def test_snippets_and_highlights_are_escaped_text_with_only_mark(value, typed):
    terms = [word for text in typed for word in query_words(text)]
    for marked in (excerpt(value, terms), highlight(value, terms)):
        assert not re.search(r"<(?!/?mark>)", marked), marked
        shown = html.unescape(re.sub(r"</?mark>", "", marked))
        if shown != value:  # an excerpt: a passage of the text, with an ellipsis where it was cut
            assert shown.removeprefix("… ").removesuffix(" …") in value
