"""How long an emulated gateway takes for each step, and which faults it is showing.

The delays are what a client of the real SIPMediaGW experiences (gateway-and-pod.md §3.3–§3.9):
``/start`` answers once the container is up, the browser joins *after* that answer, ``/stop``
answers only when the container has stopped (10–20 s on a real server), and every chat or toggle
call pays for a ``docker compose run``.  The defaults are short enough for the demo; ``fast()``
is for tests and ``realistic()`` for rehearsing the app against real-world latencies.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, fields


@dataclass
class GatewayTimings:
    """Delays of an emulated gateway, in seconds.

    Attributes:
        launch: from the ``/start`` request to its reply (container start + ``checkGwStatus``).
        start_delay: from the reply to the browser loading the join page.
        join_wait: how long the browser waits for the join form before giving up and the
            container exits (the real gateway waits 20 s for ``#id_name``).
        page_reload: the join page's "not started yet" reload period (Pod polls every 10 s).
        stop_delay: from ``/stop`` to its reply (the container's cleanup trap);
            ``stop_delay_max`` makes it random in ``[stop_delay, stop_delay_max]``.
        command: the ``docker compose run`` overhead of a chat or toggle command.
        http_timeout: the browser's own timeout for one page load.
        client_reload: how often the joined browser reloads the BBB client page, which keeps a
            lab client page's user present (an open tab).
        proxy_monitor: the v1.8 proxy's gateway monitor period (``monitorGateways``, 30 s
            upstream): how late its ``/status`` notices a dead container and frees a stopped one.
    """

    launch: float = 0.2
    start_delay: float = 1.0
    join_wait: float = 20.0
    page_reload: float = 10.0
    stop_delay: float = 2.0
    stop_delay_max: float | None = None
    command: float = 0.0
    http_timeout: float = 10.0
    client_reload: float = 5.0
    proxy_monitor: float = 2.0

    @classmethod
    def fast(cls) -> GatewayTimings:
        """Near-instant steps for tests (still asynchronous: the join follows the reply)."""
        return cls(launch=0.01, start_delay=0.02, join_wait=2.0, page_reload=0.1, stop_delay=0.02,
                   command=0.0, http_timeout=5.0, client_reload=1.0, proxy_monitor=0.05)

    @classmethod
    def realistic(cls) -> GatewayTimings:
        """What a real SIPMediaGW server feels like (gateway-and-pod.md §3.3, §3.4, §3.9)."""
        return cls(launch=3.0, start_delay=8.0, join_wait=20.0, page_reload=10.0, stop_delay=10.0,
                   stop_delay_max=20.0, command=2.0, http_timeout=20.0, proxy_monitor=30.0)

    def stop_duration(self, rng: random.Random) -> float:
        if self.stop_delay_max is None or self.stop_delay_max <= self.stop_delay:
            return self.stop_delay
        return rng.uniform(self.stop_delay, self.stop_delay_max)


@dataclass
class GatewayFaults:
    """Faults one gateway shows, switched at run time (the lab's control endpoint).

    Attributes:
        launch_fail: ``/start`` reports that the gateway failed to launch.
        busy: ``/start`` finds no free slot, as if another webinar held it.
        hang: every request waits without answering until the fault is cleared or the server
            stops, so the client's timeout is what ends it.
        http500: every request fails with an internal server error.
        wrong_token: every token is refused (401), as after a token change on the server.
        toggle_lost: a chat-panel toggle is acknowledged but the panel does not move, as when
            the container's ``chatHandler`` misses ``#chat-toggle-button`` inside its
            ``try/except: pass`` (SIPMediaGW v1.7.0 ``browsing/bigbluebutton.py``).
    """

    launch_fail: bool = False
    busy: bool = False
    hang: bool = False
    http500: bool = False
    wrong_token: bool = False
    toggle_lost: bool = False

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    def active(self) -> tuple[str, ...]:
        return tuple(name for name in self.names() if getattr(self, name))
