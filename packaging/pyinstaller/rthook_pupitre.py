"""PyInstaller runtime hook: runs in the frozen app before its own code.

* Linux: PyInstaller's bootloader puts the bundle first in ``LD_LIBRARY_PATH`` (keeping the
  user's value in ``LD_LIBRARY_PATH_ORIG``). This process already has its libraries, but every
  program it starts would inherit it — the browser opened for the presenter's join link would
  load our bundled Qt and X libraries instead of its own and may crash. Restore the user's
  value for the children (glibc read the variable at start-up, so the app itself is unaffected).
  See "LD_LIBRARY_PATH / LIBPATH considerations" in PyInstaller's run-time information docs.
* Windows and macOS: when the spec bundled libVLC into ``vlc/``, point python-vlc at it before
  ``import vlc`` looks for a system VLC.
"""

import ctypes
import os
import sys

_bundle = getattr(sys, "_MEIPASS", os.path.dirname(sys.executable))

if sys.platform.startswith("linux"):
    _original = os.environ.pop("LD_LIBRARY_PATH_ORIG", None)
    if _original is not None:
        os.environ["LD_LIBRARY_PATH"] = _original
    else:
        os.environ.pop("LD_LIBRARY_PATH", None)
else:
    _vlc = os.path.join(_bundle, "vlc")
    _plugins = os.path.join(_vlc, "plugins")
    _lib = os.path.join(_vlc, "libvlc.dll" if sys.platform == "win32" else "libvlc.dylib")
    if os.path.isfile(_lib) and os.path.isdir(_plugins):
        if sys.platform == "darwin":
            # libvlc.dylib needs libvlccore loaded first (python-vlc does the same for VLC.app)
            ctypes.CDLL(os.path.join(_vlc, "libvlccore.dylib"))
        os.environ.setdefault("PYTHON_VLC_LIB_PATH", _lib)
        os.environ.setdefault("PYTHON_VLC_MODULE_PATH", _plugins)
