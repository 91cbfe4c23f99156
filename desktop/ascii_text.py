"""Plain-ASCII renderings of text, for channels that destroy everything else.

SIPMediaGW v1.7's legacy chat path turns every non-ASCII character into garbage (see
:mod:`desktop.gateways.chat_text`), so an answer sent that way is better written "tres" than
"trxc3xa8s".  :func:`to_ascii` is that rendering; :data:`LATIN_LIGATURES` is shared with the chat's
answer matching, which must recognise "coeur" coming back for "cœur".
"""

from __future__ import annotations

import unicodedata

# Letters NFKD does not decompose but a French (or German, Nordic) reader spells out in ASCII.
LATIN_LIGATURES = {
    "œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ẞ": "SS", "ø": "o", "Ø": "O",
    "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ı": "i", "þ": "th", "Þ": "TH", "ð": "d", "Ð": "D",
}
# Dashes and the ellipsis: also folded by the chat's answer matching.
DASHES_AND_ELLIPSIS = {"–": "-", "—": "-", "‐": "-", "‑": "-", "‒": "-", "−": "-", "…": "..."}
# Punctuation with an obvious ASCII reading.  Quotes are not mapped here: which ASCII quote is
# safe depends on the channel (the caller decides).
_PUNCTUATION = {
    **DASHES_AND_ELLIPSIS, "€": "EUR",
    "«": "<<", "»": ">>", "‹": "<", "›": ">", "•": "*", "·": ".", "×": "x", "÷": "/",
    "°": " deg", "©": "(c)", "®": "(R)", "™": "(TM)", "¿": "?", "¡": "!",
}
_TABLE = str.maketrans({**LATIN_LIGATURES, **_PUNCTUATION})
UNKNOWN = "?"


def to_ascii(text: str, *, unknown: str = UNKNOWN) -> str:
    """``text`` in printable ASCII: accents dropped, ligatures spelled out, the rest ``unknown``.

    "Très « bien » œuvre…" -> "Tres << bien >> oeuvre...".  Compatibility forms are unfolded first
    (NFKD: "ﬁ" -> "fi", a no-break space -> a space, "½" -> "1/2"); combining marks go; anything
    still outside printable ASCII (Greek, CJK, emoji...) becomes ``unknown``, one per character.
    """
    out: list[str] = []
    for char in unicodedata.normalize("NFKD", text.translate(_TABLE)):
        if " " <= char <= "~":
            out.append(char)
        elif unicodedata.combining(char):
            continue
        else:
            mapped = char.translate(_TABLE)
            out.append(mapped if mapped != char and mapped.isascii() else unknown)
    return "".join(out)
