"""A keyring backend that keeps secrets in this process only.

For throw-away homes (the benchmarks) and tests: it is never chosen by keyring on its own
(it is not registered as an entry point) and never writes anything.  The app's own fallback when
no keyring works is :class:`desktop.secrets.store.SecretStore`'s session memory.
"""

from __future__ import annotations

import keyring.backend
from keyring.errors import PasswordDeleteError


class MemoryKeyring(keyring.backend.KeyringBackend):
    """Secrets in a dict, keyed by (service, username)."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.data.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.data[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.data[(service, username)]
        except KeyError:
            raise PasswordDeleteError(username) from None
