"""How well something works, in four levels: the colour of a health row.

A neutral module: the chat pipeline reports its connection with it and the live's health view
(:mod:`desktop.webinar.state`) is made of it, so neither package has to import the other for it.
"""

from __future__ import annotations

import enum


class Health(enum.StrEnum):
    GOOD = "good"
    WARNING = "warning"
    BAD = "bad"
    UNKNOWN = "unknown"
