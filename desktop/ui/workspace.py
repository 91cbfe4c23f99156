"""What the console works on: the user's own set-up, or a throw-away lab.

"Try it with the lab" and ``pupitre --lab`` must not leave anything behind in the user's saved
settings, keyring or schedule: the lab's servers vanish when the app quits, so a profile that
points at them would be a broken profile next time.  :func:`lab_workspace` therefore builds a
workspace whose settings file is in a temporary folder, whose secrets stay in this process (a :class:`SecretStore` over keyring's ``fail`` backend keeps them
in memory) and whose schedule and journal are in a temporary folder removed at exit.
No Qt here.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.config.paths import AppPaths
from desktop.config.settings import Settings
from desktop.secrets import SecretStore

if TYPE_CHECKING:  # the lab (aiohttp, PyAV, the emulators) is imported only when it is used
    from desktop.lab.runner import Lab

logger = logging.getLogger(__name__)


@dataclass
class Workspace:
    """Paths, settings and secrets the core is opened with.

    Attributes:
        lab: the running lab when this is the lab's workspace (None for the user's own).
        temporary: the folder holding the lab's schedule and journal (removed by :meth:`discard`).
    """

    paths: AppPaths
    settings: Settings
    secrets: SecretStore
    lab: Lab | None = None
    temporary: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False)

    @property
    def is_lab(self) -> bool:
        return self.lab is not None

    async def discard(self) -> None:
        """Stop the lab and remove its temporary folder (nothing for the user's workspace)."""
        if self.lab is not None:
            lab, self.lab = self.lab, None
            await lab.stop()
        if self.temporary is not None:
            temporary, self.temporary = self.temporary, None
            temporary.cleanup()


def memory_secret_store() -> SecretStore:
    """A store that never reaches the system keyring: secrets live in this process only."""
    import keyring.backends.fail  # only for the lab: keyring is not on the start path

    return SecretStore(backend=keyring.backends.fail.Keyring())


def lab_workspace(lab: Lab) -> Workspace:
    """A workspace on a started ``lab``: in-memory settings and secrets, temporary schedule."""
    temporary = tempfile.TemporaryDirectory(prefix="pupitre-lab-")
    root = Path(temporary.name)
    paths = AppPaths(root / "config", root / "data", root / "logs", root / "cache").ensure()
    # saving (the settings dialog) writes into the temporary folder, never the user's file
    settings = Settings(path=paths.settings_file)
    secrets = memory_secret_store()
    lab.write_profile(settings, secrets)
    logger.info("lab workspace in %s (settings and secrets in memory only)", root)
    return Workspace(paths, settings, secrets, lab=lab, temporary=temporary)
