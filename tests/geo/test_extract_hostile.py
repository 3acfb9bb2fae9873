"""Hostile text: long runs of marks or spaces take linear time, splitting as before."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo.extract._text import _BOUNDARY, strip_html

# The patterns as they were, which backtracked over each run once per character of it.
_OLD_BOUNDARY = re.compile(r"[.!?…]+[\"»”’')\]]*\s+(?=[\"«“‘(\[]?\s*[A-ZÀ-ÖØ-Þ0-9])")
_OLD_BLANKS = re.compile(r"[ \t]*\n(?:[ \t]*\n)+")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=".!?…\"»”’')] \t\u00a0«“‘([A1ab", max_size=16))
def test_sentence_boundaries_are_the_old_ones(s):
    old = [(m.start(), m.end()) for m in _OLD_BOUNDARY.finditer(s)]
    assert [(m.start(), m.end()) for m in _BOUNDARY.finditer(s)] == old


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=" \t\na", max_size=16))
def test_blank_lines_collapse_as_before(s):
    assert strip_html(s) == _OLD_BLANKS.sub("\n\n", s)


@pytest.mark.parametrize(
    "code",
    [
        "sentences('.' * 300_000)",  # was ~40 minutes
        "sentences('a.' + ' ' * 300_000 + 'x')",
        "strip_html('<p>' + ' ' * 300_000 + 'x</p>')",  # was ~2 minutes
        'NormalizedText("l\'" * 300_000)',
    ],
)
def test_runs_of_one_character_are_read_in_linear_time(code):
    # A hang guard, not a benchmark: each takes well under a second now.
    prelude = "from geo.extract._text import NormalizedText, sentences, strip_html\n"
    subprocess.run([sys.executable, "-c", prelude + code], check=True, timeout=120)
