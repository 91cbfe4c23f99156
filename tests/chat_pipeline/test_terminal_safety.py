"""What ``pupitre chat tail`` prints can't drive the terminal, whatever the chat holds."""

from __future__ import annotations

import json
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from desktop.cli.commands.chat import json_line, terminal_safe

BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
HOSTILE = st.text(alphabet=st.one_of(st.characters(), st.sampled_from("\x1b\x9b\x07\n\r\t\x7f\u2028" + BIDI)))


def is_unsafe(char: str) -> bool:
    return unicodedata.category(char) == "Cc" or char in BIDI or char in "\u2028\u2029\ufeff"


@given(HOSTILE)
def test_nothing_unsafe_survives(text: str) -> None:
    shown = terminal_safe(text)
    assert not any(is_unsafe(char) for char in shown)
    assert "\n" not in shown  # one message, one line


@given(HOSTILE)
def test_json_lines_are_safe_and_lossless(text: str) -> None:
    line = json_line({"text": text, "author": text[:10]})
    assert not any(is_unsafe(char) for char in line)
    assert json.loads(line) == {"text": text, "author": text[:10]}


def test_escapes_are_readable() -> None:
    assert terminal_safe("a\x1b[2Jb\u202ec\td") == "a\\e[2Jb\\u202ec\\td"
    assert terminal_safe("Très bien 🎉 ?") == "Très bien 🎉 ?"
