from __future__ import annotations

import asyncio
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import ClassVar, cast

import pytest
from pytestqt.qtbot import QtBot

from desktop.net.http import HttpOptions
from desktop.stream.relay import PreviewRelay, RelayStats
from desktop.ui import preview as preview_module
from desktop.ui.preview import (
    DEFAULT_VLC_ARGS,
    PreviewWidget,
    VlcUnavailable,
    load_vlc,
    vlc_arguments,
)
from tests.stream.origin import FakeOrigin, OriginServer
from tests.ui.fakes import EventType, FakeVlc


def missing_libvlc() -> ModuleType:
    try:
        raise NotImplementedError("Cannot find libvlc lib")
    except NotImplementedError as exc:
        raise VlcUnavailable(str(exc)) from exc


def make_preview(qtbot: QtBot, vlc: FakeVlc | None = None, **kwargs: object) -> tuple[PreviewWidget, FakeVlc]:
    """A preview on the fake libVLC; it reads the URL directly unless the test asks for a relay."""
    vlc = vlc or FakeVlc()
    kwargs.setdefault("relay", False)
    preview = PreviewWidget(vlc_loader=lambda: cast(ModuleType, vlc), **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(preview)
    preview.load_player()
    return preview, vlc


def test_libvlc_is_loaded_only_when_there_is_a_stream_to_show(qtbot: QtBot) -> None:
    loads: list[FakeVlc] = []

    def loader() -> ModuleType:
        loads.append(FakeVlc())
        return cast(ModuleType, loads[-1])

    preview = PreviewWidget(vlc_loader=loader, relay=False)
    qtbot.addWidget(preview)
    preview.show()
    preview.set_muted(False)
    preview.stop()
    assert loads == []  # built, shown, muted and stopped: still no libVLC
    preview.set_url("http://127.0.0.1:8080/hls/live.m3u8")
    assert len(loads) == 1 and loads[0].instance is not None and loads[0].instance.player.plays == 1
    preview.set_url("http://127.0.0.1:8080/hls/other.m3u8")
    assert len(loads) == 1  # loaded once


@pytest.mark.parametrize("loader", [
    missing_libvlc,
    lambda: (_ for _ in ()).throw(NotImplementedError("Cannot find libvlc lib")),  # an unwrapped loader
    lambda: (_ for _ in ()).throw(OSError("libvlc.so.5: cannot open shared object file")),
])
def test_missing_libvlc_shows_how_to_install_it(qtbot: QtBot, loader: object) -> None:
    preview = PreviewWidget(vlc_loader=loader)  # type: ignore[arg-type]
    qtbot.addWidget(preview)
    assert not preview.available
    assert preview.pages.currentWidget() is preview.missing_label
    text = preview.missing_label.text()
    assert "sudo apt install libvlc5 vlc-plugin-base vlc-plugin-video-output" in text
    assert "Windows" in text and "macOS" in text
    assert "libvlc" in preview.unavailable_reason.lower()
    # the rest keeps working: calls are harmless no-ops
    preview.set_url("http://127.0.0.1:1/live.m3u8")
    preview.stream_is_live()
    preview.back_to_live()
    assert preview.displayed_pictures() == 0
    preview.stop()
    preview.release()


def test_instance_none_is_explained(qtbot: QtBot) -> None:
    preview, _ = make_preview(qtbot, FakeVlc(refuse_options=True))
    assert not preview.available
    assert "refused the player options" in preview.missing_label.text()


def test_set_url_opens_with_low_latency_options_and_default_mute(qtbot: QtBot) -> None:
    preview, vlc = make_preview(qtbot, muted=True, volume=40)
    assert vlc.instance is not None
    assert "--network-caching=300" in vlc.instance.args
    preview.set_url("http://127.0.0.1:8080/hls/live.m3u8")
    player = vlc.instance.player
    assert player.plays == 1
    assert player.media is not None and player.media.url.endswith("live.m3u8")
    assert player.muted is True and player.volume == 40
    assert not preview.volume_slider.isEnabled()
    preview.set_muted(False)
    assert player.muted is False
    assert preview.volume_slider.isEnabled()
    preview.set_volume(70)
    assert player.volume == 70


def test_error_from_a_vlc_thread_schedules_a_retry_that_reopens(qtbot: QtBot) -> None:
    preview, vlc = make_preview(qtbot, retry_delays=(0.05, 0.1))
    preview.set_url("http://127.0.0.1:8080/hls/live.m3u8")
    assert vlc.instance is not None
    player = vlc.instance.player
    with qtbot.waitSignal(preview.retry_scheduled, timeout=1000) as blocker:
        player.fire(EventType.MediaPlayerEncounteredError)
    assert blocker.args == [0.05]
    qtbot.waitUntil(lambda: player.plays == 2, timeout=2000)
    assert len(vlc.instance.opened) == 2
    with qtbot.waitSignal(preview.retry_scheduled, timeout=1000) as blocker:
        player.fire(EventType.MediaPlayerEndReached)
    assert blocker.args == [0.1]  # backing off


def test_health_saying_live_retries_at_once(qtbot: QtBot) -> None:
    preview, vlc = make_preview(qtbot, retry_delays=(60.0,))
    preview.set_url("http://127.0.0.1:8080/hls/live.m3u8")
    assert vlc.instance is not None
    vlc.instance.player.fire(EventType.MediaPlayerEncounteredError)
    qtbot.waitUntil(lambda: preview._retry_timer.isActive(), timeout=1000)
    preview.stream_is_live()
    assert vlc.instance.player.plays == 2
    assert not preview._retry_timer.isActive()


def test_back_to_live_reopens_and_stop_cancels_retries(qtbot: QtBot) -> None:
    preview, vlc = make_preview(qtbot, retry_delays=(60.0,))
    preview.set_url("http://127.0.0.1:8080/hls/live.m3u8")
    assert vlc.instance is not None
    preview.back_to_live_button.click()
    assert vlc.instance.player.plays == 2
    vlc.instance.player.fire(EventType.MediaPlayerEncounteredError)
    qtbot.waitUntil(lambda: preview._retry_timer.isActive(), timeout=1000)
    preview.stop()
    assert not preview._retry_timer.isActive()
    assert vlc.instance.player.stops == 1
    assert preview.url is None
    preview.release()
    assert vlc.instance.player.released and vlc.instance.released


def test_displayed_pictures_and_delay_text(qtbot: QtBot) -> None:
    preview, vlc = make_preview(qtbot)
    assert preview.displayed_pictures() == 0
    preview.set_url("http://127.0.0.1:8080/hls/live.m3u8")
    assert vlc.instance is not None and vlc.instance.player.media is not None
    vlc.instance.player.media.displayed = 42
    assert preview.displayed_pictures() == 42
    preview.set_delay_text("4.2 s behind")
    assert preview.delay_label.text() == "4.2 s behind"


def _start_showing(preview: PreviewWidget, vlc: FakeVlc, qtbot: QtBot) -> None:
    preview.set_url("http://127.0.0.1:8080/hls/live.m3u8")
    assert vlc.instance is not None and vlc.instance.player.media is not None
    vlc.instance.player.media.displayed = 10
    with qtbot.waitSignal(preview.playing, timeout=5000):
        pass


def test_catch_up_plays_faster_then_returns_to_normal_speed(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(preview_module, "CATCH_UP_MS", 300)
    monkeypatch.setattr(preview_module, "CATCH_UP_CHECK_MS", 50)
    preview, vlc = make_preview(qtbot)
    preview._catch_up_timer.setInterval(50)
    _start_showing(preview, vlc, qtbot)
    assert vlc.instance is not None and vlc.instance.player.media is not None
    player, media = vlc.instance.player, vlc.instance.player.media
    assert player.rates == [preview_module.CATCH_UP_RATE] and preview.catching_up

    def pictures_keep_coming() -> bool:
        media.displayed += 5
        return not preview.catching_up

    qtbot.waitUntil(pictures_keep_coming, timeout=3000)
    assert player.rates == [preview_module.CATCH_UP_RATE, 1.0]


def test_catch_up_stops_at_once_when_pictures_stop(qtbot: QtBot) -> None:
    preview, vlc = make_preview(qtbot)
    preview._catch_up_timer.setInterval(50)
    _start_showing(preview, vlc, qtbot)
    assert vlc.instance is not None
    qtbot.waitUntil(lambda: not preview.catching_up, timeout=2000)  # displayed stays at 10
    assert vlc.instance.player.rates == [preview_module.CATCH_UP_RATE, 1.0]


def test_reopening_during_catch_up_resets_the_speed_and_catch_up_can_be_off(qtbot: QtBot) -> None:
    preview, vlc = make_preview(qtbot)
    _start_showing(preview, vlc, qtbot)
    assert vlc.instance is not None and preview.catching_up
    preview.back_to_live()
    assert vlc.instance.player.rates[-1] == 1.0 and not preview.catching_up
    still, still_vlc = make_preview(qtbot, catch_up=False)
    _start_showing(still, still_vlc, qtbot)
    assert still_vlc.instance is not None and still_vlc.instance.player.rates == []


def test_offscreen_cannot_embed_so_video_is_not_opened_in_a_stray_window(qtbot: QtBot) -> None:
    preview, vlc = make_preview(qtbot)
    preview.set_url("http://127.0.0.1:8080/hls/live.m3u8")
    assert vlc.instance is not None and vlc.instance.player.media is not None
    assert ":no-video" in vlc.instance.player.media.options
    assert vlc.instance.player.window is None


class FakeRelayThread:
    """Stands for :class:`desktop.stream.relay.RelayThread` (the real one is tested in tests/stream)."""

    made: ClassVar[list[FakeRelayThread]] = []

    def __init__(self, upstream: str, options: HttpOptions | None, *, fail: bool = False) -> None:
        self.upstream, self.options, self.fail = upstream, options, fail
        self.relay = SimpleNamespace(stats=RelayStats())
        self.started = self.stopped = False
        FakeRelayThread.made.append(self)

    def start(self, timeout: float = 5.0) -> str:
        if self.fail:
            raise OSError("no loopback socket")
        self.started = True
        return f"http://127.0.0.1:9/token{len(FakeRelayThread.made)}/live.ts"

    def stop(self, timeout: float = 5.0) -> None:
        self.stopped = True


@pytest.fixture
def relays() -> list[FakeRelayThread]:
    FakeRelayThread.made = []
    return FakeRelayThread.made


def test_the_player_reads_through_the_relay_with_its_own_caching_and_no_catch_up(
        qtbot: QtBot, relays: list[FakeRelayThread]) -> None:
    options = HttpOptions(ca_bundle="/etc/campus-ca.pem")
    preview, vlc = make_preview(qtbot, relay=True, relay_factory=FakeRelayThread)
    preview._catch_up_timer.setInterval(50)
    preview.set_url("https://hls.example.org/live/index.m3u8", options)
    assert len(relays) == 1 and relays[0].started
    assert relays[0].upstream == "https://hls.example.org/live/index.m3u8" and relays[0].options is options
    assert vlc.instance is not None and vlc.instance.player.media is not None
    media = vlc.instance.player.media
    assert media.url == "http://127.0.0.1:9/token1/live.ts"
    assert f":network-caching={preview_module.RELAY_CACHING_MS}" in media.options
    # libVLC's prefetch ring must not be its 16 MiB default on an endless stream (see the constant)
    assert ":prefetch-buffer-size=2048" in media.options and ":prefetch-read-size=65536" in media.options
    assert preview.url == "https://hls.example.org/live/index.m3u8" and preview.relayed
    media.displayed = 10
    with qtbot.waitSignal(preview.playing, timeout=5000):
        pass
    assert not preview.catching_up and vlc.instance.player.rates == []  # nothing to take back
    # another stream: the first relay is stopped; stopping the preview stops the second
    preview.set_url("https://hls.example.org/other/index.m3u8")
    assert relays[0].stopped and not relays[1].stopped
    preview.stop()
    assert relays[1].stopped and preview.relay is None


def test_when_the_relay_redirects_to_hls_the_catch_up_comes_back(
        qtbot: QtBot, relays: list[FakeRelayThread]) -> None:
    preview, vlc = make_preview(qtbot, relay=True, relay_factory=FakeRelayThread)
    preview.set_url("https://hls.example.org/live/index.m3u8")
    relays[0].relay.stats.fallback = "The stream's segments are not plain MPEG-TS."
    assert not preview.relayed
    assert vlc.instance is not None and vlc.instance.player.media is not None
    vlc.instance.player.media.displayed = 10
    with qtbot.waitSignal(preview.playing, timeout=5000):
        pass
    assert preview.catching_up and vlc.instance.player.rates == [preview_module.CATCH_UP_RATE]
    preview.back_to_live()  # the reopen reads what the relay redirects to, without the relay's caching
    assert not any(option.startswith((":network-caching", ":prefetch")) for option in vlc.instance.player.media.options)


def test_without_a_loopback_socket_the_player_reads_the_hls_itself(
        qtbot: QtBot, relays: list[FakeRelayThread]) -> None:
    preview, vlc = make_preview(
        qtbot, relay=True, relay_factory=lambda url, options: FakeRelayThread(url, options, fail=True))
    preview.set_url("https://hls.example.org/live/index.m3u8")
    assert vlc.instance is not None and vlc.instance.player.media is not None
    assert vlc.instance.player.media.url == "https://hls.example.org/live/index.m3u8"
    assert relays[0].stopped and preview.relay is None and not preview.relayed


def test_real_libvlc_accepts_the_default_options() -> None:
    try:
        vlc = load_vlc()
    except VlcUnavailable as exc:
        pytest.skip(f"libVLC not installed: {exc}")
    instance = vlc.Instance(vlc_arguments())
    assert instance is not None, f"libVLC refused {vlc_arguments()}"
    instance.release()
    assert set(DEFAULT_VLC_ARGS) <= set(vlc_arguments("linux"))


def test_a_url_the_relay_refuses_is_read_by_libvlc_itself(qtbot: QtBot) -> None:
    preview, vlc = make_preview(qtbot, relay=True)  # the real RelayThread: it refuses a URL without host
    preview.set_url("http:///no-host.m3u8")
    assert preview.relay is None
    assert vlc.instance is not None and vlc.instance.player.media is not None
    assert vlc.instance.player.media.url == "http:///no-host.m3u8"


def test_pictures_add_up_over_reopens(qtbot: QtBot) -> None:
    preview, vlc = make_preview(qtbot)
    preview.set_url("http://127.0.0.1:8080/hls/live.m3u8")
    assert vlc.instance is not None and vlc.instance.player.media is not None
    vlc.instance.player.media.displayed = 40
    preview.back_to_live()  # a new media: libVLC's own counter starts again from zero
    vlc.instance.player.media.displayed = 2
    assert preview.displayed_pictures() == 2
    assert preview.total_displayed_pictures() == 42 and preview.opens == 2
    preview.stop()
    assert preview.total_displayed_pictures() == 42


async def test_real_libvlc_reads_the_relay_with_a_small_prefetch_ring(tmp_path: Path) -> None:
    """The relay's media options really reach libVLC's prefetch filter (2 MiB, not 16 MiB)."""
    try:
        vlc = load_vlc()
    except VlcUnavailable as exc:
        pytest.skip(f"libVLC not installed: {exc}")
    origin = FakeOrigin(window=3, segment_bytes=188 * 20)
    origin.publish(3)
    server = OriginServer(origin)
    await server.start()
    log = tmp_path / "vlc.log"
    instance = vlc.Instance(["--quiet", "--vout=dummy", "--aout=dummy", "--verbose=2", "--file-logging",
                             f"--logfile={log}"])
    assert instance is not None
    player = instance.media_player_new()
    try:
        async with PreviewRelay(server.url(), first_segment_wait=0.0) as relay:
            media = instance.media_new(relay.url)
            for option in preview_module.relay_media_options():
                media.add_option(option)
            player.set_media(media)
            player.play()

            async def prefetch_line() -> str:
                while True:
                    text = log.read_text(errors="replace") if log.exists() else ""
                    found = [line for line in text.splitlines() if "prefetch debug: using" in line]
                    if found:
                        return found[0]
                    await asyncio.sleep(0.05)  # polling libVLC's log file, bounded below

            line = await asyncio.wait_for(prefetch_line(), 20)
            player.stop()
    finally:
        player.release()
        instance.release()
        await server.stop()
    assert "using 2097152 bytes buffer, 65536 bytes read" in line
