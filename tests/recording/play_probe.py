"""Play a recording file from start to end with libVLC on an X display; print one JSON line.

Run by ``test_recording_lab.py`` in a subprocess (a libVLC instance per file, a fresh process so
that a crash of VLC fails the test instead of the test session).  It plays the file at
``--rate`` times real time until VLC reports the end (or an error, or the timeout passes), driven
by libVLC's own events, and prints what it saw: the furthest position reached, the file's length,
its chapters and VLC's own count of decoded and displayed pictures.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop.ui.preview import load_vlc


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--rate", type=float, default=4.0)
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    vlc = load_vlc()
    instance = vlc.Instance(["--no-video-title-show", "--aout=dummy", "--no-xlib"])
    player = instance.media_player_new()
    media = instance.media_new_path(args.path)
    player.set_media(media)
    advancing, finished = threading.Event(), threading.Event()
    seen: dict[str, Any] = {"furthest_ms": 0, "state": "Timeout"}

    def on_time(event: Any) -> None:  # libVLC's thread: only plain Python here
        seen["furthest_ms"] = max(seen["furthest_ms"], int(event.u.new_time))
        if event.u.new_time > 0:
            advancing.set()

    def on_end(state: str) -> None:
        seen["state"] = state
        finished.set()

    events = player.event_manager()
    events.event_attach(vlc.EventType.MediaPlayerTimeChanged, on_time)
    events.event_attach(vlc.EventType.MediaPlayerEndReached, lambda _e: on_end("Ended"))
    events.event_attach(vlc.EventType.MediaPlayerEncounteredError, lambda _e: on_end("Error"))
    player.play()
    player.set_rate(args.rate)
    result: dict[str, Any] = {"chapters": 0, "length_ms": 0}
    if advancing.wait(args.timeout):  # the demuxer has read the chapters and the length by now
        result["chapters"] = player.get_chapter_count()
        result["length_ms"] = player.get_length()
        finished.wait(args.timeout)
    stats = vlc.MediaStats()
    media.get_stats(stats)
    result.update(seen, decoded_video=stats.decoded_video, displayed=stats.displayed_pictures,
                  lost=stats.lost_pictures)
    player.stop()
    player.release()
    instance.release()
    print(json.dumps(result), flush=True)
    return 0 if seen["state"] == "Ended" else 1


if __name__ == "__main__":
    sys.exit(main())
