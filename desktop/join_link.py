"""Opening the presenter's signed join link in the browser without showing it to other users.

A browser's command line is visible to every local user (``ps``), and the signed moderator link is
as good as the moderator password.  So the browser is given the ``file://`` address of a ``0600``
HTML page, in the user's ``0700`` runtime folder, that redirects to the link: the link itself is
only in a file no one else can read.  The page is removed a little later (the browser has read it
by then), and pages left by an earlier run are removed at the next one.

The GUI hands the same page to ``QDesktopServices``
(:meth:`desktop.ui.controller.WebinarController._open_join_url`).

Opening happens in a daemon thread: :func:`webbrowser.open` can wait for the browser command (a
text browser, a first Firefox window...), which must not block the event loop that runs the live.
"""

from __future__ import annotations

import contextlib
import html
import json
import logging
import re
import secrets
import threading
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path

from desktop.private_files import runtime_dir, write_private_text

logger = logging.getLogger(__name__)

PAGE_PREFIX = "join-"
PAGE_LIFETIME_S = 120.0


def redirect_page(url: str, folder: Path | None = None) -> Path:
    """Write a ``0600`` page that sends the browser to ``url``; returns its path."""
    if folder is None:
        from desktop.config.paths import AppPaths

        folder = runtime_dir(AppPaths.from_environment().cache_dir / "run")
    _remove_stale_pages(folder)
    path = folder / f"{PAGE_PREFIX}{secrets.token_hex(16)}.html"
    attribute = html.escape(url, quote=True)
    script = json.dumps(url).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    write_private_text(path, (
        "<!doctype html>\n<html><head><meta charset=\"utf-8\">\n"
        "<meta name=\"referrer\" content=\"no-referrer\">\n"
        f"<meta http-equiv=\"refresh\" content=\"0;url={attribute}\">\n"
        "<title>Pupitre</title></head>\n"
        f"<body><script>location.replace({script});</script>\n"
        f"<p><a href=\"{attribute}\">BigBlueButton</a></p></body></html>\n"
    ))
    return path


def link_in_page(page: Path) -> str:
    """The link a :func:`redirect_page` sends the browser to (for tools and tests that play the
    browser)."""
    found = re.search(r'<a href="([^"]+)"', page.read_text(encoding="utf-8"))
    if found is None:
        raise ValueError(f"{page} is not a join-link redirect page")
    return html.unescape(found.group(1))


def open_in_browser(url: str, *, folder: Path | None = None,
                    opener: Callable[[str], object] = webbrowser.open,
                    lifetime_s: float = PAGE_LIFETIME_S) -> threading.Thread:
    """Open ``url`` through a redirect page, without blocking; returns the (daemon) thread.

    Raises :class:`OSError` when the page cannot be written (the link is then not opened: opening
    it directly would put it on the browser's command line).
    """
    page = redirect_page(url, folder)

    def run() -> None:
        try:
            if not opener(page.as_uri()):
                logger.warning("no browser could be started for the join link")
        except Exception:  # a browser that fails must not end the live
            logger.warning("the browser could not be started", exc_info=True)
        finally:
            time.sleep(lifetime_s)
            with contextlib.suppress(OSError):
                page.unlink()

    thread = threading.Thread(target=run, name="open-browser", daemon=True)
    thread.start()
    return thread


def _remove_stale_pages(folder: Path) -> None:
    limit = time.time() - PAGE_LIFETIME_S
    for page in folder.glob(f"{PAGE_PREFIX}*.html"):
        with contextlib.suppress(OSError):
            if page.stat().st_mtime < limit:
                page.unlink()
