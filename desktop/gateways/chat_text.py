"""Make an audience message safe to hand to a gateway's browser automation.

Both generations end up typing the text into BBB's chat input:

* a newline would press Enter half-way (and the v1.8 launcher reads its chat FIFO line by line),
  so control characters become spaces;
* the legacy launcher builds ``echo '<json>' | netcat …`` in a shell and formats the text into a
  hand-made JSON string (§3.6, §3.9): ``'`` ends the shell quote and ``"`` ends the JSON string,
  which is why Esup-Pod replaces both with ``’``.  We do the same, and also replace ``\\``, which
  dash's ``echo`` and the hand-made JSON would both eat, with the look-alike ``∖``;
* BBB's ``sendChatMessage`` caps messages at 500 characters; the same cap applies here so that
  every path behaves alike (weakness #11).
"""

from __future__ import annotations

import re

from desktop.gateways.errors import ChatTextRejected
from desktop.i18n import _

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_LEGACY_REPLACEMENTS = str.maketrans({"'": "’", '"': "’", "\\": "∖"})


def prepare_chat_text(text: str, *, max_length: int = 500, legacy_shell: bool = False) -> str:
    """The text as the gateway must receive it, or ChatTextRejected."""
    cleaned = _CONTROL.sub(" ", text).strip()
    if legacy_shell:
        cleaned = cleaned.translate(_LEGACY_REPLACEMENTS)
    if not cleaned:
        raise ChatTextRejected(_("The chat message is empty."))
    if len(cleaned) > max_length:
        raise ChatTextRejected(
            _("The chat message is {length} characters long; the limit is {limit}.").format(
                length=len(cleaned), limit=max_length),
            hint=_("Shorten it or split it into several messages."),
        )
    return cleaned
