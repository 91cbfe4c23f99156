"""Make a chat line safe for the way each SIPMediaGW generation carries it to its browser.

A chat line sent through a gateway ends up typed into BBB's public chat by the gateway's browser,
but on its way every generation pastes it into a shell command and a hand-made JSON string.  What
each one interprets was read in Renater/SIPMediaGW (tags and commits named per relay below); the
rendering here makes every character arrive as itself or as a documented look-alike, and never
lets the text end a quote:

* :attr:`ChatRelay.PROXY_PRINTF` — ``main`` (564e7a5, ``HTTPLauncher.py`` ``sendCommand``
  ``sendChat``): ``docker exec <gw> sh -c 'if [ -p ./chatFifo ]; then printf "%s\\n" "<msg>" >
  ./chatFifo; fi'``.  The text sits **inside double quotes in a shell** (the container's
  ``/bin/sh``, dash on its ``debian:12-slim`` image): ``"`` ends the string, ``$`` expands
  (``$(…)`` runs a command as root in the container), a backquote runs a command, ``\\`` escapes.
  POSIX leaves exactly those four special inside double quotes (newlines are turned into spaces
  before), so each gets a backslash and arrives as itself.  ``src/browsing.py`` ``chatHandler``
  then reads up to 4096 bytes of the FIFO, ``strip()``s them and hands them to
  ``window.meeting.sendChat(arguments[0])`` (a WebDriver argument, not JavaScript source).
* :attr:`ChatRelay.LEGACY_ECHO` — v1.5.0–v1.6.0 (``HTTPLauncher.py`` ``Chat.POST`` and
  ``forwardCommand``): ``docker compose run … /bin/sh -c "echo '{json}' | netcat -q 1 <room>
  4444"`` with the text formatted into ``{"event":"message", "type":"CHAT_INPUT", "text": "<msg>" }``.
  ``'`` would end the shell's single quotes (a command injection), ``"`` ends the JSON string
  (the message is lost), ``\\`` is eaten by dash's ``echo`` then by JSON.  Like Esup-Pod
  (``pod/meeting/webinar.py`` ``chat_rtmp_gateway``) we replace the quotes — ``'`` by ``’``,
  ``"`` by ``”`` — and ``\\`` by ``∖``.  ``src/eventServer.py`` (v1.6.0) forwards what one
  ``recv(1024)`` returns, so a line over 1024 bytes is cut in two and both halves are dropped:
  such a text is refused here with a sentence.  The browser types the text with Selenium's
  ``send_keys``: characters U+E000–U+F8FF are WebDriver key codes there (W3C WebDriver, "Keyboard
  actions", U+E000–U+E05D: Enter, Backspace, Control…), and ChromeDriver refuses characters
  outside the Basic Multilingual Plane (emoji) **[ChromeDriver limitation, not verified against
  the gateway's own Chrome version]** — both become U+FFFD.
* :attr:`ChatRelay.LEGACY_BYTES` — v1.7.0, and legacy ``main`` from ed6f094 (2025-05-18) until
  the FastAPI rewrite: ``Chat.POST`` formats ``msg.encode('utf-8')``, i.e. Python's bytes repr
  ``b'…\\xc3\\xa9…'``, replaces every ``'`` by ``\\"``, frames it as a netstring and sends it
  through the same ``echo '…'``; the container's ``src/netstring.py`` ``decodeNetString`` turns
  ``\\"`` back into ``'`` and then **deletes every backslash**.  Every non-ASCII character
  therefore arrives as ``xc3xa9``-style garbage, and a ``'`` or ``"`` in the text breaks the JSON
  (the message is lost).  Nothing non-ASCII can cross, so the text is sent in plain ASCII
  (:func:`desktop.ascii_text.to_ascii`: "très" -> "tres"), every quote (straight or curly)
  becomes a backquote and ``\\`` a slash.  It still arrives wrapped as ``b'…'`` (the gateway types that).
* :attr:`ChatRelay.NONE` — tagged v1.8.0–v1.8.4: the proxy forwards ``/command`` to ``/command``
  while the launcher serves ``/gateway/command`` (and its ``send_command`` only acknowledges):
  nothing can be relayed.

Every relay: control characters (newline included: the FIFO and the event server are read as
lines, and a newline would press Enter half-way) become spaces; lone surrogates become U+FFFD;
BBB's ``sendChatMessage`` cap of 500 characters applies to what the presenter wrote, so that every
answer path behaves alike (reference weakness #11).
"""

from __future__ import annotations

import enum
import re

from desktop.ascii_text import to_ascii
from desktop.gateways.errors import ChatTextRejected
from desktop.i18n import _

MAX_CHAT_CHARS = 500


class ChatRelay(enum.Enum):
    """How a gateway generation carries a chat line to its browser (see the module docstring)."""

    PROXY_PRINTF = "proxy-printf"
    LEGACY_ECHO = "legacy-echo"
    LEGACY_BYTES = "legacy-bytes"
    NONE = "none"


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_SHELL_DOUBLE_QUOTED = re.compile(r'([\\"$`])')
_WEBDRIVER_KEYS_AND_ASTRAL = re.compile(r"[\ue000-\uf8ff\U00010000-\U0010ffff]")
_ECHO_REPLACEMENTS = str.maketrans({"'": "’", '"': "”", "\\": "∖"})
_BYTES_REPLACEMENTS = str.maketrans({**dict.fromkeys("'’‘‚‛′\"“”„‟″«»‹›", "`"), "\\": "/"})

# v1.6.0's event server reads one recv(1024) per command: the echo line (JSON + newline) must fit.
LEGACY_ECHO_FRAME = '{"event":"message", "type":"CHAT_INPUT", "text": "" }\n'
LEGACY_ECHO_MAX_BYTES = 1024 - len(LEGACY_ECHO_FRAME.encode())


def clean_chat_text(text: str, *, max_length: int = MAX_CHAT_CHARS) -> str:
    """The presenter's text on one line, checked against the length cap (ChatTextRejected)."""
    cleaned = _SURROGATE.sub("\ufffd", _CONTROL.sub(" ", text)).strip()
    if not cleaned:
        raise ChatTextRejected(_("The chat message is empty."))
    if len(cleaned) > max_length:
        raise ChatTextRejected(
            _("The chat message is {length} characters long; the limit is {limit}.").format(
                length=len(cleaned), limit=max_length),
            hint=_("Shorten it or split it into several messages."),
        )
    return cleaned


def render_for_relay(cleaned: str, relay: ChatRelay) -> str:
    """What the presenter should *see* arrive: the cleaned text with the relay's substitutions."""
    if relay is ChatRelay.LEGACY_ECHO:
        return _WEBDRIVER_KEYS_AND_ASTRAL.sub("\ufffd", cleaned.translate(_ECHO_REPLACEMENTS))
    if relay is ChatRelay.LEGACY_BYTES:
        return to_ascii(cleaned.translate(_BYTES_REPLACEMENTS)).strip()
    return cleaned


def prepare_chat_text(text: str, relay: ChatRelay, *, max_length: int = MAX_CHAT_CHARS) -> str:
    """The string to put in the gateway's request so that :func:`render_for_relay` arrives.

    Raises ChatTextRejected for an empty or too long text, or one the relay would cut.
    """
    cleaned = clean_chat_text(text, max_length=max_length)
    rendered = render_for_relay(cleaned, relay)
    if not rendered:
        raise ChatTextRejected(_("The chat message is empty."))
    if relay is ChatRelay.PROXY_PRINTF:
        return _SHELL_DOUBLE_QUOTED.sub(r"\\\1", rendered)
    if relay is ChatRelay.LEGACY_ECHO and len(rendered.encode()) > LEGACY_ECHO_MAX_BYTES:
        raise ChatTextRejected(
            _("This gateway (SIPMediaGW v1.5–v1.6) relays at most {limit} bytes per chat message; "
              "this one has {size}.").format(limit=LEGACY_ECHO_MAX_BYTES, size=len(rendered.encode())),
            hint=_("Shorten it or split it into several messages."),
        )
    return rendered
