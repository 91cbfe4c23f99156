"""Network plumbing shared by every client: timeouts, TLS, retries and typed errors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.lazy_exports import lazy_exports

if TYPE_CHECKING:  # loaded on first use: see desktop.lazy_exports (issue 13)
    from desktop.net.http import HttpOptions, Timeouts, get_with_retry, make_client, send

__all__ = ["HttpOptions", "Timeouts", "get_with_retry", "make_client", "send"]

__getattr__, __dir__ = lazy_exports(globals(), {
    "desktop.net.http": ("HttpOptions", "Timeouts", "get_with_retry", "make_client", "send"),
})
