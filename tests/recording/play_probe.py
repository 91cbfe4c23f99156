"""Play a recording file from start to end with libVLC on an X display; print one JSON line.

Run by ``test_recording_lab.py`` in a subprocess (a libVLC instance per file, a fresh process so
that a crash of VLC fails the test instead of the test session).  It plays the file at
``--rate`` times real time until VLC says *Ended* (or *Error*, or the timeout), and prints what it
saw: the furthest position reached, the file's length, its chapters and VLC's own count of
decoded and displayed pictures.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

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
    player.play()
    player.set_rate(args.rate)
    deadline = time.monotonic() + args.timeout
    result: dict[str, object] = {"chapters": 0, "furthest_ms": 0, "length_ms": 0}
    state = player.get_state()
    while time.monotonic() < deadline:
        state = player.get_state()
        if state in (vlc.State.Ended, vlc.State.Error):
            break
        if state == vlc.State.Playing:
            result["furthest_ms"] = max(int(result["furthest_ms"]), player.get_time())  # type: ignore[call-overload]
            result["length_ms"] = max(int(result["length_ms"]), player.get_length())  # type: ignore[call-overload]
            result["chapters"] = max(int(result["chapters"]), player.get_chapter_count())  # type: ignore[call-overload]
        time.sleep(0.05)  # polling libVLC's state: it has no blocking wait
    stats = vlc.MediaStats()
    media.get_stats(stats)
    result.update(state=str(state).split(".")[-1], decoded_video=stats.decoded_video,
                  displayed=stats.displayed_pictures, lost=stats.lost_pictures)
    player.stop()
    player.release()
    instance.release()
    print(json.dumps(result), flush=True)
    return 0 if state == vlc.State.Ended else 1


if __name__ == "__main__":
    sys.exit(main())
