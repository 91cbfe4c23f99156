"""Pupitre: the presenter's desktop console for large BigBlueButton webinars."""

import sys

# httpx's __init__ imports its command-line client (click, pygments, rich) whenever they happen
# to be installed, ~3.6 MiB and 25 ms for a program Pupitre never runs; a None entry makes that
# import fail the way httpx expects when they are absent (it then defines a stub ``httpx.main``).
# Only before httpx is first imported, which no module does before this package (issue 13).
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

__version__ = "0.1.0"
APP_ID = "io.github.pupitre_app.Pupitre"  # one reverse-DNS id everywhere (desktop file, AppStream, icons, packages)
APP_NAME = "Pupitre"
