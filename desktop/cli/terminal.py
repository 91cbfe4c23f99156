"""Printing hostile text on a terminal: one printer for every command.

Titles, meeting names, rooms, chat authors and messages, gateway and server sentences come from
other people (a BBB server, the audience, a shared schedule).  Printed raw, ``ESC[2J`` clears the
screen and U+202E reverses the rest of the line (a title can then read like another one).
:func:`terminal_safe` shows every C0/C1 control, DEL, and the characters that reorder or hide
text (bidi embeddings, overrides, isolates and marks, line/paragraph separators, BOM) as visible
escapes; :func:`echo` prints a line through it; :func:`json_line` is the JSON-lines equivalent.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any, TextIO

# C0 and C1 controls, DEL, and the characters that reorder or hide text (bidi embeddings,
# overrides and isolates, marks, line/paragraph separators).
UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\e"}


def _visible(match: re.Match[str]) -> str:
    char = match.group(0)
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def terminal_safe(text: object) -> str:
    """``text`` with every terminal control and bidi override shown as a visible escape.

    ``ESC[2J`` becomes ``\\e[2J``, U+202E becomes ``\\u202e``, a newline ``\\n``: the terminal
    prints them instead of clearing the screen, reversing the line or forging another line.
    """
    return UNSAFE.sub(_visible, str(text))


def echo(*parts: object, file: TextIO | None = None, flush: bool = False) -> None:
    """``print`` for one line that may hold someone else's text: every part made terminal-safe
    (so a newline in a title cannot start a line of its own)."""
    print(" ".join(terminal_safe(part) for part in parts), file=file or sys.stdout, flush=flush)


def json_line(data: Any) -> str:
    """One JSON line whose strings carry no raw control or bidi character (``\\uXXXX`` instead)."""
    text = json.dumps(data, ensure_ascii=False)
    # json already escapes C0; C1, DEL and the bidi characters are legal raw in JSON strings but
    # not on a terminal.  They can only occur inside strings, where \\uXXXX means the same.
    return UNSAFE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
