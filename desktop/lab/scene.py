"""What the gateway's "streaming" browser shows: the picture the lab's HLS origin draws.

A gateway emulator owns a :class:`SceneSource` for the meeting it joined; the video renderer
calls it once per frame, so the video follows the meeting (participants, chat, panel toggle).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ChatLine:
    sender: str
    text: str


@dataclass(frozen=True)
class Scene:
    """One frame's content.

    Attributes:
        title: the meeting name.
        participant_count: users present in the meeting.
        chat_visible: whether BBB's public chat panel is shown (the gateway's toggle).
        chat: the newest public-chat lines, oldest first (at most a screenful).
        gateway: the gateway's name, drawn small in a corner.
    """

    title: str
    participant_count: int
    chat_visible: bool
    chat: tuple[ChatLine, ...] = field(default_factory=tuple)
    gateway: str = ""


SceneSource = Callable[[], Scene]

IDLE_SCENE = Scene(title="Pupitre lab", participant_count=0, chat_visible=False)
