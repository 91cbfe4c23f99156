"""What a live session is given: the plan of one live and its timings."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.bbb import CreateParams


@dataclass(frozen=True)
class LiveTimings:
    """Polling intervals and step budgets (seconds)."""

    presenter_poll: float = 1.0
    presenter_timeout: float = 4 * 3600.0  # the presenter may take long; the user can cancel
    check_timeout: float = 30.0
    stream_live_timeout: float = 90.0
    gateway_down_timeout: float = 60.0
    down_poll: float = 0.5
    live_poll: float = 5.0
    misses_before_autostop: int = 2
    gateway_status_every: float = 10.0
    reminder_before_end: float = 300.0
    auto_end_grace: float | None = None  # off by default


@dataclass(frozen=True)
class LivePlan:
    """What to take live.

    Attributes:
        key: the session key, as text (:class:`~desktop.webinar.session_key.SessionKey`).
        create: the create parameters, or None to adopt a meeting already running on the server.
        presenter_name: the name shown for the presenter in BBB.
        chat_in_stream: whether BBB's chat panel is shown in the video.
        scheduled_end: epoch seconds of the scheduled end, for reminders.
    """

    key: str
    title: str
    meeting_id: str
    room: str
    create: CreateParams | None
    presenter_name: str
    chat_in_stream: bool = True
    preferred_gateway: str | None = None
    scheduled_end: float | None = None
    webinar_id: int | None = None
    occurrence: int | None = None
    profile: str | None = None
