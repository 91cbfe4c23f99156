"""The clock inside an MPEG-TS segment: where its PCRs are, for pacing the preview relay.

Why: a segment downloaded at once reaches the player as a one-second burst, then nothing until
the next one.  libVLC derives its clock from when PCRs arrive, and with bursts it sometimes
settles slightly too early, then drops the last pictures of every segment (measured: 1-2 lost
pictures a second in about half the opens).  The relay therefore writes each segment at the pace
of its own PCRs (program clock references, 27 MHz, carried in adaptation fields), a little ahead
of real time, as an encoder feeding a live MPEG-TS would.

Only what pacing needs is parsed, defensively: a packet that is not 188 bytes starting with the
0x47 sync byte ends the scan, and any byte string is accepted without exception.
"""

from __future__ import annotations

from dataclasses import dataclass

PACKET_SIZE = 188
SYNC_BYTE = 0x47
PCR_HZ = 27_000_000


@dataclass(frozen=True)
class ClockMark:
    """A PCR found in a segment.

    Attributes:
        offset: byte offset of the end of the packet that carries it (write up to here first).
        seconds: the PCR in seconds.
    """

    offset: int
    seconds: float


def clock_marks(data: bytes) -> list[ClockMark]:
    """The PCRs of ``data`` (MPEG-TS packets), in order; [] when there are none or it is not TS."""
    marks: list[ClockMark] = []
    pcr_pid: int | None = None
    for start in range(0, len(data) - PACKET_SIZE + 1, PACKET_SIZE):
        if data[start] != SYNC_BYTE:
            break
        header = data[start + 1:start + 4]
        pid = ((header[0] & 0x1F) << 8) | header[1]
        has_adaptation = bool(header[2] & 0x20)
        if not has_adaptation:
            continue
        length = data[start + 4]
        if length < 7 or not data[start + 5] & 0x10:  # no room for a PCR, or no PCR flag
            continue
        if pcr_pid is None:
            pcr_pid = pid  # the first PID carrying PCRs is the program's clock
        elif pid != pcr_pid:
            continue
        b = data[start + 6:start + 12]
        base = (b[0] << 25) | (b[1] << 17) | (b[2] << 9) | (b[3] << 1) | (b[4] >> 7)
        extension = ((b[4] & 0x01) << 8) | b[5]
        marks.append(ClockMark(start + PACKET_SIZE, (base * 300 + extension) / PCR_HZ))
    return marks


def pacing_schedule(data: bytes, duration: float) -> list[tuple[int, float]]:
    """When each part of a segment may be written: ``(byte offset, seconds after its start)``.

    Byte ranges up to ``offset`` may be written ``seconds`` after the segment started being
    sent.  PCRs that go back or jump beyond the segment's duration (a wrap, a broken encoder) are
    left out, so a bad clock never holds the stream back longer than ``duration``.
    """
    marks = clock_marks(data)
    if not marks:
        return []
    first = marks[0].seconds
    schedule: list[tuple[int, float]] = []
    latest = 0.0
    limit = max(duration, 0.0) + 0.5
    for mark in marks:
        elapsed = mark.seconds - first
        if elapsed < latest or elapsed > limit:
            continue
        latest = elapsed
        schedule.append((mark.offset, elapsed))
    return schedule
