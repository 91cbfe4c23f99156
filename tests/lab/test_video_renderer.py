"""The lab's frame renderer: clock, title, participants, chat panel, motion, hostile text."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtGui import QImage

from desktop.lab.scene import ChatLine, Scene
from desktop.lab.video.renderer import (
    CHAT_RECT,
    CLOCK_BOX,
    CLOCK_RECT,
    SceneRenderer,
    chat_rect,
    clock_rect,
    ensure_qt_application,
    format_clock,
    plain,
)

ROOT = Path(__file__).resolve().parents[2]
NOON = time.mktime((2026, 11, 21, 12, 0, 0, 0, 0, -1))


@pytest.fixture
def renderer(qapp: object) -> SceneRenderer:
    ensure_qt_application()  # finds pytest-qt's application
    return SceneRenderer(1280, 720)


def pixels(image: QImage, rect: tuple[int, int, int, int]) -> list[int]:
    """The RGB values (0xRRGGBB) inside ``rect``."""
    x, y, w, h = rect
    return [image.pixel(px, py) & 0xFFFFFF for py in range(y, y + h) for px in range(x, x + w)]


def outside(image: QImage, rect: tuple[int, int, int, int], step: int = 4) -> list[int]:
    x, y, w, h = rect
    return [
        image.pixel(px, py) & 0xFFFFFF
        for py in range(0, image.height(), step)
        for px in range(0, image.width(), step)
        if not (x <= px < x + w and y <= py < y + h)
    ]


SCENE = Scene(title="Les réseaux de demain", participant_count=42, chat_visible=False, gateway="gw-1")


def test_clock_changes_only_inside_its_box(renderer: SceneRenderer) -> None:
    first = renderer.render(SCENE, NOON, 7).copy()
    second = renderer.render(SCENE, NOON + 1.234, 7).copy()
    assert pixels(first, CLOCK_RECT) != pixels(second, CLOCK_RECT)
    assert outside(first, CLOCK_RECT) == outside(second, CLOCK_RECT)


@pytest.mark.parametrize("size", [(1280, 720), (960, 540), (640, 360)])
def test_clock_text_fits_its_box_with_a_margin(qapp: object, size: tuple[int, int]) -> None:
    ensure_qt_application()
    image = SceneRenderer(*size).render(SCENE, NOON + 0.888, 0)
    x, y, w, h = clock_rect(*size)
    box = CLOCK_BOX.rgb() & 0xFFFFFF
    border = max(2, h // 12)
    frame_pixels = (
        pixels(image, (x, y, w, border))
        + pixels(image, (x, y + h - border, w, border))
        + pixels(image, (x, y, border, h))
        + pixels(image, (x + w - border, y, border, h))
    )
    assert set(frame_pixels) == {box}, "the clock text touches its box: OCR crops would clip it"
    inside = pixels(image, (x + border, y + border, w - 2 * border, h - 2 * border))
    assert max(inside) > 0xC0C0C0, "no white clock text in the box"


def test_title_and_participant_count_are_drawn(renderer: SceneRenderer) -> None:
    left = (0, CLOCK_RECT[1] + CLOCK_RECT[3], CHAT_RECT[0], 200)
    base = pixels(renderer.render(SCENE, NOON, 0), left)
    other_title = pixels(renderer.render(Scene("Autre titre", 42, False, gateway="gw-1"), NOON, 0), left)
    other_count = pixels(renderer.render(Scene(SCENE.title, 1234, False, gateway="gw-1"), NOON, 0), left)
    assert base != other_title
    assert base != other_count


def test_motion_makes_consecutive_frames_differ(renderer: SceneRenderer) -> None:
    a = renderer.render(SCENE, NOON, 10).copy()
    b = renderer.render(SCENE, NOON, 11).copy()
    assert outside(a, CLOCK_RECT, step=2) != outside(b, CLOCK_RECT, step=2)


def test_chat_panel_region_is_uniform_when_hidden_and_drawn_when_visible(renderer: SceneRenderer) -> None:
    chat = tuple(ChatLine(f"Viewer {i}", f"question number {i}") for i in range(30))
    hidden = pixels(renderer.render(Scene("T", 3, chat_visible=False, chat=chat), NOON, 5), CHAT_RECT)
    assert len(set(hidden)) == 1
    visible = pixels(renderer.render(Scene("T", 3, chat_visible=True, chat=chat), NOON, 5), CHAT_RECT)
    assert len(set(visible)) > 10


def test_chat_shows_the_newest_lines(renderer: SceneRenderer) -> None:
    older = tuple(ChatLine("A", f"line {i}") for i in range(40))
    newer = (*older[1:], ChatLine("B", "the newest line"))
    x, y, w, h = CHAT_RECT
    bottom = (x, y + h - 60, w, 60)
    a = pixels(renderer.render(Scene("T", 1, True, older), NOON, 0), bottom)
    b = pixels(renderer.render(Scene("T", 1, True, newer), NOON, 0), bottom)
    assert a != b


def test_hostile_chat_text_is_drawn_without_error(renderer: SceneRenderer) -> None:
    hostile = (
        ChatLine("<b>admin</b>", "<script>alert(1)</script>\n\r\t\u202etxet desrever\u200b" + "x" * 5000),
        ChatLine("", ""),
        ChatLine("\x00\x1b[31m", "😀" * 300),
    )
    image = renderer.render(Scene("\n" * 50, -1, True, hostile, gateway="\u202e" * 10), NOON, 0)
    assert image.width() == 1280


@given(st.text())
def test_plain_text_is_one_clean_line(text: str) -> None:
    cleaned = plain(text)
    assert cleaned == cleaned.strip()
    assert "  " not in cleaned
    assert not any(ch in cleaned for ch in "\n\r\t\x00\u202e\u200b\u2028")


def test_clock_format_is_local_time_with_milliseconds() -> None:
    text = format_clock(NOON + 0.0425)
    assert re.fullmatch(r"\d\d:\d\d:\d\d\.\d\d\d", text)
    assert text == time.strftime("%H:%M:%S", time.localtime(NOON)) + ".042"


@pytest.mark.parametrize("size", [(1280, 720), (960, 540), (640, 360), (320, 180)])
def test_layout_rectangles_stay_inside_the_frame_and_apart(size: tuple[int, int]) -> None:
    width, height = size
    cx, cy, cw, ch = clock_rect(width, height)
    px, py, pw, ph = chat_rect(width, height)
    assert cx >= 0 and cx + cw < px, "the clock would overlap the chat panel"
    assert cy >= 0 and cy + ch <= height and py + ph <= height and px + pw <= width
    assert clock_rect(1280, 720) == CLOCK_RECT


def test_headless_process_gets_an_offscreen_application_and_paints_in_a_thread(tmp_path: Path) -> None:
    """The threading contract the encoder relies on, in a fresh process with no display:
    the application is created in the main thread, a worker paints text, and exit is clean."""
    script = tmp_path / "paint.py"
    script.write_text(
        "import threading, time\n"
        "from desktop.lab.scene import Scene\n"
        "from desktop.lab.video.renderer import SceneRenderer, ensure_qt_application, CLOCK_RECT\n"
        "from PySide6.QtWidgets import QApplication\n"
        "ensure_qt_application()\n"
        "assert QApplication.instance().platformName() == 'offscreen'\n"
        "out = []\n"
        "def work():\n"
        "    img = SceneRenderer(640, 360).render(Scene('T', 1, True), time.time(), 0)\n"
        "    out.append(len({img.pixel(x, 30) for x in range(0, 300)}))\n"
        "t = threading.Thread(target=work); t.start(); t.join()\n"
        "assert out and out[0] > 2, out\n"
        "print('ok')\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
