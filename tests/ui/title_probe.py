"""Run on a real X display (xcb): show the main window named as the app names itself and print
the title the window manager sees (``_NET_WM_NAME`` read back with xprop), as JSON.

Usage: python tests/ui/title_probe.py [--lab]; see test_window_title.py.
"""

from __future__ import annotations

import json
import subprocess
import sys

from PySide6.QtWidgets import QApplication

from desktop.ui.app import name_application
from desktop.ui.main_window import MainWindow
from tests.ui.fakes import FakeVlc


def main() -> int:
    app = QApplication(sys.argv[:1])
    name_application(app)
    window = MainWindow(lab="--lab" in sys.argv, vlc_loader=FakeVlc)
    window.show()
    app.processEvents()
    answer = subprocess.run(["xprop", "-id", str(int(window.winId())), "-notype", "_NET_WM_NAME"],
                            capture_output=True, text=True, timeout=20, check=True)
    print(json.dumps({"set": window.windowTitle(), "xprop": answer.stdout.strip()}))
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
