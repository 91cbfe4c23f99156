"""Pupitre's Qt user interface.

The only package (with the lab's video renderer) allowed to import Qt.  It renders the core's
state (:mod:`desktop.webinar.state`) and sends intents as Qt signals; it holds no protocol logic.
"""

from desktop.ui.source_cache import stop_pyside_keeping_sources

# before any module of the UI (each imports PySide6): PySide6 would otherwise keep the source of
# every module imported from here on (12 MiB at idle; see desktop/ui/source_cache.py)
stop_pyside_keeping_sources()
