"""RTMP publishing: refused connections, and the real nginx-rtmp path (marker ``nginx``)."""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import m3u8
import pytest

from desktop.lab.scene import Scene
from desktop.lab.video import EncoderSettings, PublishError, RtmpPublisher
from tests.lab.video_helpers import decode_first_frame

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "packaging" / "nginx-rtmp" / "nginx-rtmp.sh"
MODULE = Path("/usr/lib/nginx/modules/ngx_rtmp_module.so")
SMALL = EncoderSettings(width=640, height=360, fallback_size=None)


def scene() -> Scene:
    return Scene("RTMP test", 2, False, gateway="gw-rtmp")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def nginx_missing() -> str:
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        return "nginx is not installed (Debian: apt-get install nginx libnginx-mod-rtmp)"
    if not MODULE.exists():
        return f"the RTMP module {MODULE} is missing (Debian: apt-get install libnginx-mod-rtmp)"
    return ""


async def test_refused_rtmp_publish_raises_a_publish_error(qapp: object) -> None:
    publisher = RtmpPublisher(f"rtmp://127.0.0.1:{free_port()}/live", SMALL, connect_timeout=3)
    with pytest.raises(PublishError) as caught:
        await publisher.start("refused", scene)
    assert "refused" in str(caught.value)
    assert not publisher.is_publishing("refused")


@pytest.fixture
def nginx_rtmp(tmp_path: Path) -> Iterator[tuple[int, int, Path]]:
    reason = nginx_missing()
    if reason:
        pytest.skip(reason)
    rtmp_port, http_port = free_port(), free_port()
    folder = tmp_path / "nginx"
    args = ["--dir", str(folder), "--rtmp-port", str(rtmp_port), "--http-port", str(http_port)]
    started = subprocess.run(["bash", str(SCRIPT), "start", *args], capture_output=True, text=True, timeout=60)
    assert started.returncode == 0, started.stderr
    try:
        yield rtmp_port, http_port, folder
    finally:
        stopped = subprocess.run(["bash", str(SCRIPT), "stop", "--dir", str(folder)], capture_output=True, text=True, timeout=30)
        assert stopped.returncode == 0, stopped.stderr
        status = subprocess.run(["bash", str(SCRIPT), "status", "--dir", str(folder)], capture_output=True, text=True, timeout=30)
        assert status.returncode == 3


@pytest.mark.nginx
async def test_rtmp_publish_through_nginx_gives_a_live_hls_stream(
    qapp: object, nginx_rtmp: tuple[int, int, Path]
) -> None:
    rtmp_port, http_port, folder = nginx_rtmp
    status = subprocess.run(["bash", str(SCRIPT), "status", "--dir", str(folder)], capture_output=True, text=True, timeout=30)
    assert status.returncode == 0, status.stdout
    publisher = RtmpPublisher(f"rtmp://127.0.0.1:{rtmp_port}/live", SMALL)
    url = f"http://127.0.0.1:{http_port}/hls/nginxlab.m3u8"
    await publisher.start("nginxlab", scene)
    try:
        assert publisher.is_publishing("nginxlab")
        async with httpx.AsyncClient(timeout=5.0) as client:
            sequences: list[int] = []
            response: httpx.Response | None = None
            deadline = time.monotonic() + 20
            while len(set(sequences)) < 2:  # the playlist appears, then advances
                assert time.monotonic() < deadline, f"nginx playlist did not advance: {sequences}"
                response = await client.get(url)
                if response.status_code == 200:
                    playlist = m3u8.loads(response.text)
                    if playlist.segments:
                        sequences.append(int(playlist.media_sequence or 0) + len(playlist.segments))
                await asyncio.sleep(0.1)
            assert response is not None
            assert response.headers["content-type"] == "application/vnd.apple.mpegurl"
            assert response.headers["access-control-allow-origin"] == "*"
            playlist = m3u8.loads(response.text)
            segment = await client.get(httpx.URL(url).join(playlist.segments[-1].uri))
            assert segment.status_code == 200
            assert segment.headers["content-type"] == "video/mp2t"
            frame = decode_first_frame(segment.content)
            assert (frame.width, frame.height) == (640, 360)
    finally:
        await publisher.stop("nginxlab")
    assert not publisher.is_publishing("nginxlab")
    assert "Permission denied" not in (folder / "error.log").read_text()


def test_script_usage_and_status_without_an_instance(tmp_path: Path) -> None:
    usage = subprocess.run(["bash", str(SCRIPT), "restart"], capture_output=True, text=True, timeout=30)
    assert usage.returncode == 2 and "start" in usage.stderr
    bad_port = subprocess.run(["bash", str(SCRIPT), "start", "--rtmp-port", "x"], capture_output=True, text=True, timeout=30)
    assert bad_port.returncode == 2
    status = subprocess.run(["bash", str(SCRIPT), "status", "--dir", str(tmp_path)], capture_output=True, text=True, timeout=30)
    assert status.returncode == 3 and "not running" in status.stdout
    stop = subprocess.run(["bash", str(SCRIPT), "stop", "--dir", str(tmp_path)], capture_output=True, text=True, timeout=30)
    assert stop.returncode == 0
