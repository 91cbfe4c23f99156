"""A stand-in for the python-vlc module: records calls, lets tests fire libVLC events."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class EventType:
    MediaPlayerEncounteredError = "error"
    MediaPlayerEndReached = "end"
    MediaPlayerPlaying = "playing"


class MediaStats:
    def __init__(self) -> None:
        self.displayed_pictures = 0


class FakeMedia:
    def __init__(self, url: str) -> None:
        self.url = url
        self.options: list[str] = []
        self.displayed = 0

    def add_option(self, option: str) -> None:
        self.options.append(option)

    def get_stats(self, stats: MediaStats) -> bool:
        stats.displayed_pictures = self.displayed
        return True


class FakeEventManager:
    def __init__(self) -> None:
        self.callbacks: dict[str, Callable[[Any], None]] = {}

    def event_attach(self, event_type: str, callback: Callable[[Any], None]) -> None:
        self.callbacks[event_type] = callback


class FakePlayer:
    def __init__(self) -> None:
        self.events = FakeEventManager()
        self.media: FakeMedia | None = None
        self.plays = 0
        self.stops = 0
        self.muted: bool | None = None
        self.volume: int | None = None
        self.window: int | None = None
        self.released = False
        self.rates: list[float] = []  # every set_rate, in order

    def event_manager(self) -> FakeEventManager:
        return self.events

    def set_media(self, media: FakeMedia) -> None:
        self.media = media

    def set_xwindow(self, handle: int) -> None:
        self.window = handle

    set_hwnd = set_nsobject = set_xwindow

    def play(self) -> int:
        self.plays += 1
        return 0

    def stop(self) -> None:
        self.stops += 1

    def set_rate(self, rate: float) -> int:
        self.rates.append(rate)
        return 0

    def audio_set_mute(self, muted: bool) -> None:
        self.muted = muted

    def audio_set_volume(self, volume: int) -> int:
        self.volume = volume
        return 0

    def release(self) -> None:
        self.released = True

    def fire(self, event_type: str, *, from_thread: bool = True) -> None:
        """Fire an event the way libVLC does: on one of its own threads."""
        callback = self.events.callbacks[event_type]
        if not from_thread:
            callback(None)
            return
        thread = threading.Thread(target=callback, args=(None,))
        thread.start()
        thread.join()


class FakeInstance:
    def __init__(self, args: list[str]) -> None:
        self.args = args
        self.player = FakePlayer()
        self.opened: list[FakeMedia] = []
        self.released = False

    def media_player_new(self) -> FakePlayer:
        return self.player

    def media_new(self, url: str) -> FakeMedia:
        media = FakeMedia(url)
        self.opened.append(media)
        return media

    def release(self) -> None:
        self.released = True


class FakeVlc:
    """Module-like: ``Instance``, ``EventType``, ``MediaStats``."""

    EventType = EventType
    MediaStats = MediaStats

    def __init__(self, *, refuse_options: bool = False) -> None:
        self.refuse_options = refuse_options
        self.instance: FakeInstance | None = None

    def Instance(self, args: list[str]) -> FakeInstance | None:
        if self.refuse_options:
            return None
        self.instance = FakeInstance(args)
        return self.instance
