"""The one error family of Pupitre.

Every failure that can reach a user is a :class:`PupitreError` whose ``sentence`` explains it in
one plain sentence ("the gateway refused the token"), optionally with a ``hint`` saying what to
try.  Layers raise subclasses (``desktop.bbb.errors``, ``desktop.gateways.errors`` ...) so callers
can branch on the kind, while the UI and the CLI only ever need ``str(error)``.

Secrets never go into these messages: build sentences from host names and server replies only.
"""

from __future__ import annotations


class PupitreError(Exception):
    """A failure that the UI can explain in one sentence.

    Attributes:
        sentence: the user-facing explanation, a full sentence without a trailing traceback.
        hint: what the user can try, or "".
        step: the step that failed (e.g. "checking", "starting gateway"), set by the caller.
    """

    def __init__(self, sentence: str, *, hint: str = "", step: str = "") -> None:
        super().__init__(sentence)
        self.sentence = sentence
        self.hint = hint
        self.step = step

    def __str__(self) -> str:
        return self.sentence

    def explain(self) -> str:
        """The sentence followed by the hint, for a dialog or a terminal, redacted: a sentence may
        quote a server's text, and a hostile server can echo a checksum or a token."""
        from desktop.logs import redact

        return redact(f"{self.sentence} {self.hint}".strip())


class ConfigError(PupitreError):
    """The configuration is missing or invalid (unknown profile, bad URL...)."""


class NetworkError(PupitreError):
    """A server could not be reached or did not answer in time.

    Attributes:
        host: the host that failed (never a full signed URL).
    """

    def __init__(self, sentence: str, *, host: str = "", hint: str = "", step: str = "") -> None:
        super().__init__(sentence, hint=hint, step=step)
        self.host = host


class UnreachableError(NetworkError):
    """Connection refused, DNS failure, network down."""


class TimeoutError_(NetworkError):
    """The server accepted the connection but did not answer within the timeout."""


class DeadlineError(TimeoutError_):
    """The server answered, but the whole reply took longer than the request's total deadline
    (a server trickling its answer).  Not retried: the server is up, only too slow."""


class TLSError(NetworkError):
    """The server's certificate could not be verified."""


class ProtocolError(PupitreError):
    """A server answered something that is not what the protocol says (malformed XML/JSON...)."""


class HTTPStatusError(PupitreError):
    """A server answered with an HTTP status the protocol does not expect.

    Attributes:
        status: the HTTP status code.
    """

    def __init__(self, sentence: str, *, status: int, hint: str = "", step: str = "") -> None:
        super().__init__(sentence, hint=hint, step=step)
        self.status = status
