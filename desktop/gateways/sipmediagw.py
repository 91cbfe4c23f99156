"""Driver for the SIPMediaGW v1.8 proxy (FastAPI, port 9000, gateways tracked in Redis).

Contract: reference ``gateway-and-pod.md`` §5, checked against ``deploy/proxyAPI/proxy.py``.

* ``POST /start`` ``{room, main_app: "streaming", browsing, browsing_name, rtmp_dst}`` with the
  Bearer token.  The proxy requires ``browsing`` and the launcher reads ``browsing_name``, so both
  carry :attr:`GatewayConfig.browsing`.  Success is ``{"status":"success","data":{...,"gw_id"}}``;
  503 "No available gateways" is :class:`GatewayBusy`; any other 503 (the proxy turns every
  launcher failure into 503) or a 504 is :class:`GatewayLaunchFailed`.  If a success reply lacks
  ``gw_id`` we look it up by room through ``/status`` rather than lose the handle needed to stop.
* **Only ``room`` travels.**  The gateway's browser opens ``https://{WEBRTC_DOMAINS[browsing]}/{room}``
  from its own configuration, so a signed BBB join (whose domain carries the query) cannot be
  expressed: :meth:`SipMediaGw.start` refuses it with a ConfigError instead of starting a gateway
  that would open the wrong page.
* ``POST /stop {gw_id}``: success is ``status == "success"``; 404 "No mapping found" means the
  proxy no longer knows the gateway, i.e. it is already stopped.
* ``GET /status?gw_id=`` (or ``?room=``): the proxy serves its Redis view, refreshed every 30 s.
  ``data.gw_state`` is ``up``/``down`` from the launcher, or the proxy's own ``started`` /
  ``stopped`` / ``created`` / ``deleted``; 404 means the proxy dropped the gateway (DOWN).
* ``POST /command {gw_id, payload: {command: "sendChat", param1: text}}`` for the chat; the text is
  written to a FIFO, not through a shell, so no quote replacement (newlines still go).
* **Chat panel toggle** (§5.3): v1.8 has no toggle command.  ``sendKey`` with ``c`` reaches the
  page's ``interact()``, which clicks ``[accesskey="P"]`` — BBB's "toggle public chat" access key.
  We send ``{"command":"sendKey","param1":"c"}`` (``c`` is also the legacy toggle key, so the two
  generations read alike in logs).  The reply only says the key was queued, so
  ``capabilities.chat_toggle_confirmed`` is False: the UI should confirm in the preview.
* Errors: the envelope ``{"status":"error","error":{"code","detail"},"data":null}``, 422
  ``{"status":"error","error":"Invalid input","message":[...]}``, 401 ``{"error":"authorization
  error"}`` — all shown through :func:`desktop.gateways.transport.error_detail`.
* Probe: ``/status`` is not token-protected on the proxy, so it only tells reachability and the
  presence of the status route.  The token is checked with ``POST /stop`` and an empty body: the
  proxy checks the token first and then rejects the missing ``gw_id`` with 400, before touching
  any gateway.
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
from desktop.gateways.chat_text import prepare_chat_text
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
    GatewayHttp,
    decode_json,
    error_detail,
    require_json_object,
)
from desktop.i18n import _

logger = logging.getLogger(__name__)

KIND = "sipmediagw"
MAIN_APP = "streaming"
TOGGLE_KEY = "c"
_BUSY = "no available gateways"
_UP_STATES = ("up", "started", "working")
_DOWN_STATES = ("down", "stopped", "created", "deleted")


class SipMediaGw(Gateway):
    """SIPMediaGW v1.8 proxy (``POST /start``, ``/stop``, ``/command``, ``GET /status``)."""

    kind: ClassVar[str] = KIND

    def __init__(
        self,
        name: str,
        base_url: str,
        token: str | None,
        *,
        browsing: str = "bigbluebutton",
        ca_bundle: str | None = None,
        insecure: bool = False,
        timeouts: CallTimeouts | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.name = name
        self.browsing = browsing
        self.timeouts = timeouts or CallTimeouts()
        self._http = GatewayHttp(
            name, base_url, token, ca_bundle=ca_bundle, insecure=insecure, transport=transport
        )

    @property
    def capabilities(self) -> Capabilities:
        return Capabilities(has_status=True, chat_toggle_confirmed=False, chat_quotes_replaced=False)

    # -- start / stop ------------------------------------------------------------------------
    async def start(self, target: JoinTarget, rtmp_url: str) -> GatewaySession:
        if target.is_signed_join:
            raise ConfigError(
                _("The gateway “{gateway}” (SIPMediaGW v1.8) takes its join domain from its own "
                  "configuration and cannot open a signed BBB join address.").format(gateway=self.name),
                hint=_("Use the “join-page” mode for this gateway."),
            )
        if not rtmp_url.startswith(("rtmp://", "rtmps://")):
            raise ConfigError(_("The RTMP address must start with rtmp:// (got “{address}”).").format(
                address=rtmp_url[:60]))
        logger.info(
            "gateway %s: starting room %s (browsing %s; its WEBRTC_DOMAINS entry must be %s)",
            self.name, target.room, self.browsing, target.host,
        )
        body = {
            "room": target.room,
            "main_app": MAIN_APP,
            "browsing": self.browsing,
            "browsing_name": self.browsing,
            "rtmp_dst": rtmp_url,
        }
        response = await self._http.call(
            "POST", "/start", json_body=body, timeouts=self.timeouts.start
        )
        self._http.raise_for_auth(response)
        reply = decode_json(response)
        if response.status_code == 503:
            detail = error_detail(reply, response)
            if _BUSY in detail.lower():
                raise GatewayBusy(self.name, step="starting gateway")
            raise GatewayLaunchFailed(self.name, detail, step="starting gateway")
        if response.status_code in (500, 504):
            raise GatewayLaunchFailed(self.name, error_detail(reply, response), step="starting gateway")
        if not 200 <= response.status_code < 300:
            raise GatewayRequestError(
                self.name, response.status_code, error_detail(reply, response), step="starting gateway"
            )
        obj = require_json_object(self.name, response)
        if obj.get("status") != "success":
            raise GatewayLaunchFailed(self.name, error_detail(obj, response), step="starting gateway")
        data = obj.get("data")
        gw_id = data.get("gw_id") if isinstance(data, dict) else None
        if not isinstance(gw_id, str | int) or isinstance(gw_id, bool) or not str(gw_id):
            gw_id = await self._gw_id_for_room(target.room)
        logger.info("gateway %s: started room %s on gw_id %s", self.name, target.room, gw_id)
        return GatewaySession(
            gateway=self.name,
            kind=KIND,
            room=target.room,
            started_at=utc_now(),
            gw_id=str(gw_id),
            rtmp_url=rtmp_url,
        )

    async def _gw_id_for_room(self, room: str) -> str:
        data = await self._status_data({"room": room})
        gw_id = data.get("gw_id") if data else None
        if not isinstance(gw_id, str) or not gw_id:
            raise GatewayProtocolError(self.name, _("a start reply without the gateway id"))
        return gw_id

    async def stop(self, session: GatewaySession) -> None:
        """Stop by ``gw_id``; a session without one (e.g. after a start timeout) by its room."""
        if session.gw_id:
            gw_id = session.gw_id
        else:
            data = await self._status_data({"room": session.room})
            found = data.get("gw_id") if data else None
            if not isinstance(found, str) or not found:
                logger.info("gateway %s: nothing runs for room %s", self.name, session.room)
                return
            gw_id = found
        response = await self._http.call(
            "POST", "/stop", json_body={"gw_id": gw_id}, timeouts=self.timeouts.stop
        )
        self._http.raise_for_auth(response)
        reply = decode_json(response)
        if response.status_code == 404:
            logger.info("gateway %s: gw_id %s was already gone", self.name, gw_id)
            return
        if not 200 <= response.status_code < 300:
            raise GatewayRequestError(
                self.name, response.status_code, error_detail(reply, response), step="stopping gateway"
            )
        if not isinstance(reply, dict) or reply.get("status") != "success":
            raise GatewayCommandFailed(
                self.name, _("stop the gateway"), _stop_detail(reply, response), step="stopping gateway"
            )
        logger.info("gateway %s: stopped gw_id %s", self.name, gw_id)

    # -- status ------------------------------------------------------------------------------
    async def status(self, which: GatewaySession | str) -> GatewayStatus:
        if isinstance(which, GatewaySession):
            query = {"gw_id": self._gw_id(which)}
        else:
            query = {"room": which}
        data = await self._status_data(query)
        if data is None:
            return GatewayStatus(
                GatewayState.DOWN, _("The gateway proxy no longer knows this gateway."), None
            )
        raw = data.get("gw_state")
        duration = data.get("media_duration") or data.get("recording_duration")
        duration_text = server_text(duration) if duration else None
        if not isinstance(raw, str):
            return GatewayStatus(GatewayState.UNKNOWN, _("The gateway proxy gives no state."))
        raw_text = server_text(raw)
        if raw.lower() in _UP_STATES:
            return GatewayStatus(GatewayState.UP, _("The gateway is running."), raw_text, duration_text)
        if raw.lower() in _DOWN_STATES:
            return GatewayStatus(GatewayState.DOWN, _("The gateway is not running."), raw_text)
        return GatewayStatus(GatewayState.UNKNOWN, _("The gateway reports “{state}”.").format(state=raw_text),
                             raw_text)

    async def _status_data(self, query: dict[str, str]) -> dict[str, Any] | None:
        """``data`` of a status reply, None on 404 (unknown gateway or room)."""
        response = await self._http.call(
            "GET", "/status", params=query, timeouts=self.timeouts.status
        )
        self._http.raise_for_auth(response)
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise GatewayRequestError(
                self.name, response.status_code, error_detail(decode_json(response), response),
                step="checking gateway",
            )
        obj = require_json_object(self.name, response)
        data = obj.get("data")
        if obj.get("status") != "success" or not isinstance(data, dict):
            raise GatewayProtocolError(self.name, _("a status reply without data"))
        return data

    # -- commands ----------------------------------------------------------------------------
    async def toggle_chat_panel(self, session: GatewaySession) -> None:
        await self._command(session, "sendKey", TOGGLE_KEY, _("toggle the chat panel"))

    async def send_chat(self, session: GatewaySession, text: str) -> None:
        msg = prepare_chat_text(text, max_length=self.capabilities.max_chat_length)
        await self._command(session, "sendChat", msg, _("post the chat message"))

    async def _command(self, session: GatewaySession, command: str, param: str, action: str) -> None:
        body = {"gw_id": self._gw_id(session), "payload": {"command": command, "param1": param}}
        response = await self._http.call(
            "POST", "/command", json_body=body, timeouts=self.timeouts.chat
        )
        self._http.raise_for_auth(response)
        reply = decode_json(response)
        if response.status_code in (403, 404):
            # 403: the proxy sees the gateway stopped; 404: it no longer knows it
            raise GatewayCommandFailed(self.name, action, error_detail(reply, response), step="chat")
        if not 200 <= response.status_code < 300:
            raise GatewayRequestError(
                self.name, response.status_code, error_detail(reply, response), step="chat"
            )
        if isinstance(reply, dict) and reply.get("status") == "error":
            raise GatewayCommandFailed(self.name, action, error_detail(reply, response), step="chat")

    # -- probe -------------------------------------------------------------------------------
    async def probe(self) -> ProbeResult:
        return await probe_safely(self._probe)

    async def _probe(self) -> ProbeResult:
        response = await self._http.call(
            "GET", "/status", params={"room": secrets.token_hex(5)}, timeouts=self.timeouts.probe
        )
        has_status = response.status_code in (200, 404) and isinstance(decode_json(response), dict)
        if not has_status and response.status_code != 401:
            raise GatewayProtocolError(
                self.name, _("HTTP {status} to a status request").format(status=response.status_code))
        response = await self._http.call(
            "POST", "/stop", json_body={}, timeouts=self.timeouts.probe
        )
        if response.status_code == 401:
            return refused(self.name, has_status=True, token_missing=self._http.token_missing)
        if response.status_code in (400, 404, 422):
            return ProbeResult(
                True, True, True,
                _("The gateway “{gateway}” answers and accepts the token.").format(gateway=self.name),
            )
        raise GatewayProtocolError(
            self.name, _("HTTP {status} to a token check").format(status=response.status_code))

    def _gw_id(self, session: GatewaySession) -> str:
        if not session.gw_id:
            raise ConfigError(
                _("The session on gateway “{gateway}” has no gateway id (it was not started "
                  "through the v1.8 API).").format(gateway=self.name)
            )
        return session.gw_id


def _stop_detail(reply: Any, response: httpx.Response) -> str:
    if isinstance(reply, dict):
        data = reply.get("data")
        if isinstance(data, dict) and data.get("processing_state"):
            return _("state {state}").format(state=server_text(data["processing_state"]))
    return error_detail(reply, response)
