"""Follows a live HLS playlist segment by segment, from the live edge: what the preview relay sends.

A player reading HLS by itself decides where to start and how much to buffer (libVLC 3 starts
two segments or more behind the newest one).  :class:`SegmentFeed` makes that decision for the
preview instead: it starts with the **first segment that appears after it opened** (at most one
segment's wait; the newest one when none comes in time), then hands out each following segment
the moment the playlist lists it.  :mod:`desktop.stream.relay` writes those segments, one after
the other, to the player as a single MPEG-TS stream, so the player's own buffer is all that sits
between the newest segment and the screen.

The feed ends (:class:`FeedEnded`, with a sentence) when the stream restarts (a discontinuity or
a media sequence that goes backwards: the player must reopen to reset its clock), when the
playlist says the stream is finished, or when no new segment came for ``stall_timeout``.  Only
playlists the relay can concatenate are accepted: MPEG-TS segments, no encryption, no fMP4
initialisation section (:class:`FeedUnsupported` otherwise, and the relay hands the player the
HLS URL itself).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import httpx

from desktop.errors import PupitreError
from desktop.i18n import _
from desktop.stream.fetch import fetch_limited, parse_off_loop
from desktop.stream.playlist import (
    MasterPlaylist,
    MediaPlaylist,
    PlaylistError,
    Segment,
)

MIN_POLL_SECONDS = 0.1
MAX_POLL_SECONDS = 1.0
POLLS_PER_SEGMENT = 4
"""Polling at a quarter of the target duration: the feed hands a segment out 1/8 of a segment
late on average, for four small playlist requests per segment (a live playlist is < 1 KB)."""

FIRST_SEGMENT_WAIT = 1.5
"""How long (in target durations) to wait at open for a segment newer than the newest one."""

UNSUPPORTED_TAGS = ("#EXT-X-MAP", "#EXT-X-KEY", "#EXT-X-BYTERANGE")


class FeedUnsupported(PupitreError):
    """The playlist's segments cannot be joined into one MPEG-TS stream (fMP4, encrypted...)."""


class FeedNotLive(PupitreError):
    """The playlist has no segment to play yet, or is finished (the player should retry later)."""


class FeedEnded(PupitreError):
    """The live feed stopped: the stream restarted, finished or stalled (the sentence says which)."""


@dataclass(frozen=True)
class FedSegment:
    """A segment handed out, with when the feed saw it listed (monotonic seconds)."""

    segment: Segment
    listed_at: float


def poll_interval(target_duration: float) -> float:
    return min(MAX_POLL_SECONDS, max(MIN_POLL_SECONDS, target_duration / POLLS_PER_SEGMENT))


class SegmentFeed:
    """The segments of one live HLS stream, from the live edge on.

    Args:
        client: the HTTP client (timeouts and TLS from :func:`desktop.net.http.make_client`).
        url: the audience URL (a media playlist, or a master whose best variant is followed).
        stall_timeout: end the feed when no new segment came for this long (seconds).
        first_segment_wait: at open, how long to wait for a fresh segment, in target durations.
        monotonic: clock (injectable for tests).
        wait: how the feed waits between polls (``asyncio.sleep`` by default; a test gives an
            event-driven one).  It is a poll period, not a sleep standing in for state.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        url: str,
        *,
        stall_timeout: float = 15.0,
        first_segment_wait: float = FIRST_SEGMENT_WAIT,
        monotonic: Callable[[], float] = time.monotonic,
        wait: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self._client = client
        self.url = url
        self.stall_timeout = stall_timeout
        self.first_segment_wait = first_segment_wait
        self._monotonic = monotonic
        self._wait = wait
        self._media_url: str | None = None
        self._playlist: MediaPlaylist | None = None

    @property
    def media_url(self) -> str | None:
        """The media playlist followed (the variant's URL when :attr:`url` is a master)."""
        return self._media_url

    async def open(self) -> MediaPlaylist:
        """Read the playlist once and check the relay can follow it.

        Raises:
            FeedUnsupported: segments that cannot be concatenated (fMP4, encrypted, byte ranges).
            FeedNotLive: no segment yet (or an empty finished playlist), or the server answered
                with an error status.
            NetworkError / PlaylistError: as :func:`desktop.stream.fetch.fetch_limited` and
                :func:`desktop.stream.playlist.parse_playlist`.
        """
        playlist = await self._read()
        if playlist.endlist:
            raise FeedNotLive(_("The stream is finished (its playlist says so)."))
        if not playlist.segments:
            raise FeedNotLive(_("The stream has no segment yet."))
        self._playlist = playlist
        return playlist

    async def segments(self) -> AsyncIterator[FedSegment]:
        """Each segment to send, in order, from the live edge; ends by raising :class:`FeedEnded`."""
        playlist = self._playlist or await self.open()
        newest = playlist.segments[-1]
        fresh = await self._next_after(newest.sequence, playlist.target_duration * self.first_segment_wait,
                                       allow_timeout=True)
        current = fresh or FedSegment(newest, self._monotonic())
        while True:
            yield current
            following = await self._next_after(current.segment.sequence, self.stall_timeout)
            assert following is not None
            current = following

    async def _next_after(self, sequence: int, timeout: float, *, allow_timeout: bool = False) -> FedSegment | None:
        """The segment after ``sequence`` once listed; None on timeout when ``allow_timeout``."""
        deadline = self._monotonic() + timeout
        last_error: PupitreError | None = None
        while True:
            try:
                playlist = await self._read()
            except PupitreError as error:  # a failed poll: the next one may work
                last_error = error
            else:
                last_error = None
                found = self._following(playlist, sequence)
                if found is not None:
                    return FedSegment(found, self._monotonic())
                if playlist.endlist:
                    raise FeedEnded(_("The stream is finished."))
            if self._monotonic() >= deadline:
                if allow_timeout:
                    return None
                if last_error is not None:
                    raise FeedEnded(_("The stream stopped: {reason}").format(reason=last_error.sentence))
                raise FeedEnded(_("No new segment for {seconds} s: the stream stalled.").format(
                    seconds=f"{timeout:.0f}"))
            target = self._playlist.target_duration if self._playlist else 1.0
            await self._wait(min(poll_interval(target), max(0.0, deadline - self._monotonic())))

    def _following(self, playlist: MediaPlaylist, sequence: int) -> Segment | None:
        self._playlist = playlist
        if not playlist.segments:
            return None
        newest = playlist.segments[-1]
        if newest.sequence < sequence:
            raise FeedEnded(_("The stream restarted (its media sequence went back)."))
        for segment in playlist.segments:
            if segment.sequence == sequence + 1:
                if segment.discontinuity:
                    raise FeedEnded(_("The stream restarted (a discontinuity in the playlist)."))
                return segment
        if playlist.segments[0].sequence > sequence + 1:
            # fell out of the window (the feed was paused): back to the newest, still live
            return newest
        return None

    async def _read(self) -> MediaPlaylist:
        url = self._media_url or self.url
        for attempt in range(2):
            answer = await fetch_limited(self._client, url)
            if not answer.ok:
                self._media_url = None
                raise FeedNotLive(_("The stream's server answered {status}.").format(status=answer.status))
            text = answer.body.decode("utf-8", errors="replace")
            playlist = await parse_off_loop(answer.body, answer.url)
            if isinstance(playlist, MediaPlaylist):
                if any(tag in text for tag in UNSUPPORTED_TAGS):
                    raise FeedUnsupported(_("The stream's segments are not plain MPEG-TS."))
                self._media_url = answer.url
                return playlist
            if attempt or url != self.url:  # a master's variant is a master (maybe itself)
                self._media_url = None
                raise PlaylistError(_("The variant of the master playlist is itself a master playlist."))
            assert isinstance(playlist, MasterPlaylist)
            url = playlist.pick_variant().uri
        raise AssertionError("unreachable")  # pragma: no cover
