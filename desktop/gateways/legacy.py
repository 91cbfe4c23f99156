"""Driver for the legacy SIPMediaGW launcher (web.py, v1.5–v1.7): the API Esup-Pod 4 speaks.

Contract: reference ``gateway-and-pod.md`` §3 (success criteria table §3.10).  What this driver
does that Pod does not:

* ``/start`` succeeds only on HTTP 200 **and** ``status == "success"`` **and**
  ``details.res == "ok"``.  The launcher wraps the script's stdout in a "success" envelope even
  when the gateway did not start: ``"No free resources found"`` becomes :class:`GatewayBusy`,
  ``"The gateway failed to launch"`` and any other ``res`` become :class:`GatewayLaunchFailed`.
* 400/401 bodies ``{"Error": ...}`` are shown, typed; 401 is :class:`GatewayAuthError`.
* ``/stop`` answering 400 "no running container" (v1.7+) means the gateway is already gone:
  that is a successful stop.
* ``GET /chat?toggle`` succeeds only on ``res == "ok"`` (otherwise ``res`` is docker's stderr).
  Even then it only proves that ``netcat`` reached the container: the browser clicks the toggle
  inside ``try/except: pass`` (v1.7.0 ``browsing/bigbluebutton.py`` ``chatHandler``), so the panel
  is only *requested* to move (``chat_toggle_confirmed`` is False).
* ``POST /chat`` requires ``res == "ok"`` exactly (Pod's ``"ok" in res`` would accept a docker
  error such as "broken pipe").  What the text may hold depends on the version
  (:mod:`desktop.gateways.chat_text`): v1.5/v1.6 get Pod's quote replacement; v1.7 — every server
  with ``/progress``, which came (065b94f) after the ``msg.encode('utf-8')`` bug (ed6f094) — can
  only carry plain ASCII.  Before its first chat line the driver asks ``/progress`` (read-only)
  if it does not know the version yet.
* ``POST /chat`` is not token-protected on the launcher, but we send the Bearer header anyway: the
  stock launcher ignores it, a reverse proxy or patched launcher that protects every path keeps
  working, and the token travels to the same server over the same channel as on every other
  call, so nothing new is exposed.
* ``/progress`` (v1.7+) is the status source (v1.7.0 ``HTTPLauncher.py`` ``Progress.GET``):
  ``{"status":"success","gw_state":"down"}`` when ``docker compose -p <room> ps`` lists no running
  container, otherwise a success *without* ``gw_state`` carrying ``transcript_progress`` ("0%")
  and, for recordings only, ``recording_duration``: that is a running container (UP).  A non-JSON 404 means the route does not exist
  (≤ v1.6): status is UNKNOWN and the capability is remembered as absent.
* Every call has its own timeout (:class:`~desktop.gateways.base.CallTimeouts`).

The probe never changes anything: ``GET /progress?room=<random>`` (read-only ``docker compose ps``
on v1.7+), and where that route is missing, ``GET /chat?room=<random>`` *without* ``toggle``,
which every version checks the token for and then rejects with 400 "toggle parameter is
expected" before running any command.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any, ClassVar

import httpx

from desktop.errors import ConfigError
from desktop.gateways.base import (
    CallTimeouts,
    Capabilities,
    Gateway,
    GatewaySession,
    GatewayState,
    GatewayStatus,
    ProbeResult,
    utc_now,
)
from desktop.gateways.chat_text import ChatRelay, prepare_chat_text
from desktop.gateways.errors import (
    GatewayBusy,
    GatewayCommandFailed,
    GatewayLaunchFailed,
    GatewayProtocolError,
    GatewayRequestError,
    server_text,
)
from desktop.gateways.join_target import JoinTarget
from desktop.gateways.probing import probe_safely, refused
from desktop.gateways.transport import (
    NOT_JSON,
    GatewayHttp,
    decode_json,
    error_detail,
    require_json_object,
)
from desktop.i18n import _

logger = logging.getLogger(__name__)

KIND = "sipmediagw-legacy"
BUSY_TYPES = ("No free resources found", "No resources available to start the gateway")
_NO_RUNNING_CONTAINER = "no running container"


class LegacySipMediaGw(Gateway):
    """SIPMediaGW's web.py launcher (``GET /start``, ``/stop``, ``/chat``, ``/progress``)."""

    kind: ClassVar[str] = KIND

    def __init__(
        self,
        name: str,
        base_url: str,
        token: str | None,
        *,
        ca_bundle: str | None = None,
        insecure: bool = False,
        timeouts: CallTimeouts | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.name = name
        self.timeouts = timeouts or CallTimeouts()
        self._http = GatewayHttp(
            name, base_url, token, ca_bundle=ca_bundle, insecure=insecure, transport=transport
        )
        self._has_progress: bool | None = None

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(
            has_status=self._has_progress,
            chat_relay=_relay_for(self._has_progress),
            limitation=_limitation_for(self._has_progress),
        )

    # -- start / stop ------------------------------------------------------------------------
    async def start(self, target: JoinTarget, rtmp_url: str) -> GatewaySession:
        if not rtmp_url.startswith(("rtmp://", "rtmps://")):
            raise ConfigError(_("The RTMP address must start with rtmp:// (got “{address}”).").format(
                address=rtmp_url[:60]))
        logger.info("gateway %s: starting (%s)", self.name, target.describe())
        response = await self._http.call(
            "GET",
            "/start",
            params={"room": target.room, "domain": target.domain, "rtmpDst": rtmp_url},
            timeouts=self.timeouts.start,
        )
        self._raise_for_error_status(response, step="starting gateway")
        body = require_json_object(self.name, response)
        details = body.get("details")
        if not isinstance(details, dict):
            raise GatewayProtocolError(self.name, _("a start reply without details"))
        if body.get("status") != "success":
            reason = details.get("type") or details.get("res")
            if not reason:
                raise GatewayProtocolError(self.name, _("a start reply that is neither success nor error"))
            raise GatewayLaunchFailed(self.name, server_text(reason), step="starting gateway")
        res = details.get("res")
        if res != "ok":
            reason = details.get("type") or res or _("no reason given")
            if isinstance(reason, str) and reason.strip() in BUSY_TYPES:
                raise GatewayBusy(self.name, step="starting gateway")
            raise GatewayLaunchFailed(self.name, server_text(reason), step="starting gateway")
        if details.get("app") not in (None, "streaming"):
            # a server configured for SIP (MAIN_APP=baresip) would "start" without streaming
            raise GatewayLaunchFailed(
                self.name, _("it runs the “{app}” app, not streaming").format(
                    app=server_text(details.get("app")))
            )
        logger.info("gateway %s: started room %s", self.name, target.room)
        return GatewaySession(
            gateway=self.name, kind=KIND, room=target.room, started_at=utc_now(), rtmp_url=rtmp_url
        )

    async def stop(self, session: GatewaySession) -> None:
        response = await self._http.call(
            "GET", "/stop", params={"room": session.room}, timeouts=self.timeouts.stop
        )
        self._http.raise_for_auth(response)
        body = decode_json(response)
        if response.status_code == 400:
            detail = error_detail(body, response)
            if _NO_RUNNING_CONTAINER in detail.lower():
                logger.info("gateway %s: room %s was already stopped", self.name, session.room)
                return
            raise GatewayRequestError(self.name, 400, detail, step="stopping gateway")
        self._raise_for_error_status(response, step="stopping gateway")
        if not isinstance(body, dict) or body.get("status") != "success":
            raise GatewayCommandFailed(
                self.name, _("stop the gateway"), error_detail(body, response), step="stopping gateway"
            )
        logger.info("gateway %s: stopped room %s", self.name, session.room)

    # -- status ------------------------------------------------------------------------------
    async def status(self, which: GatewaySession | str) -> GatewayStatus:
        room = which.room if isinstance(which, GatewaySession) else which
        if self._has_progress is False:
            return _no_status()
        response = await self._http.call(
            "GET", "/progress", params={"room": room}, timeouts=self.timeouts.status
        )
        self._http.raise_for_auth(response)
        body = decode_json(response)
        if response.status_code == 404:
            if body is NOT_JSON or not isinstance(body, dict):
                self._has_progress = False  # web.py "not found": no /progress before v1.7
                return _no_status()
            # /progress exists but its docker inspection failed
            self._has_progress = True
            return GatewayStatus(
                GatewayState.UNKNOWN,
                detail=_("The gateway could not inspect its container ({detail}).").format(
                    detail=server_text(error_detail(body, response))),
            )
        self._raise_for_error_status(response, step="checking gateway")
        obj = require_json_object(self.name, response)
        self._has_progress = True
        if obj.get("status") != "success":
            raise GatewayProtocolError(self.name, _("a progress reply without success"))
        return _status_from_progress(obj)

    # -- chat ------------------------------------------------------------------------------
    async def toggle_chat_panel(self, session: GatewaySession) -> None:
        response = await self._http.call(
            "GET",
            "/chat",
            params={"room": session.room, "toggle": "True"},
            timeouts=self.timeouts.chat,
        )
        self._require_res_ok(response, _("toggle the chat panel"))

    async def send_chat(self, session: GatewaySession, text: str) -> None:
        if self._has_progress is None:
            await self.status(session)  # read-only: tells v1.7 (bytes repr) from v1.5/v1.6
        relay = _relay_for(self._has_progress) or ChatRelay.LEGACY_ECHO
        msg = prepare_chat_text(text, relay, max_length=self.capabilities.max_chat_length)
        response = await self._http.call(
            "POST",
            "/chat",
            json_body={"room": session.room, "msg": msg},
            timeouts=self.timeouts.chat,
        )
        self._require_res_ok(response, _("post the chat message"))

    # -- probe -------------------------------------------------------------------------------
    async def probe(self) -> ProbeResult:
        return await probe_safely(self._probe)

    async def _probe(self) -> ProbeResult:
        room = secrets.token_hex(5)
        response = await self._http.call(
            "GET", "/progress", params={"room": room}, timeouts=self.timeouts.probe
        )
        if response.status_code == 401:
            return refused(self.name, has_status=None, token_missing=self._http.token_missing)
        body = decode_json(response)
        if response.status_code == 200 and isinstance(body, dict) and body.get("status") == "success":
            self._has_progress = True
            return ProbeResult(True, True, True, _("The gateway “{gateway}” answers and accepts the token.").format(
                gateway=self.name), limitation=_limitation_for(True))
        if response.status_code == 404 and body is NOT_JSON:
            self._has_progress = False
            return await self._probe_token_without_progress(room)
        raise GatewayProtocolError(
            self.name, _("HTTP {status} to a status request").format(status=response.status_code)
        )

    async def _probe_token_without_progress(self, room: str) -> ProbeResult:
        response = await self._http.call(
            "GET", "/chat", params={"room": room}, timeouts=self.timeouts.probe
        )
        if response.status_code == 401:
            return refused(self.name, has_status=False, token_missing=self._http.token_missing)
        body = decode_json(response)
        if isinstance(body, dict) and "toggle" in str(body.get("Error", "")):
            return ProbeResult(
                True,
                True,
                False,
                _("The gateway “{gateway}” answers and accepts the token; it is older than "
                  "v1.7 and does not report its state.").format(gateway=self.name),
            )
        raise GatewayProtocolError(
            self.name, _("HTTP {status} to a chat check").format(status=response.status_code))

    # -- reply helpers -------------------------------------------------------------------------
    def _raise_for_error_status(self, response: httpx.Response, *, step: str) -> None:
        self._http.raise_for_auth(response)
        if response.status_code != 200:
            detail = error_detail(decode_json(response), response)
            raise GatewayRequestError(self.name, response.status_code, detail, step=step)

    def _require_res_ok(self, response: httpx.Response, action: str) -> None:
        self._raise_for_error_status(response, step="chat")
        body = require_json_object(self.name, response)
        res = body.get("res")
        if not isinstance(res, str) or res.strip() != "ok":
            raise GatewayCommandFailed(self.name, action, server_text(res) if res else _("no result"))


def _no_status() -> GatewayStatus:
    return GatewayStatus(
        GatewayState.UNKNOWN,
        detail=_("This gateway is older than SIPMediaGW v1.7 and does not report its state."),
    )


def _status_from_progress(body: dict[str, Any]) -> GatewayStatus:
    """v1.7.0 ``Progress.GET``: ``gw_state`` is present only as "down"; a running container's reply
    has no ``gw_state`` at all (``transcript_progress`` "0%", ``recording_duration`` when recording)."""
    raw = body.get("gw_state")
    duration = body.get("recording_duration")
    duration_text = server_text(duration) if isinstance(duration, str) and duration.strip() else None
    if raw is None:
        return GatewayStatus(GatewayState.UP, _("The gateway's container is running."), None, duration_text)
    raw_text = server_text(raw)
    if raw_text.lower() == "down":
        return GatewayStatus(GatewayState.DOWN, _("The gateway's container is not running."), raw_text)
    return GatewayStatus(GatewayState.UNKNOWN, _("The gateway reports “{state}”.").format(state=raw_text), raw_text)


def _relay_for(has_progress: bool | None) -> ChatRelay | None:
    if has_progress is None:
        return None
    return ChatRelay.LEGACY_BYTES if has_progress else ChatRelay.LEGACY_ECHO


def _limitation_for(has_progress: bool | None) -> str | None:
    if has_progress:
        return _("SIPMediaGW v1.7 turns every accent and quote of a chat message into garbage, so "
                 "Pupitre sends answers through it without accents and the gateway shows them as "
                 "b'…'; upgrade the gateway to SIPMediaGW main (564e7a5 or later).")
    if has_progress is False:
        return _("SIPMediaGW v1.5–v1.6 does not report whether its container runs.")
    return None
