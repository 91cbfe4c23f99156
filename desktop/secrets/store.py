"""Secret storage through ``keyring`` (service name ``pupitre``).

The store answers the question the UI must put to the user: *where does my secret go?*
:meth:`SecretStore.backend` says which keyring backend is used and whether it is a real system
keyring (Secret Service, KWallet, macOS Keychain, Windows Credential Locker).  When no usable
keyring exists (keyring's ``fail`` backend, a locked or missing Secret Service), secrets are kept
in this process's memory for the session only — never written to a file — and
``BackendInfo.persistent`` is False so the UI can say so.

Every secret read or written is registered with :func:`desktop.logs.register_secret` so it can
never reach a log line, an error message or a report.

``PYTHON_KEYRING_BACKEND`` is honoured (it is how keyring itself selects a backend), so a script
may choose a file backend deliberately.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop.i18n import _
from desktop.logs import register_secret

if TYPE_CHECKING:
    import keyring.backend

# keyring (and the backends it discovers through entry points) is imported when a secret is
# first needed, not when the app starts: the welcome page never needs it (issue 13)

logger = logging.getLogger(__name__)

SERVICE = "pupitre"

_SYSTEM_BACKEND_MODULES = (
    "keyring.backends.SecretService",
    "keyring.backends.libsecret",
    "keyring.backends.kwallet",
    "keyring.backends.macOS",
    "keyring.backends.Windows",
)
_UNUSABLE_BACKEND_MODULES = ("keyring.backends.fail", "keyring.backends.null")


@dataclass(frozen=True)
class BackendInfo:
    """Where secrets go.

    Attributes:
        name: readable backend name ("SecretService Keyring", "session memory"...).
        system: True for a real OS keyring.
        persistent: False when secrets live only in memory for this session.
    """

    name: str
    system: bool
    persistent: bool

    def describe(self) -> str:
        if not self.persistent:
            return _("No keyring is available: secrets are kept in memory for this session only "
                     "and must be entered again next time.")
        if self.system:
            return _("Secrets are stored in your system keyring ({name}).").format(name=self.name)
        return _("Secrets are stored with the keyring backend “{name}”, which is not a system "
                 "keyring.").format(name=self.name)


class SecretStore:
    """Get, set and delete named secrets (``bbb:<profile>``, ``gateway:<name>``)."""

    def __init__(self, backend: keyring.backend.KeyringBackend | None = None) -> None:
        self._explicit_backend = backend
        self._memory: dict[str, str] = {}
        self._lock = threading.Lock()

    # -- backend -------------------------------------------------------------------------
    def _keyring(self) -> keyring.backend.KeyringBackend | None:
        import keyring

        backend = self._explicit_backend or keyring.get_keyring()
        if _is_unusable(backend):
            return None
        return backend

    def backend(self) -> BackendInfo:
        backend = self._keyring()
        if backend is None:
            return BackendInfo("session memory", system=False, persistent=False)
        name = getattr(backend, "name", backend.__class__.__name__)
        return BackendInfo(str(name), system=_is_system(backend), persistent=True)

    # -- operations ------------------------------------------------------------------------
    def get(self, name: str) -> str | None:
        with self._lock:
            if name in self._memory:
                return self._memory[name]
        import keyring.errors

        backend = self._keyring()
        value: str | None = None
        if backend is not None:
            try:
                value = backend.get_password(SERVICE, name)
            except keyring.errors.KeyringError as exc:
                logger.warning("keyring read failed for %s: %s", name, exc.__class__.__name__)
        register_secret(value)
        return value

    def set(self, name: str, value: str) -> BackendInfo:
        """Store ``value``; returns where it went (memory when no keyring works)."""
        import keyring.errors

        register_secret(value)
        backend = self._keyring()
        if backend is not None:
            try:
                backend.set_password(SERVICE, name, value)
                with self._lock:
                    self._memory.pop(name, None)
                return self.backend()
            except keyring.errors.KeyringError as exc:
                logger.warning(
                    "keyring write failed for %s (%s): keeping it in memory for this session",
                    name,
                    exc.__class__.__name__,
                )
        with self._lock:
            self._memory[name] = value
        return BackendInfo("session memory", system=False, persistent=False)

    def delete(self, name: str) -> None:
        with self._lock:
            self._memory.pop(name, None)
        import keyring.errors

        backend = self._keyring()
        if backend is None:
            return
        try:
            backend.delete_password(SERVICE, name)
        except keyring.errors.PasswordDeleteError:
            pass
        except keyring.errors.KeyringError as exc:
            logger.warning("keyring delete failed for %s: %s", name, exc.__class__.__name__)


def _module_of(backend: object) -> str:
    return type(backend).__module__


def _is_unusable(backend: keyring.backend.KeyringBackend) -> bool:
    module = _module_of(backend)
    if module.startswith(_UNUSABLE_BACKEND_MODULES):
        return True
    # the chainer with nothing behind it is as good as "fail"
    if module.startswith("keyring.backends.chainer"):
        return not getattr(backend, "backends", [])
    return False


def _is_system(backend: keyring.backend.KeyringBackend) -> bool:
    if _module_of(backend).startswith("keyring.backends.chainer"):
        return any(_is_system(b) for b in getattr(backend, "backends", []))
    return _module_of(backend).startswith(_SYSTEM_BACKEND_MODULES)


_default_store: SecretStore | None = None


def secret_store() -> SecretStore:
    """The process-wide store (one memory fallback per session)."""
    global _default_store
    if _default_store is None:
        _default_store = SecretStore()
    return _default_store
