"""Property: for any text, what each SIPMediaGW generation finally types is Pupitre's safe rendering.

The text goes the whole real way but the network: :func:`desktop.gateways.chat_text.prepare_chat_text`
(what the driver sends), upstream's command template run by the real ``/bin/sh``
(:mod:`desktop.lab.gateways.shell`; Renater/SIPMediaGW v1.6.0 and v1.7.0 ``HTTPLauncher.py``
``Chat.forwardCommand``, main 564e7a5 ``sendCommand`` ``sendChat``), then the container's decoder
(v1.6.0/v1.7.0 ``src/netstring.py``, main ``src/browsing.py`` ``chatHandler``).  Nothing may be
executed and nothing may change but the documented substitutions (``render_for_relay``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.gateways.chat_text import (
    ChatRelay,
    clean_chat_text,
    prepare_chat_text,
    render_for_relay,
)
from desktop.gateways.errors import ChatTextRejected
from desktop.lab.gateways.shell import GatewayShell
from desktop.lab.gateways.versions import (
    GatewayVersion,
    deliver_legacy,
    deliver_main_chat,
    legacy_message_payload,
)

# Shell-meaningful characters are drawn often, the rest of Unicode too (surrogates included).
HOSTILE = st.sampled_from([*list("\"'$`\\(){};|&<>*?!#~%\n\t "), "$(id)", "`id`", "${HOME}", "\\c", "\\n", "'; echo X; '", '"; echo X; "'])
TEXT = st.lists(st.one_of(HOSTILE, st.text(max_size=8)), max_size=40).map("".join)


@pytest.fixture(scope="module")
def shell() -> Iterator[GatewayShell]:
    gateway_shell = GatewayShell()
    yield gateway_shell
    gateway_shell.close()


def typed_by(version: GatewayVersion, shell: GatewayShell, sent: str) -> list[str]:
    async def go() -> list[str]:
        if version is GatewayVersion.MAIN:
            return await deliver_main_chat(shell, sent)
        event = await deliver_legacy(shell, version, legacy_message_payload(version, sent), "0123456789")
        text = event.get("text") if event else None
        return [text] if isinstance(text, str) else []

    return asyncio.run(go())


RELAYS = {GatewayVersion.MAIN: ChatRelay.PROXY_PRINTF, GatewayVersion.V1_6: ChatRelay.LEGACY_ECHO,
          GatewayVersion.V1_7: ChatRelay.LEGACY_BYTES}


@pytest.mark.parametrize("version", list(RELAYS))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT)
def test_what_the_gateway_types_is_the_safe_rendering(shell: GatewayShell, version: GatewayVersion,
                                                      text: str) -> None:
    relay = RELAYS[version]
    try:
        sent = prepare_chat_text(text, relay)
    except ChatTextRejected:
        return
    expected = render_for_relay(clean_chat_text(text), relay)
    if version is GatewayVersion.V1_7:
        expected = f"b'{expected}'"  # v1.7 types the bytes repr; all of it is ASCII, nothing escaped
    assert typed_by(version, shell, sent) == [expected]


def test_the_unescaped_text_does_run_in_the_shell(shell: GatewayShell) -> None:
    """The property above could not fail if the lab's shell did not interpret anything."""
    assert typed_by(GatewayVersion.MAIN, shell, "a $(echo RAN) b") == ["a RAN b"]
    assert typed_by(GatewayVersion.V1_6, shell, "a'$(echo RAN)'b") == ["aRANb"]


@pytest.fixture(scope="module")
def stand_in() -> Iterator[GatewayShell]:
    """The Python stand-in used where no POSIX shell exists (Windows)."""
    gateway_shell = GatewayShell()
    gateway_shell.posix = False
    yield gateway_shell
    gateway_shell.close()


@pytest.mark.parametrize("version", list(RELAYS))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXT)
def test_the_stand_in_agrees_with_the_shell_for_safe_text(shell: GatewayShell, stand_in: GatewayShell,
                                                          version: GatewayVersion, text: str) -> None:
    try:
        sent = prepare_chat_text(text, RELAYS[version])
    except ChatTextRejected:
        return
    assert typed_by(version, stand_in, sent) == typed_by(version, shell, sent)
