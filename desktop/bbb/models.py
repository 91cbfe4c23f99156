"""Typed answers of the BBB API (reference §3).

Field names are the BBB XML element names in snake_case (``participantCount`` ->
``participant_count``), so that :func:`to_json` gives scripts the names they know from the API
docs.  Counters and millisecond timestamps are ``int``, flags are ``bool``; anything the server
may omit is optional.  Instances are frozen: they are snapshots of the server's state.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, overload

# Fields that are (deprecated) join passwords: kept on the models, left out of JSON output.
PASSWORD_FIELDS = frozenset({"attendee_pw", "moderator_pw"})

_Model = TypeVar("_Model")


def assemble(model: type[_Model], values: dict[str, Any]) -> _Model:
    """An instance of the frozen dataclass ``model`` from the values of all of its fields, for
    the parser, which has checked each one.

    Why not ``model(**values)``: a frozen dataclass's ``__init__`` sets each field through
    ``object.__setattr__``, about 4 µs for a meeting's 29 fields — 8 ms of a 2,000-meeting
    getMeetings.  This fills the instance's ``__dict__`` at once; these models have no
    ``__post_init__``, so the result is the same object (tests compare both ways of building).
    """
    instance = object.__new__(model)
    instance.__dict__.update(values)
    return instance


@dataclass(frozen=True)
class ApiInfo:
    """The API root (no checksum: says nothing about the secret).

    ``graphql_websocket_url`` is None on BBB 2.x and behind Scalelite: then there is no GraphQL
    path for reading the chat.
    """

    version: str
    api_version: str | None = None
    bbb_version: str | None = None
    graphql_websocket_url: str | None = None
    graphql_api_url: str | None = None
    html5_plugin_sdk_version: str | None = None

    @property
    def has_graphql(self) -> bool:
        return bool(self.graphql_websocket_url)


@dataclass(frozen=True)
class CreateResult:
    """The answer of ``create``; ``duplicate`` is True for BBB's ``duplicateWarning``."""

    meeting_id: str
    internal_meeting_id: str
    create_time: int
    parent_meeting_id: str | None = None
    attendee_pw: str | None = None
    moderator_pw: str | None = None
    voice_bridge: int | None = None
    dial_number: str | None = None
    create_date: str | None = None
    has_user_joined: bool = False
    duration: int = 0
    has_been_forcibly_ended: bool = False
    duplicate: bool = False
    message_key: str = ""
    message: str = ""


@dataclass(frozen=True)
class JoinResult:
    """The XML answer of ``join`` with ``redirect=false`` (what a bot needs for GraphQL).

    ``guest_status`` is ALLOW, WAIT or DENY; ``message_key`` is ``successfullyJoined`` or
    ``guestWait``.
    """

    meeting_id: str
    user_id: str
    auth_token: str
    session_token: str
    guest_status: str | None = None
    url: str | None = None
    message_key: str = ""
    message: str = ""

    def __repr__(self) -> str:  # tokens are credentials: keep them out of reprs and logs
        return (
            f"JoinResult(meeting_id={self.meeting_id!r}, user_id={self.user_id!r}, "
            f"guest_status={self.guest_status!r}, message_key={self.message_key!r})"
        )


@dataclass(frozen=True)
class Attendee:
    """One connected user of a meeting (``attendees/attendee``)."""

    user_id: str
    full_name: str
    role: str
    is_presenter: bool = False
    is_listening_only: bool = False
    has_joined_voice: bool = False
    has_video: bool = False
    client_type: str | None = None
    customdata: dict[str, str] = field(default_factory=dict)

    @property
    def is_moderator(self) -> bool:
        return self.role.upper() == "MODERATOR"


class Attendees(Sequence[Attendee]):
    """The attendees of one meeting: an immutable sequence, read from the answer when first used.

    ``getMeetings`` lists every meeting with every attendee; a list of 2,000 meetings carries
    about 16,000 attendees, and turning them all into :class:`Attendee` objects was most of the
    call (issue 14) although the meetings list shows none of them.  So the parser hands over a
    ``reader``: the attendees are built the first time they are used (iterated, counted,
    indexed, compared, printed), once, and kept.  The answer was already refused at the call if
    it is not well-formed XML; a field of the wrong type (an ``isPresenter`` that is neither
    true nor false) raises the parser's :class:`~desktop.errors.ProtocolError` at that first
    use, and again at every later use (nothing half-built is kept).

    Compares equal to a tuple of the same attendees; ``Attendees(items)`` is a built one.
    """

    __slots__ = ("_items", "_reader")

    def __init__(self, items: Iterable[Attendee] = (), *,
                 reader: Callable[[], tuple[Attendee, ...]] | None = None) -> None:
        self._items: tuple[Attendee, ...] | None = None if reader is not None else tuple(items)
        self._reader = reader

    @property
    def is_read(self) -> bool:
        """Whether the attendees have been built (for tests and the benchmark)."""
        return self._items is not None

    def _all(self) -> tuple[Attendee, ...]:
        items = self._items
        if items is None:
            assert self._reader is not None
            items = self._items = self._reader()  # raises ProtocolError for a bad field
            self._reader = None  # lets the answer's XML tree go
        return items

    def __len__(self) -> int:
        return len(self._all())

    @overload
    def __getitem__(self, index: int) -> Attendee: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Attendee, ...]: ...
    def __getitem__(self, index: int | slice) -> Attendee | tuple[Attendee, ...]:
        return self._all()[index]

    def __iter__(self) -> Iterator[Attendee]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Attendees):
            return self._all() == other._all()
        if isinstance(other, tuple):
            return self._all() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return repr(self._all())

    def __reduce__(self) -> tuple[type[Attendees], tuple[tuple[Attendee, ...]]]:
        return (Attendees, (self._all(),))  # a copy or a pickle holds the attendees, not the XML


NO_ATTENDEES = Attendees()


class Metadata(Mapping[str, str]):
    """A meeting's metadata (``meta_*`` of create, keys lower-cased by BBB), read on first use.

    As :class:`Attendees`, and for the same reason: the meetings list shows none of it, and a
    dictionary per meeting is a tenth of a 2,000-meeting getMeetings.  Reading it cannot fail
    (every value is text).  Compares equal to a dict with the same items.
    """

    __slots__ = ("_items", "_reader")

    def __init__(self, items: Mapping[str, str] | None = None, *,
                 reader: Callable[[], dict[str, str]] | None = None) -> None:
        self._items: dict[str, str] | None = None if reader is not None else dict(items or {})
        self._reader = reader

    @property
    def is_read(self) -> bool:
        return self._items is not None

    def _all(self) -> dict[str, str]:
        items = self._items
        if items is None:
            assert self._reader is not None
            items = self._items = self._reader()
            self._reader = None
        return items

    def __getitem__(self, key: str) -> str:
        return self._all()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def __repr__(self) -> str:
        return repr(self._all())

    def __reduce__(self) -> tuple[type[Metadata], tuple[dict[str, str]]]:
        return (Metadata, (self._all(),))


@dataclass(frozen=True)
class Meeting:
    """A meeting as ``getMeetings`` and ``getMeetingInfo`` describe it.

    ``metadata`` keys are lower-cased by BBB (``meta_endCallbackUrl`` -> ``endcallbackurl``).
    ``running`` is only true once someone has joined.  From getMeetings, ``attendees`` is an
    :class:`Attendees` and ``metadata`` a :class:`Metadata`, both read on first use.  Breakout information: ``is_breakout`` with
    ``parent_meeting_id``/``sequence``/``free_join`` for a room, ``breakout_rooms`` (meeting IDs)
    for a parent.
    """

    meeting_name: str
    meeting_id: str
    internal_meeting_id: str
    create_time: int
    create_date: str | None = None
    voice_bridge: int | None = None
    dial_number: str | None = None
    attendee_pw: str | None = None
    moderator_pw: str | None = None
    running: bool = False
    duration: int = 0
    has_user_joined: bool = False
    recording: bool = False
    has_been_forcibly_ended: bool = False
    start_time: int = 0
    end_time: int = 0
    participant_count: int = 0
    listener_count: int = 0
    voice_participant_count: int = 0
    video_count: int = 0
    max_users: int = 0
    moderator_count: int = 0
    attendees: Sequence[Attendee] = NO_ATTENDEES
    metadata: Mapping[str, str] = field(default_factory=dict)
    is_breakout: bool = False
    parent_meeting_id: str | None = None
    sequence: int | None = None
    free_join: bool | None = None
    breakout_rooms: tuple[str, ...] = ()

    def attendee_named(self, full_name: str) -> Attendee | None:
        """The first attendee with this display name (e.g. the gateway's ``streaming`` user)."""
        for attendee in self.attendees:
            if attendee.full_name == full_name:
                return attendee
        return None


def to_json(value: Any, *, include_passwords: bool = False) -> Any:
    """A model (or list of models) as JSON-ready dicts and lists; passwords left out by default."""
    if isinstance(value, list | tuple | Attendees):
        return [to_json(item, include_passwords=include_passwords) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            if f.name in PASSWORD_FIELDS and not include_passwords:
                continue
            out[f.name] = to_json(getattr(value, f.name), include_passwords=include_passwords)
        return out
    if isinstance(value, Mapping):
        return {str(k): to_json(v, include_passwords=include_passwords) for k, v in value.items()}
    return value
