"""The Job page shows command words as typed and reads them back exactly."""

from __future__ import annotations

import shlex

from hypothesis import given
from hypothesis import strategies as st

from gui.job_page import join_words

_word = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)


def test_placeholders_are_not_quoted():
    assert join_words(["{python}", "-u", "{sample_job}"]) == "{python} -u {sample_job}"


@given(st.lists(_word, max_size=6))
def test_any_words_round_trip(words):
    assert shlex.split(join_words(words)) == words
