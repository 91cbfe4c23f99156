"""Network plumbing shared by every client: timeouts, TLS, retries and typed errors."""

from desktop.net.http import HttpOptions, Timeouts, get_with_retry, make_client, send

__all__ = ["HttpOptions", "Timeouts", "get_with_retry", "make_client", "send"]
