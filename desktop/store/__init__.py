"""Local persistence: one SQLite database in the data folder, shared by components."""

from desktop.store.sqlite import migrate, open_database

__all__ = ["migrate", "open_database"]
