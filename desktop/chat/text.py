"""Text folding shared by search, blocked words, question detection and answer matching.

Chat text is compared the way a presenter reads it, not byte for byte: "Écran" matches "ecran",
"Pourquoi" matches "pourquoi".  Folding is only ever used for *comparing*; the text shown and
exported is always the original, kept verbatim.
"""

from __future__ import annotations

import html
import re
import unicodedata

from desktop.ascii_text import DASHES_AND_ELLIPSIS, LATIN_LIGATURES

# Characters that change nothing a reader sees but break substring matches: zero-width spaces and
# joiners, the BOM, soft hyphens and the bidi controls.  They are dropped before comparing.
_INVISIBLE = dict.fromkeys(
    map(ord, "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"),
    None,
)
# Quotes that the gateway path rewrites (Pod turns ' and " into ’) or that keyboards vary on.
_QUOTES = dict.fromkeys(map(ord, "’‘‛′`\"“”«»„"), "'")
_SPACES = re.compile(r"\s+")
# "cœur" must match the "coeur" a v1.7 gateway can only carry (desktop.gateways.chat_text)
_LIGATURES = str.maketrans({**{k: v.lower() for k, v in LATIN_LIGATURES.items() if k.islower()},
                            **DASHES_AND_ELLIPSIS})


class _WithoutCombining(dict[int, int | None]):
    """A ``str.translate`` table that drops combining characters, filled as code points are met
    (a chat uses few distinct ones: after the first messages every lookup is a dict hit)."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        if len(self) < 100_000:  # hostile text may try every code point: stay bounded
            self[code] = kept
        return kept


_WITHOUT_COMBINING = _WithoutCombining()


def fold(text: str) -> str:
    """``text`` case-folded, without accents or invisible characters, for comparisons.

    "Où est l’ÉCRAN ?" -> "ou est l’ecran ?".  Decomposition (NFKD) also maps full-width and
    compatibility forms to their plain letters, so "？" becomes "?".

    Every chat message is folded several times on arrival (classification, questions, replies),
    on the GUI's loop: ASCII text (NFKD changes nothing there) returns at once, and accents are
    dropped with one ``str.translate`` rather than a Python loop over the characters.
    """
    folded = text.translate(_INVISIBLE).casefold()
    if folded.isascii():
        return folded
    return unicodedata.normalize("NFKD", folded).translate(_WITHOUT_COMBINING)


def match_key(text: str) -> str:
    """The key used to recognise one of our own answers when it comes back from the server.

    On its way to the chat an answer may be HTML-escaped (sendChatMessage), have its quotes
    replaced by ’ (the gateway path, like Pod does) or by a backquote and its accents dropped (a
    v1.7 gateway) and its spaces changed, so those differences are folded away as well.
    """
    folded = fold(html.unescape(text)).translate(_QUOTES).translate(_LIGATURES)
    return _SPACES.sub(" ", folded).strip()
