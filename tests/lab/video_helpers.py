"""Helpers for the lab video tests: decoding segments with PyAV and comparing picture regions."""

from __future__ import annotations

import io
from dataclasses import dataclass

import av


@dataclass(frozen=True)
class DecodedFrame:
    """The first video frame of a segment, as packed RGB24 rows."""

    pts_s: float
    width: int
    height: int
    rgb: bytes

    def region(self, rect: tuple[int, int, int, int]) -> bytes:
        x, y, w, h = rect
        row = self.width * 3
        return b"".join(self.rgb[(y + r) * row + x * 3 : (y + r) * row + (x + w) * 3] for r in range(h))


def decode_first_frame(segment: bytes) -> DecodedFrame:
    """Decode the first video frame of an MPEG-TS segment (raises if there is none)."""
    with av.open(io.BytesIO(segment), "r", format="mpegts") as container:
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            assert frame.pts is not None and frame.time_base is not None
            rgb = frame.reformat(format="rgb24")
            plane = rgb.planes[0]
            raw = bytes(plane)
            row = rgb.width * 3
            packed = b"".join(raw[y * plane.line_size : y * plane.line_size + row] for y in range(rgb.height))
            return DecodedFrame(float(frame.pts * frame.time_base), rgb.width, rgb.height, packed)
    raise AssertionError("no video frame in the segment")


def count_audio_frames(segment: bytes) -> int:
    with av.open(io.BytesIO(segment), "r", format="mpegts") as container:
        if not container.streams.audio:
            return 0
        return sum(1 for _ in container.decode(container.streams.audio[0]))


def mean_abs_diff(a: bytes, b: bytes) -> float:
    """Mean absolute byte difference (0 = identical); tolerant of codec noise when compared to a bound."""
    assert len(a) == len(b) and a
    return sum(abs(x - y) for x, y in zip(a, b, strict=True)) / len(a)
