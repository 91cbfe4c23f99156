"""Pupitre's Qt user interface.

The only package (with the lab's video renderer) allowed to import Qt.  It renders the core's
state (:mod:`desktop.webinar.state`) and sends intents as Qt signals; it holds no protocol logic.
"""
