"""Start and stop an aiohttp application on loopback, the way every lab gateway face does."""

from __future__ import annotations

from aiohttp import web


class LabHttpServer:
    """An aiohttp app bound to ``host:port`` (port 0: any free port); ``url`` once started."""

    def __init__(self) -> None:
        self._runner: web.AppRunner | None = None
        self._url: str | None = None

    def make_app(self) -> web.Application:
        raise NotImplementedError

    @property
    def url(self) -> str:
        """``http://host:port`` (no trailing slash); only once started."""
        if self._url is None:
            raise RuntimeError(f"{type(self).__name__} is not started")
        return self._url

    @property
    def started(self) -> bool:
        return self._url is not None

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        if self._runner is not None:
            return
        runner = web.AppRunner(self.make_app(), access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        self._runner = runner
        bound_port = port
        for address in runner.addresses:
            if isinstance(address, tuple) and len(address) >= 2:
                bound_port = int(address[1])
                break
        shown = f"[{host}]" if ":" in host else host
        self._url = f"http://{shown}:{bound_port}"

    async def stop(self) -> None:
        await self.before_stop()
        runner, self._runner = self._runner, None
        self._url = None
        if runner is not None:
            await runner.cleanup()

    async def before_stop(self) -> None:
        """Subclasses free what would keep requests open (hung handlers, running slots)."""
