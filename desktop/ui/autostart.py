"""Start Pupitre at login: a per-user setting that lives where the desktop looks for it.

* Linux (and other XDG desktops): a ``.desktop`` entry in ``$XDG_CONFIG_HOME/autostart/``
  (``~/.config/autostart/`` by default), named after the app id, per the XDG Autostart
  specification. Deleting it is the whole "off" switch; the file *is* the state, so the setting
  can never disagree with what the desktop will do.
* Windows: a value named after the app id under
  ``HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run`` whose data is the
  quoted command line.
* macOS: not done by the app (a Login Item is added in System Settings → General → Login Items,
  or by the user dragging Pupitre.app there; see README). :attr:`Autostart.supported` is False.
* Inside Flatpak the sandbox cannot write the host's autostart folder (the Background portal
  would be needed): also unsupported, said so rather than pretending.

No Qt here: the GUI shows a check box bound to :class:`Autostart`; tests drive it directly.
"""

from __future__ import annotations

import importlib
import logging
import os
import shutil
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from desktop import APP_ID, APP_NAME
from desktop.errors import PupitreError

logger = logging.getLogger(__name__)

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"


class AutostartError(PupitreError):
    """The login item could not be written or removed."""


def launch_command(
    *, frozen: bool | None = None, executable: str = sys.executable, which: str | None = None
) -> list[str]:
    """The command that starts this Pupitre: the bundle's executable, the installed
    ``pupitre`` script, or ``python -m desktop`` from a source checkout, in that order."""
    if frozen if frozen is not None else bool(getattr(sys, "frozen", False)):
        return [executable]
    script = which if which is not None else shutil.which("pupitre")
    if script:
        return [script]
    return [executable, "-m", "desktop"]


def desktop_exec_line(argv: Sequence[str]) -> str:
    """``argv`` quoted for a desktop entry's ``Exec`` key (Desktop Entry spec, "The Exec key")."""
    quoted = []
    for arg in argv:
        if arg and not any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`="):
            quoted.append(arg)
            continue
        escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
        quoted.append(f'"{escaped}"')
    # then the escape of every string value: each backslash is doubled (a quoted literal
    # backslash becomes four), and a literal percent sign is doubled (field codes use %)
    return " ".join(quoted).replace("\\", "\\\\").replace("%", "%%")


def windows_command_line(argv: Sequence[str]) -> str:
    import subprocess

    return subprocess.list2cmdline(list(argv))


class RunKey(Protocol):
    """The few registry operations needed on the Run key (winreg on Windows, a fake in tests)."""

    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str) -> None: ...

    def delete(self, name: str) -> None: ...


def _winreg() -> Any:
    """The Windows registry module (imported by name: it exists on Windows only)."""
    return importlib.import_module("winreg")


class WinregRunKey:
    """``HKCU\\...\\CurrentVersion\\Run`` through :mod:`winreg` (Windows only)."""

    def get(self, name: str) -> str | None:
        winreg = _winreg()

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                value, _kind = winreg.QueryValueEx(key, name)
        except FileNotFoundError:
            return None
        return str(value)

    def set(self, name: str, value: str) -> None:
        winreg = _winreg()

        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
            winreg.SetValueEx(key, name, 0, winreg.REG_SZ, value)

    def delete(self, name: str) -> None:
        winreg = _winreg()

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
                winreg.DeleteValue(key, name)
        except FileNotFoundError:
            pass


class Autostart:
    """Whether Pupitre starts at login, and the switch.

    Attributes:
        supported: False where the app cannot set it itself (macOS, Flatpak); then
            :attr:`unsupported_reason` says what the user can do instead.
        command: the command line the login item runs.
    """

    def __init__(
        self,
        *,
        platform: str = sys.platform,
        environ: Mapping[str, str] | None = None,
        command: Sequence[str] | None = None,
        run_key: RunKey | None = None,
    ) -> None:
        self._platform = platform
        self._environ = os.environ if environ is None else environ
        self.command = list(command) if command is not None else launch_command()
        self._run_key = run_key

    # -- where ------------------------------------------------------------------------------
    @property
    def _xdg(self) -> bool:
        return self._platform not in ("win32", "darwin")

    @property
    def supported(self) -> bool:
        return self.unsupported_reason is None

    @property
    def unsupported_reason(self) -> str | None:
        if self._platform == "darwin":
            return "On macOS, add Pupitre in System Settings → General → Login Items."
        if self._xdg and self._environ.get("FLATPAK_ID"):
            return "Inside Flatpak, use your desktop's startup-applications settings to start Pupitre at login."
        return None

    @property
    def entry_path(self) -> Path:
        """The XDG autostart entry (``$XDG_CONFIG_HOME/autostart/<APP_ID>.desktop``)."""
        config = self._environ.get("XDG_CONFIG_HOME", "")
        # the spec: a relative or empty XDG_CONFIG_HOME is invalid and must be ignored
        base = Path(config) if config and os.path.isabs(config) else Path.home() / ".config"
        return base / "autostart" / f"{APP_ID}.desktop"

    def _registry(self) -> RunKey:
        if self._run_key is None:
            self._run_key = WinregRunKey()
        return self._run_key

    # -- state and switch -------------------------------------------------------------------
    def is_enabled(self) -> bool:
        if not self.supported:
            return False
        if self._platform == "win32":
            return self._registry().get(APP_ID) is not None
        return self.entry_path.is_file()

    def set_enabled(self, enabled: bool) -> None:
        if enabled:
            self.enable()
        else:
            self.disable()

    def enable(self) -> None:
        self._require_supported()
        if self._platform == "win32":
            self._registry().set(APP_ID, windows_command_line(self.command))
            logger.info("start at login: on (registry Run key)")
            return
        path = self.entry_path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(self.desktop_entry(), encoding="utf-8")
            tmp.replace(path)
        except OSError as exc:
            raise AutostartError(
                f"Could not write the login item {path}.", hint=f"Check that the folder is writable ({exc.strerror})."
            ) from exc
        logger.info("start at login: on (%s)", path)

    def disable(self) -> None:
        self._require_supported()
        if self._platform == "win32":
            self._registry().delete(APP_ID)
            logger.info("start at login: off")
            return
        try:
            self.entry_path.unlink(missing_ok=True)
        except OSError as exc:
            raise AutostartError(
                f"Could not remove the login item {self.entry_path}.", hint=f"Remove it by hand ({exc.strerror})."
            ) from exc
        logger.info("start at login: off")

    def desktop_entry(self) -> str:
        return "\n".join(
            [
                "[Desktop Entry]",
                "Type=Application",
                f"Name={APP_NAME}",
                "Comment=Start Pupitre in the system tray at login",
                "Comment[fr]=Démarrer Pupitre dans la zone de notification à l’ouverture de session",
                f"Icon={APP_ID}",
                f"Exec={desktop_exec_line(self.command)}",
                "Terminal=false",
                "X-GNOME-Autostart-enabled=true",
                "",
            ]
        )

    def _require_supported(self) -> None:
        reason = self.unsupported_reason
        if reason is not None:
            raise AutostartError("Pupitre cannot set its own login item here.", hint=reason)
