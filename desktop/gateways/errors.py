"""What can go wrong with a streaming gateway, each kind explainable in one sentence.

The legacy SIPMediaGW API hides its two most common failures inside a "success" reply (reference
``gateway-and-pod.md`` §3.3, "the trap"), and Pod shows them as nothing at all (§11 #3).  Here each
one is its own type, so the pool can tell "busy, try the next gateway" from "refused the token,
fix the settings", and the UI can say which.

Network failures are not redefined: the drivers let :class:`desktop.errors.NetworkError` and its
subclasses (unreachable, timeout, TLS) through unchanged.

Sentences name the gateway (its configured name, never its token) and quote the server's own
words where it gave some, cleaned by :func:`server_text` so a hostile or huge reply cannot flood
a dialog or leak a registered secret.
"""

from __future__ import annotations

import json
import re
from typing import Any

from desktop.errors import NetworkError, ProtocolError, PupitreError, TimeoutError_, TLSError
from desktop.logs import redact

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
_MAX_SERVER_TEXT = 160


def server_text(value: Any) -> str:
    """A server-supplied text made safe for one sentence: printable, short, redacted."""
    if not isinstance(value, str):
        try:
            value = json.dumps(value, ensure_ascii=False)
        except (TypeError, ValueError):
            value = repr(value)
    text = " ".join(_CONTROL.sub(" ", value).split())
    if len(text) > _MAX_SERVER_TEXT:
        text = text[: _MAX_SERVER_TEXT - 1].rstrip() + "…"
    return redact(text).rstrip(". ") or "no details"


class GatewayError(PupitreError):
    """A gateway answered, and the answer means the operation did not happen.

    Attributes:
        gateway: the gateway's configured name.
    """

    def __init__(self, sentence: str, *, gateway: str, hint: str = "", step: str = "") -> None:
        super().__init__(sentence, hint=hint, step=step)
        self.gateway = gateway


class GatewayBusy(GatewayError):
    """Every streaming slot of the gateway is taken ("No free resources found", 503)."""

    def __init__(self, gateway: str, *, step: str = "") -> None:
        super().__init__(
            f"The gateway “{gateway}” has no free streaming slot.",
            gateway=gateway,
            hint="Wait until another live on it ends, or use another gateway.",
            step=step,
        )


class GatewayLaunchFailed(GatewayError):
    """The gateway accepted the request but its container did not come up.

    Attributes:
        reason: the gateway's own words ("The gateway failed to launch"...).
    """

    def __init__(self, gateway: str, reason: str, *, step: str = "") -> None:
        self.reason = server_text(reason)
        super().__init__(
            f"The gateway “{gateway}” failed to launch the stream ({self.reason}).",
            gateway=gateway,
            hint="Try again in a moment; if it keeps failing, the gateway's administrator "
            "should look at its logs.",
            step=step,
        )


class GatewayAuthError(GatewayError):
    """HTTP 401: the token is wrong, or none is stored."""

    def __init__(self, gateway: str, *, token_missing: bool = False, step: str = "") -> None:
        if token_missing:
            hint = (
                f"No token is stored for it: add one with “pupitre gateway add {gateway} … "
                "--token-stdin”."
            )
        else:
            hint = f"Store the right token with “pupitre gateway add {gateway} … --token-stdin”."
        super().__init__(
            f"The gateway “{gateway}” refused the token.", gateway=gateway, hint=hint, step=step
        )


class GatewayRequestError(GatewayError):
    """The gateway rejected the request (400, 404, 422, 5xx...) and said why.

    Attributes:
        status: the HTTP status.
        detail: the server's explanation (``{"Error": ...}``, ``error.detail``...), cleaned.
    """

    def __init__(self, gateway: str, status: int, detail: str, *, step: str = "") -> None:
        self.status = status
        self.detail = server_text(detail)
        super().__init__(
            f"The gateway “{gateway}” rejected the request (HTTP {status}: {self.detail}).",
            gateway=gateway,
            step=step,
        )


class GatewayCommandFailed(GatewayError):
    """A stop, chat or toggle command reached the gateway but did not succeed.

    Attributes:
        action: what was attempted, as a verb phrase ("toggle the chat panel").
        detail: the gateway's reply (often docker's stderr), cleaned.
    """

    def __init__(self, gateway: str, action: str, detail: str, *, step: str = "") -> None:
        self.action = action
        self.detail = server_text(detail)
        super().__init__(
            f"The gateway “{gateway}” could not {action} ({self.detail}).",
            gateway=gateway,
            step=step,
        )


class GatewayProtocolError(GatewayError, ProtocolError):
    """The reply is not what the gateway API says (not JSON, missing fields...)."""

    def __init__(self, gateway: str, what: str, *, step: str = "") -> None:
        super().__init__(
            f"The gateway “{gateway}” answered something unexpected ({what}).",
            gateway=gateway,
            hint="Check that the gateway address and its kind (legacy or v1.8) are right.",
            step=step,
        )


class ChatTextRejected(PupitreError):
    """A chat message that cannot be sent as it is (empty, too long)."""


class NoGatewayAvailable(PupitreError):
    """Every gateway of a pool failed to start the stream.

    Attributes:
        reasons: gateway name -> the error it gave, in the order they were tried.
    """

    def __init__(self, reasons: dict[str, PupitreError], *, step: str = "") -> None:
        self.reasons = dict(reasons)
        if not reasons:
            sentence = "No streaming gateway is configured."
            hint = "Add one with “pupitre gateway add”."
        else:
            parts = "; ".join(f"{name} {why(error)}" for name, error in reasons.items())
            sentence = f"No gateway could start the stream: {parts}."
            hint = "Wait for a slot, or check the gateways with “pupitre gateway check”."
        super().__init__(sentence, hint=hint, step=step)

    @property
    def all_busy(self) -> bool:
        return bool(self.reasons) and all(isinstance(e, GatewayBusy) for e in self.reasons.values())


def why(error: PupitreError) -> str:
    """A short predicate for the pool's sentence: "is busy", "could not be reached"..."""
    if isinstance(error, GatewayBusy):
        return "is busy"
    if isinstance(error, TimeoutError_):
        return "did not answer in time"
    if isinstance(error, TLSError):
        return "has a certificate that could not be verified"
    if isinstance(error, NetworkError):
        return "could not be reached"
    if isinstance(error, GatewayAuthError):
        return "refused the token"
    if isinstance(error, GatewayLaunchFailed):
        # the gateway's own words, unless they only repeat ours ("The gateway failed to launch")
        if "failed to launch" in error.reason.lower():
            return "failed to launch"
        return f"failed to launch ({error.reason})"
    if isinstance(error, GatewayInUse):
        return "is already streaming another webinar"
    return f"failed ({error.sentence.rstrip('.')})"


class GatewayInUse(GatewayError):
    """This app already streams a webinar through the gateway (one webinar per gateway)."""

    def __init__(self, gateway: str) -> None:
        super().__init__(
            f"The gateway “{gateway}” is already streaming another webinar.", gateway=gateway
        )
