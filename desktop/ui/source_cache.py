"""Stop PySide6 from keeping the source text of every module imported after it (issue 13).

PySide6 (checked with 6.11.3) installs an import hook for its ``__feature__`` switches
(``snake_case``, ``true_property``): after each import, ``shibokensupport.feature.feature_imported``
asks ``_mod_uses_pyside(module)``, which reads the module's whole source with
``inspect.getsource`` to look for the word "PySide6".  ``inspect`` reads through ``linecache``,
which keeps every line it read: with the configured idle console that is about 320 files, 4.9 MB
of text held as one string per line — measured at 12 MiB of RSS, which ``linecache.clearcache()``
later does not give back (the freed lines stay scattered over Python's memory pools).

:func:`stop_pyside_keeping_sources` wraps that check so it still answers the same (the feature
switches keep working), and then drops what it alone put in ``linecache``; once, it also drops
what was kept before it ran (files only: ``linecache`` reads them again when asked).  A traceback still
shows source lines: ``linecache`` reads the file again when asked.  If a PySide6 version no longer
has the check, nothing is changed (tests/ui/test_source_cache.py then says so).
"""

from __future__ import annotations

import linecache
import sys
from collections.abc import Callable
from types import ModuleType

_FEATURE_MODULE = "shibokensupport.feature"
_CHECK = "_mod_uses_pyside"


def stop_pyside_keeping_sources() -> bool:
    """Wrap PySide6's per-import source check (once); True when it is wrapped."""
    import PySide6  # noqa: F401  (loads shiboken's import hook, shibokensupport.feature)

    feature = sys.modules.get(_FEATURE_MODULE)
    check: Callable[[ModuleType], bool] | None = getattr(feature, _CHECK, None)
    if feature is None or check is None:
        return False
    if getattr(check, "keeps_no_source", False):
        return True

    def uses_pyside(module: ModuleType) -> bool:
        filename = getattr(module, "__file__", None)
        cached_before = isinstance(filename, str) and filename in linecache.cache
        try:
            return check(module)
        finally:
            if isinstance(filename, str) and not cached_before:
                linecache.cache.pop(filename, None)

    uses_pyside.keeps_no_source = True  # type: ignore[attr-defined]
    setattr(feature, _CHECK, uses_pyside)
    # and what it kept until now (PySide6's own imports): only files linecache can read again
    # (an entry with a modification time); lines registered by hand (mtime None) stay
    for filename, entry in list(linecache.cache.items()):
        if len(entry) == 4 and entry[1] is not None:
            linecache.cache.pop(filename, None)
    return True
