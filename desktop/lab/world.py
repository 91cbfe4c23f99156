"""The state the lab's emulators share: BBB meetings, their users and public chat, and faults.

The HTTP faces (BBB API, GraphQL, gateways, HLS origin, pages) are thin: they translate requests
into calls on :class:`LabWorld` and its :class:`LabMeeting` objects, and render the answers in
each protocol's exact shape.  Everything that happens is also published as a :class:`WorldEvent`
so that GraphQL subscriptions, the video renderer and tests can follow it without polling.

Lifecycle rules follow BBB (bbb-api.md §3): ``create`` is idempotent; a meeting counts as running
only once a user has joined; it ends on ``end`` (asynchronously), after its last user left (after
``last_user_left_delay``), or when nobody joined within ``no_user_joined_delay``.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import string
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from hashlib import sha1
from typing import Any

logger = logging.getLogger(__name__)

PUBLIC_CHAT_ID = "MAIN-PUBLIC-GROUP-CHAT"


def now_ms() -> int:
    return int(time.time() * 1000)


def _token(length: int = 12) -> str:
    alphabet = string.ascii_lowercase + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(length))


@dataclass
class LabUser:
    """A participant session created by ``join``.

    ``present`` becomes True when the user is really in the meeting: the lab client page loaded
    (browser joins), ``userJoinMeeting`` over GraphQL (bots), or a gateway's streaming user.
    """

    user_id: str
    full_name: str
    role: str  # MODERATOR | VIEWER
    external_user_id: str
    session_token: str
    auth_token: str
    jsessionid: str
    client_type: str = "HTML5"
    customdata: dict[str, str] = field(default_factory=dict)
    present: bool = False
    joined_at: int = 0
    left: bool = False

    @property
    def is_moderator(self) -> bool:
        return self.role == "MODERATOR"


@dataclass
class LabChatMessage:
    """One public-chat message, with the fields of ``chat_message_public`` (bbb-api.md §4.3)."""

    message_id: str
    sequence: int
    text: str
    sender_id: str
    sender_name: str
    sender_role: str
    sender_is_moderator: bool
    created_at: int  # ms
    message_type: str = "default"
    chat_id: str = PUBLIC_CHAT_ID
    edited_at: int | None = None
    deleted_at: int | None = None

    def to_graphql(self) -> dict[str, Any]:
        def iso(ms: int | None) -> str | None:
            if ms is None:
                return None
            return datetime.fromtimestamp(ms / 1000, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")

        return {
            "messageId": self.message_id,
            "messageSequence": self.sequence,
            "messageType": self.message_type,
            "chatId": self.chat_id,
            "message": self.text,
            "messageMetadata": None,
            "senderId": self.sender_id,
            "senderName": self.sender_name,
            "senderRole": self.sender_role,
            "createdAt": iso(self.created_at),
            "editedAt": iso(self.edited_at),
            "deletedAt": iso(self.deleted_at),
            "user": {"name": self.sender_name, "userId": self.sender_id, "isModerator": self.sender_is_moderator},
        }


@dataclass
class LabMeeting:
    """A BBB meeting as bbb-web keeps it."""

    meeting_id: str
    internal_id: str
    name: str
    create_time: int
    voice_bridge: int
    attendee_pw: str
    moderator_pw: str
    params: dict[str, str]
    metadata: dict[str, str]
    users: dict[str, LabUser] = field(default_factory=dict)
    chat: list[LabChatMessage] = field(default_factory=list)
    start_time: int = 0
    end_time: int = 0
    has_user_joined: bool = False
    forcibly_ended: bool = False
    ended: bool = False
    end_requested: bool = False

    # -- derived views ---------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.has_user_joined and not self.ended and not self.end_requested

    @property
    def present_users(self) -> list[LabUser]:
        return [u for u in self.users.values() if u.present and not u.left]

    @property
    def participant_count(self) -> int:
        return len(self.present_users)

    @property
    def moderator_count(self) -> int:
        return sum(1 for u in self.present_users if u.is_moderator)

    @property
    def max_participants(self) -> int:
        try:
            return int(self.params.get("maxParticipants", "0") or 0)
        except ValueError:
            return 0

    @property
    def duration(self) -> int:
        try:
            return int(self.params.get("duration", "0") or 0)
        except ValueError:
            return 0

    @property
    def create_date(self) -> str:
        return datetime.fromtimestamp(self.create_time / 1000, UTC).strftime("%a %b %d %H:%M:%S UTC %Y")

    def user_by_session(self, session_token: str) -> LabUser | None:
        for user in self.users.values():
            if user.session_token == session_token:
                return user
        return None


@dataclass(frozen=True)
class WorldEvent:
    """Something that happened in the lab: ``kind`` in meeting_created, user_joined, user_left,
    chat_message, meeting_ended, fault_changed; ``meeting_id`` when it concerns a meeting."""

    kind: str
    meeting_id: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class BBBFaults:
    """Faults of the BBB emulator, switched by the control endpoint."""

    down: bool = False  # the API and GraphQL refuse connections
    accepted_algorithms: tuple[str, ...] = ("sha1", "sha256", "sha384", "sha512")
    graphql_drop: int = 0  # bumped to drop every open GraphQL connection


@dataclass
class LifecycleTimings:
    """Delays of the meeting lifecycle (seconds); short by default for tests."""

    end_delay: float = 0.2  # end is asynchronous in BBB
    last_user_left_delay: float = 60.0  # meetingExpireWhenLastUserLeftInMinutes (1 min)
    no_user_joined_delay: float = 300.0  # meetingExpireIfNoUserJoinedInMinutes (5 min)


class LabWorld:
    """All meetings of the lab's BBB server, plus the event bus."""

    def __init__(self, *, secret: str | None = None, timings: LifecycleTimings | None = None) -> None:
        self.secret = secret or secrets.token_hex(20)
        self.timings = timings or LifecycleTimings()
        self.meetings: dict[str, LabMeeting] = {}
        self.bbb_faults = BBBFaults()
        self._listeners: list[Callable[[WorldEvent], None]] = []
        self._timers: dict[tuple[str, str], asyncio.TimerHandle] = {}
        self._message_counter = 0

    # -- events ----------------------------------------------------------------------------
    def subscribe(self, listener: Callable[[WorldEvent], None]) -> Callable[[], None]:
        """Call ``listener`` for every event; returns the unsubscribe function."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def emit(self, event: WorldEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # a broken observer must not break the world
                logger.exception("lab listener failed on %s", event.kind)

    async def next_event(self, predicate: Callable[[WorldEvent], bool], timeout: float) -> WorldEvent:
        """Wait for the next event matching ``predicate`` (for tests and emulators)."""
        future: asyncio.Future[WorldEvent] = asyncio.get_running_loop().create_future()

        def listener(event: WorldEvent) -> None:
            if not future.done() and predicate(event):
                future.set_result(event)

        unsubscribe = self.subscribe(listener)
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            unsubscribe()

    # -- meetings ----------------------------------------------------------------------------
    def meeting(self, meeting_id: str) -> LabMeeting | None:
        """The meeting with this external id, ended ones included until removed."""
        return self.meetings.get(meeting_id)

    def live_meeting(self, meeting_id: str) -> LabMeeting | None:
        meeting = self.meetings.get(meeting_id)
        return meeting if meeting is not None and not meeting.ended else None

    def meeting_by_internal_id(self, internal_id: str) -> LabMeeting | None:
        for meeting in self.meetings.values():
            if meeting.internal_id == internal_id:
                return meeting
        return None

    def create_meeting(self, params: dict[str, str]) -> tuple[LabMeeting, bool]:
        """Create (or find) a meeting; returns (meeting, duplicate).

        Raises ``ValueError("idNotUnique")`` when the meeting exists with other passwords.
        """
        meeting_id = params["meetingID"]
        existing = self.live_meeting(meeting_id)
        if existing is not None:
            for key, current in (("attendeePW", existing.attendee_pw), ("moderatorPW", existing.moderator_pw)):
                if params.get(key) and params[key] != current:
                    raise ValueError("idNotUnique")
            return existing, True
        created = now_ms()
        internal = f"{sha1(meeting_id.encode()).hexdigest()}-{created}"
        metadata = {k[5:].lower(): v for k, v in params.items() if k.startswith("meta_")}
        meeting = LabMeeting(
            meeting_id=meeting_id,
            internal_id=internal,
            name=params.get("name", meeting_id),
            create_time=created,
            voice_bridge=70000 + secrets.randbelow(9999),
            attendee_pw=params.get("attendeePW") or _token(8),
            moderator_pw=params.get("moderatorPW") or _token(8),
            params=dict(params),
            metadata=metadata,
        )
        self.meetings[meeting_id] = meeting
        self._schedule(meeting, "no_user", self._expire_delay(meeting, "meetingExpireIfNoUserJoinedInMinutes",
                                                               self.timings.no_user_joined_delay),
                       lambda: None if meeting.has_user_joined else self.finish_meeting(meeting, "nobody joined"))
        self.emit(WorldEvent("meeting_created", meeting_id))
        return meeting, False

    def register_user(self, meeting: LabMeeting, *, full_name: str, role: str, external_user_id: str = "",
                      customdata: dict[str, str] | None = None) -> LabUser:
        """A join: a session exists, the user is not yet in the meeting (see :meth:`enter`)."""
        user_id = f"w_{_token(12)}"
        user = LabUser(
            user_id=user_id,
            full_name=full_name,
            role=role,
            external_user_id=external_user_id or user_id,
            session_token=_token(16),
            auth_token=_token(12),
            jsessionid=secrets.token_hex(16).upper(),
            customdata=dict(customdata or {}),
        )
        meeting.users[user_id] = user
        return user

    def enter(self, meeting: LabMeeting, user: LabUser, *, client_type: str = "HTML5") -> None:
        """The user is now in the meeting; the meeting runs from the first one on."""
        if user.present or meeting.ended:
            return
        user.present = True
        user.left = False
        user.client_type = client_type
        user.joined_at = now_ms()
        if not meeting.has_user_joined:
            meeting.has_user_joined = True
            meeting.start_time = user.joined_at
        self._cancel(meeting, "last_user_left")
        self.emit(WorldEvent("user_joined", meeting.meeting_id, {"user_id": user.user_id, "name": user.full_name,
                                                                  "role": user.role}))

    def leave(self, meeting: LabMeeting, user: LabUser) -> None:
        if not user.present or user.left:
            return
        user.left = True
        user.present = False
        self.emit(WorldEvent("user_left", meeting.meeting_id, {"user_id": user.user_id, "name": user.full_name}))
        if meeting.participant_count == 0 and not meeting.ended:
            delay = self._expire_delay(meeting, "meetingExpireWhenLastUserLeftInMinutes",
                                       self.timings.last_user_left_delay)
            self._schedule(meeting, "last_user_left", delay,
                           lambda: self.finish_meeting(meeting, "last user left")
                           if meeting.participant_count == 0 else None)

    def request_end(self, meeting: LabMeeting, *, reason: str = "end requested") -> None:
        """``end`` is asynchronous in bbb-web: the call answers ``sentEndMeetingRequest`` and the
        meeting goes away shortly after (``end_delay``); it stops counting as running at once."""
        meeting.forcibly_ended = True
        meeting.end_requested = True
        self._schedule(meeting, "end", self.timings.end_delay, lambda: self.finish_meeting(meeting, reason))

    def finish_meeting(self, meeting: LabMeeting, reason: str) -> None:
        if meeting.ended:
            return
        meeting.ended = True
        meeting.end_time = now_ms()
        for user in meeting.present_users:
            user.present = False
            user.left = True
        for key in [k for k in self._timers if k[0] == meeting.meeting_id]:
            self._timers.pop(key).cancel()
        logger.info("lab meeting %s ended (%s)", meeting.meeting_id, reason)
        self.emit(WorldEvent("meeting_ended", meeting.meeting_id, {"reason": reason}))

    # -- chat ------------------------------------------------------------------------------
    def post_chat(self, meeting: LabMeeting, *, text: str, sender_name: str, sender_id: str = "",
                  sender_role: str = "VIEWER", message_type: str = "default") -> LabChatMessage:
        self._message_counter += 1
        message = LabChatMessage(
            message_id=f"{now_ms()}-{_token(8)}",
            sequence=len(meeting.chat) + 1,
            text=text,
            sender_id=sender_id or "w_system",
            sender_name=sender_name,
            sender_role=sender_role,
            sender_is_moderator=sender_role == "MODERATOR",
            created_at=now_ms(),
            message_type=message_type,
        )
        meeting.chat.append(message)
        self.emit(WorldEvent("chat_message", meeting.meeting_id, {"message": message}))
        return message

    # -- faults ------------------------------------------------------------------------------
    def fault_changed(self, what: str, **data: Any) -> None:
        self.emit(WorldEvent("fault_changed", None, {"what": what, **data}))

    # -- timers --------------------------------------------------------------------------------
    def _expire_delay(self, meeting: LabMeeting, param: str, default: float) -> float:
        raw = meeting.params.get(param)
        if raw:
            try:
                return max(0.0, float(raw) * 60.0)
            except ValueError:
                pass
        return default

    def _schedule(self, meeting: LabMeeting, name: str, delay: float, action: Callable[[], None]) -> None:
        self._cancel(meeting, name)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop (plain unit use): lifecycle timers do not run
            return
        self._timers[(meeting.meeting_id, name)] = loop.call_later(delay, action)

    def _cancel(self, meeting: LabMeeting, name: str) -> None:
        handle = self._timers.pop((meeting.meeting_id, name), None)
        if handle is not None:
            handle.cancel()

    def close(self) -> None:
        for handle in self._timers.values():
            handle.cancel()
        self._timers.clear()
