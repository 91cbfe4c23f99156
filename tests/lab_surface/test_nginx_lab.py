"""RTMP mode: the lab publishes to a real nginx-rtmp started by ``packaging/nginx-rtmp/nginx-rtmp.sh``
and a webinar goes live with the audience stream served by nginx (marker ``nginx``)."""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.lab_surface.support import small_lab_options, surface, wait_stream_advances

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "packaging" / "nginx-rtmp" / "nginx-rtmp.sh"
MODULE = Path("/usr/lib/nginx/modules/ngx_rtmp_module.so")

pytestmark = pytest.mark.nginx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def missing() -> str:
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        return "nginx is not installed (Debian: apt-get install nginx libnginx-mod-rtmp)"
    if not MODULE.exists():
        return f"the RTMP module {MODULE} is missing (Debian: apt-get install libnginx-mod-rtmp)"
    return ""


@pytest.fixture
def nginx(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(rtmp base, HLS base) of a private nginx-rtmp on free loopback ports."""
    reason = missing()
    if reason:
        pytest.skip(reason)
    rtmp_port, http_port = free_port(), free_port()
    folder = tmp_path / "nginx"
    started = subprocess.run(["bash", str(SCRIPT), "start", "--dir", str(folder), "--rtmp-port", str(rtmp_port),
                              "--http-port", str(http_port)], capture_output=True, text=True, timeout=60)
    assert started.returncode == 0, started.stderr
    try:
        yield f"rtmp://127.0.0.1:{rtmp_port}/live", f"http://127.0.0.1:{http_port}/hls"
    finally:
        stopped = subprocess.run(["bash", str(SCRIPT), "stop", "--dir", str(folder)], capture_output=True,
                                 text=True, timeout=30)
        assert stopped.returncode == 0, stopped.stderr


async def test_live_goes_through_nginx(nginx: tuple[str, str], qapp: object) -> None:
    rtmp, hls_base = nginx
    async with surface(small_lab_options(rtmp=rtmp, hls_base=hls_base)) as world:
        lab = world.lab
        assert lab.origin is None
        gateway = lab.gateway("gw1")
        assert gateway.rtmp_url == f"{rtmp}/lab-gw1" and gateway.hls_url == f"{hls_base}/lab-gw1.m3u8"
        assert lab.describe()["hls_origin"] is None
        _, session = await world.go_live("Nginx live")
        assert session.snapshot.gateway == "lab-gw1" and lab.publishing() == ["gw1"]
        first, later = await wait_stream_advances(gateway.hls_url, timeout=30)
        assert later > first
        await session.end_webinar()
        assert lab.publishing() == []
