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
from desktop.i18n import _
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
    return redact(text).rstrip(". ") or _("no details")


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
            _("The gateway “{gateway}” has no free streaming slot.").format(gateway=gateway),
            gateway=gateway,
            hint=_("Wait until another live on it ends, or use another gateway."),
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
            _("The gateway “{gateway}” failed to launch the stream ({reason}).").format(
                gateway=gateway, reason=self.reason),
            gateway=gateway,
            hint=_("Try again in a moment; if it keeps failing, the gateway's administrator "
                   "should look at its logs."),
            step=step,
        )


class GatewayAuthError(GatewayError):
    """HTTP 401: the token is wrong, or none is stored."""

    def __init__(self, gateway: str, *, token_missing: bool = False, step: str = "") -> None:
        if token_missing:
            hint = _("No token is stored for it: add one with “pupitre gateway add {gateway} … "
                     "--token-stdin”.").format(gateway=gateway)
        else:
            hint = _("Store the right token with “pupitre gateway add {gateway} … "
                     "--token-stdin”.").format(gateway=gateway)
        super().__init__(
            _("The gateway “{gateway}” refused the token.").format(gateway=gateway),
            gateway=gateway, hint=hint, step=step,
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
            _("The gateway “{gateway}” rejected the request (HTTP {status}: {detail}).").format(
                gateway=gateway, status=status, detail=self.detail),
            gateway=gateway,
            step=step,
        )


class GatewayCommandFailed(GatewayError):
    """A stop, chat or toggle command reached the gateway but did not succeed.

    Attributes:
        action: what was attempted, as a translated infinitive phrase
            (``_("toggle the chat panel")``), which ends the sentence "could not …".
        detail: the gateway's reply (often docker's stderr), cleaned.
    """

    def __init__(self, gateway: str, action: str, detail: str, *, step: str = "") -> None:
        self.action = action
        self.detail = server_text(detail)
        super().__init__(
            # TRANSLATORS: {action} is an infinitive phrase such as "stop the gateway"
            _("The gateway “{gateway}” could not {action} ({detail}).").format(
                gateway=gateway, action=action, detail=self.detail),
            gateway=gateway,
            step=step,
        )


class GatewayProtocolError(GatewayError, ProtocolError):
    """The reply is not what the gateway API says (not JSON, missing fields...)."""

    def __init__(self, gateway: str, what: str, *, step: str = "") -> None:
        super().__init__(
            _("The gateway “{gateway}” answered something unexpected ({what}).").format(
                gateway=gateway, what=what),
            gateway=gateway,
            hint=_("Check that the gateway address and its kind (legacy or v1.8) are right."),
            step=step,
        )


class GatewayFeatureUnavailable(GatewayError):
    """This gateway's SIPMediaGW version cannot do what was asked (the stream itself works).

    The sentence names the version, what does not work and what to upgrade to; ``limitation``
    is that sentence, kept for the capabilities the UI renders.
    """

    def __init__(self, gateway: str, limitation: str, *, step: str = "") -> None:
        self.limitation = limitation
        super().__init__(limitation, gateway=gateway,
                         hint=_("The live stream itself is not affected."), step=step)


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
            sentence = _("No streaming gateway is configured.")
            hint = _("Add one with “pupitre gateway add”.")
        else:
            # TRANSLATORS: the list separator between the gateways' reasons
            parts = _("; ").join(reason(name, error) for name, error in reasons.items())
            sentence = _("No gateway could start the stream: {reasons}.").format(reasons=parts)
            hint = _("Wait for a slot, or check the gateways with “pupitre gateway check”.")
        super().__init__(sentence, hint=hint, step=step)

    @property
    def all_busy(self) -> bool:
        return bool(self.reasons) and all(isinstance(e, GatewayBusy) for e in self.reasons.values())


def reason(gateway: str, error: PupitreError) -> str:
    """One short clause for the pool's sentence: "gw1 is busy", "gw2 could not be reached"...

    A whole clause with the gateway's name in it (not a predicate glued after the name), so a
    translation can put the name where its language wants it.
    """
    if isinstance(error, GatewayBusy):
        return _("{gateway} is busy").format(gateway=gateway)
    if isinstance(error, TimeoutError_):
        return _("{gateway} did not answer in time").format(gateway=gateway)
    if isinstance(error, TLSError):
        return _("{gateway} has a certificate that could not be verified").format(gateway=gateway)
    if isinstance(error, NetworkError):
        return _("{gateway} could not be reached").format(gateway=gateway)
    if isinstance(error, GatewayAuthError):
        return _("{gateway} refused the token").format(gateway=gateway)
    if isinstance(error, GatewayLaunchFailed):
        # the gateway's own words, unless they only repeat ours ("The gateway failed to launch")
        if "failed to launch" in error.reason.lower():
            return _("{gateway} failed to launch").format(gateway=gateway)
        return _("{gateway} failed to launch ({reason})").format(gateway=gateway, reason=error.reason)
    if isinstance(error, GatewayInUse):
        return _("{gateway} is already streaming another webinar").format(gateway=gateway)
    return _("{gateway} failed ({reason})").format(gateway=gateway, reason=error.sentence.rstrip("."))


class GatewayInUse(GatewayError):
    """This app already streams a webinar through the gateway (one webinar per gateway)."""

    def __init__(self, gateway: str) -> None:
        super().__init__(
            _("The gateway “{gateway}” is already streaming another webinar.").format(gateway=gateway),
            gateway=gateway,
        )
