"""The key of a live session: which occurrence of which webinar, or which adopted meeting.

Its text form — ``"12:3"`` (webinar 12, occurrence 3) or ``"adopted:<meetingID>"`` — is what the
journal, the chat archive, the control channel, ``--json`` and the command line use; it is
parsed and formatted here only (:meth:`SessionKey.parse`, ``str(key)``).
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.errors import ConfigError
from desktop.i18n import _

ADOPTED_PREFIX = "adopted:"


class InvalidSessionKey(ConfigError):
    """A text that is not a session key."""


@dataclass(frozen=True)
class SessionKey:
    """Either a scheduled occurrence (``webinar_id`` and ``occurrence``) or a meeting adopted
    from the server (``meeting_id``); build one with :meth:`of_occurrence` or :meth:`adopted`.
    """

    webinar_id: int | None = None
    occurrence: int | None = None
    meeting_id: str | None = None

    def __post_init__(self) -> None:
        scheduled = self.webinar_id is not None and self.occurrence is not None
        if scheduled == (self.meeting_id is not None) or (self.meeting_id == ""):
            raise ValueError("a session key is either an occurrence or an adopted meeting")

    @classmethod
    def of_occurrence(cls, webinar_id: int, occurrence: int) -> SessionKey:
        return cls(webinar_id=webinar_id, occurrence=occurrence)

    @classmethod
    def adopted(cls, meeting_id: str) -> SessionKey:
        return cls(meeting_id=meeting_id)

    @classmethod
    def parse(cls, text: str) -> SessionKey:
        """``"12:3"`` or ``"adopted:<meetingID>"``; anything else raises :class:`InvalidSessionKey`."""
        if text.startswith(ADOPTED_PREFIX) and len(text) > len(ADOPTED_PREFIX):
            return cls.adopted(text[len(ADOPTED_PREFIX):])
        webinar, sep, index = text.partition(":")
        if sep and _decimal(webinar) and _decimal(index):
            return cls.of_occurrence(int(webinar), int(index))
        raise InvalidSessionKey(_("“{key}” is not a session key (such as 3:0).").format(key=text),
                                hint=_("“pupitre webinar status” lists the keys of the lives Pupitre knows."))

    @classmethod
    def parse_or_none(cls, text: str) -> SessionKey | None:
        try:
            return cls.parse(text)
        except InvalidSessionKey:
            return None

    @staticmethod
    def looks_like_key(text: str) -> bool:
        """Whether ``text`` is meant as a key rather than a webinar id (the CLI's targets)."""
        return ":" in text

    @property
    def is_adopted(self) -> bool:
        return self.meeting_id is not None

    def __str__(self) -> str:
        if self.meeting_id is not None:
            return ADOPTED_PREFIX + self.meeting_id
        return f"{self.webinar_id}:{self.occurrence}"


def occurrence_key(webinar_id: int, index: int) -> str:
    """The text key of a scheduled occurrence (:class:`SessionKey`)."""
    return str(SessionKey.of_occurrence(webinar_id, index))


def adopted_key(meeting_id: str) -> str:
    """The text key of a meeting adopted from the server (:class:`SessionKey`)."""
    return str(SessionKey.adopted(meeting_id))


def _decimal(text: str) -> bool:
    return text.isascii() and text.isdigit()
