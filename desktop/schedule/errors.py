"""The ways scheduling can fail, each explainable in one sentence.

A :class:`ValidationError` names the form field it belongs to, so that the settings dialog can put
the sentence right next to the field and the CLI can name the option (``--until``...).  That is
also why validation lives in the model and not in a form: Pod validated recurrence in template
JavaScript only and a typo on the server side went unnoticed (weakness #15).
"""

from __future__ import annotations

from desktop.errors import ConfigError, PupitreError


class ValidationError(ConfigError):
    """One scheduling field holds a value that cannot be accepted.

    Attributes:
        field: the model field at fault ("title", "start", "duration", "timezone", "interval",
            "weekdays", "monthly_type", "until", "count", "max_participants", "occurrence"...).
    """

    def __init__(self, field: str, sentence: str, *, hint: str = "") -> None:
        super().__init__(sentence, hint=hint)
        self.field = field


class WebinarNotFoundError(PupitreError):
    """No webinar has the number (or meeting ID) that was asked for."""


class ScheduleStoreError(PupitreError):
    """The schedule database cannot be opened, read or written."""
