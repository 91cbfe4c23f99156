"""Secrets (BBB shared secrets, gateway tokens) live only in the OS keyring."""

from desktop.secrets.store import BackendInfo, SecretStore, secret_store

__all__ = ["BackendInfo", "SecretStore", "secret_store"]
