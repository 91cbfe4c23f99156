"""Run inside a D-Bus session with an unlocked gnome-keyring: one keyring action per process.

``python -m tests.system_keyring.keyring_session ACTION [NAME [VALUE]]`` prints one JSON line, so the
tests can chain several processes (a second process reads what the first stored).  Actions go
through Pupitre's :class:`desktop.secrets.store.SecretStore` on the Secret Service backend, or
through the default backend keyring picks (``describe``), as the app does.
"""

from __future__ import annotations

import json
import logging
import sys

import keyring
import secretstorage
from keyring.backends.SecretService import Keyring as SecretServiceKeyring

from desktop.secrets.store import SecretStore


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(message)s")
    action, args = argv[0], argv[1:]
    store = SecretStore(SecretServiceKeyring())
    result: dict[str, object] = {"action": action}
    if action == "set":
        info = store.set(args[0], args[1])
        result.update(persistent=info.persistent, system=info.system, name=info.name)
    elif action == "get":
        result["value"] = store.get(args[0])
    elif action == "delete":
        store.delete(args[0])
    elif action == "lock":
        connection = secretstorage.dbus_init()
        secretstorage.get_default_collection(connection).lock()
    elif action == "describe":
        info = SecretStore().backend()  # what the app picks by itself
        result.update(name=info.name, system=info.system, persistent=info.persistent,
                      sentence=info.describe(), default=type(keyring.get_keyring()).__module__)
    else:
        raise SystemExit(f"unknown action {action!r}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
