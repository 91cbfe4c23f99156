"""The in-memory keyring backend for tests (no D-Bus, no disk): the app's own."""

from desktop.secrets.memory import MemoryKeyring

__all__ = ["MemoryKeyring"]
