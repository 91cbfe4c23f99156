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
  proxy no longer knows the gateway, i.e. it is already stopped.  The proxy then records the
  gateway ``stopped`` and frees it (``started``) only at its next 30-second monitor run, so a
  start right after our own stop waits, polling ``/status``, until that gateway is free again.
* ``GET /status?gw_id=`` (or ``?room=``): the proxy answers from Redis (``statusGateway``), where
  ``gw_state`` is the proxy's own word, never the launcher's ``up``/``down``: ``working`` once a
  start succeeded (streaming), ``stopped`` after a stop, ``started`` for a registered, *free*
  gateway; a 30-second monitor (``monitorGateways``) maps the launcher's ``up``/``down`` to
  ``working``/``started``.  So only ``working`` is UP: ``started`` is an idle gateway — after a
  stream, one whose container died (up to 30 s late); 404 means the proxy no longer knows the
  gateway or the room (DOWN).  (Renater/SIPMediaGW main 564e7a5 ``deploy/proxyAPI/proxy.py``.)
* ``POST /command {gw_id, payload: {command: "sendChat", param1: text}}`` for the chat.  The
  launcher writes the text **through a shell**, inside double quotes (``sendCommand``:
  ``sh -c '… printf "%s\\n" "<msg>" > ./chatFifo …'``): :mod:`desktop.gateways.chat_text`
  escapes ``"``, ``$``, backquotes and ``\\`` so that the text arrives as typed and never runs.
  The reply is ``{"status":"success","error":null,"data":{"ack":true,"received":{…}}}``.
* **Chat panel toggle** (§5.3): v1.8 has no toggle command.  ``sendKey`` with ``c`` is pressed
  with ``xdotool`` in the gateway's display and reaches the page's ``interact()``, which clicks
  ``[accesskey="P"]`` (BBB's "toggle public chat" key; ``browsing/assets/bigbluebutton.js``).
  The reply only says the key was sent: ``chat_toggle_confirmed`` is False.
* **Tagged v1.8.0–v1.8.4** differ from ``main``: the proxy forwards ``/command`` to the launcher's
  ``/command`` while the launcher serves ``/gateway/command`` (404 ``{"detail":"Not Found"}``), and
  its ``send_command`` only acknowledges anyway; ``/status`` needs the token.  Chat relay and the
  panel toggle cannot work there; streaming does.  The version is told without side effects by
  ``POST /start {}``: ``main`` checks ``browsing`` first ("Missing 'browsing' parameter"), the
  tagged proxy ``room`` first ("Missing 'room' parameter"); both refuse before allocating any
  gateway.  A ``/command`` answered by that bare 404 proves it too.
* Errors: the envelope ``{"status":"error","error":{"code","detail"},"data":null}``, 422
  ``{"status":"error","error":"Invalid input","message":[...]}``, 401 ``{"error":"authorization
  error"}`` — all shown through :func:`desktop.gateways.transport.error_detail`.
* Probe: ``GET /status?room=<random>`` tells reachability; ``POST /start {}`` checks the token
  (401 before anything else) and tells the version (above).
"""

from __future__ import annotations

import asyncio
import enum
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
    GatewayFeatureUnavailable,
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
# proxy.py (main 564e7a5 and v1.8.4): "working" = streaming; "started" = registered and free;
# "stopped" after a stop.  The proxy never answers the launcher's "up"/"down".
_STREAMING = "working"
_IDLE = "started"
_STOPPED = "stopped"
_MISSING_BROWSING = "missing 'browsing' parameter"
# the proxy frees a stopped gateway at its next 30-second monitor run: wait that long (+ margin)
FREED_WITHIN = 40.0
FREED_POLL = 1.0
_MISSING_ROOM = "missing 'room' parameter"


class ProxyGeneration(enum.Enum):
    """Which v1.8 proxy answers (see the module docstring)."""

    MAIN = "main"
    TAGGED_1_8 = "v1.8.0-v1.8.4"


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
        self.generation: ProxyGeneration | None = None
        self._stopped_at: dict[str, float] = {}  # gw_id -> loop time of our stop
        self._generation_asked = False  # asked once; an unknown answer is not asked again

    @property
    def capabilities(self) -> Capabilities:
        if self.generation is ProxyGeneration.TAGGED_1_8:
            return Capabilities(has_status=True, chat_relay=ChatRelay.NONE, limitation=self._tagged_limitation())
        if self.generation is ProxyGeneration.MAIN:
            return Capabilities(has_status=True, chat_relay=ChatRelay.PROXY_PRINTF)
        return Capabilities(has_status=True)

    def _tagged_limitation(self) -> str:
        return _("The gateway “{gateway}” runs SIPMediaGW v1.8.0–v1.8.4, which cannot relay chat "
                 "messages or show and hide the chat panel in the video; upgrade it to SIPMediaGW "
                 "main (564e7a5 or later).").format(gateway=self.name)

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
        if response.status_code == 503 and await self._wait_until_freed():
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

    async def _wait_until_freed(self) -> bool:
        """After our own stop, wait for the proxy to free that gateway again; True if it did.

        The proxy marks a stopped gateway ``stopped`` and only its 30-second monitor turns it back
        into a free ``started`` one (``monitorGateways``/``updateProgressInfo``, main 564e7a5), so a
        restart right after a stop finds "No available gateways".  Only a gateway this driver
        stopped within :data:`FREED_WITHIN` seconds is waited for, polling its status.
        """
        loop = asyncio.get_running_loop()
        now = loop.time()
        recent = [gw for gw, at in self._stopped_at.items() if now - at < FREED_WITHIN]
        if not recent:
            return False
        deadline = min(self._stopped_at[gw] for gw in recent) + FREED_WITHIN
        logger.info("gateway %s: busy right after our stop; waiting for the proxy to free %s",
                    self.name, ", ".join(recent))
        while loop.time() < deadline:
            for gw_id in recent:
                data = await self._status_data({"gw_id": gw_id})
                if data is not None and str(data.get("gw_state", "")).lower() == _IDLE:
                    del self._stopped_at[gw_id]
                    return True
            await asyncio.sleep(FREED_POLL)
        return False

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
            if "no mapping found" not in error_detail(reply, response).lower():
                # the proxy knows the gateway but its launcher has no container: the proxy frees
                # it at its next monitor run, like after a stop
                self._stopped_at[gw_id] = asyncio.get_running_loop().time()
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
        self._stopped_at[gw_id] = asyncio.get_running_loop().time()
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
        word = raw.lower()
        if word == _STREAMING:
            return GatewayStatus(GatewayState.UP, _("The gateway is streaming."), raw_text, duration_text)
        if word == _IDLE:
            return GatewayStatus(
                GatewayState.DOWN,
                _("The gateway is idle: registered and free, not streaming (its container stopped "
                  "or never started)."),
                raw_text,
            )
        if word == _STOPPED:
            return GatewayStatus(GatewayState.DOWN, _("The gateway was stopped."), raw_text)
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
        await self._require_generation_with_commands()
        await self._command(session, "sendKey", TOGGLE_KEY, _("toggle the chat panel"))

    async def send_chat(self, session: GatewaySession, text: str) -> None:
        await self._require_generation_with_commands()
        msg = prepare_chat_text(text, ChatRelay.PROXY_PRINTF, max_length=self.capabilities.max_chat_length)
        await self._command(session, "sendChat", msg, _("post the chat message"))

    async def _require_generation_with_commands(self) -> None:
        if self.generation is None and not self._generation_asked:
            self.generation = await self._detect_generation()
            self._generation_asked = True
        if self.generation is ProxyGeneration.TAGGED_1_8:
            raise GatewayFeatureUnavailable(self.name, self._tagged_limitation(), step="chat")

    async def _detect_generation(self) -> ProxyGeneration | None:
        """Tell ``main`` from tagged v1.8.x with ``POST /start {}``: refused before any allocation."""
        response = await self._http.call("POST", "/start", json_body={}, timeouts=self.timeouts.probe)
        self._http.raise_for_auth(response)
        detail = error_detail(decode_json(response), response).lower() if response.status_code == 400 else ""
        if _MISSING_BROWSING in detail:
            return ProxyGeneration.MAIN
        if _MISSING_ROOM in detail:
            return ProxyGeneration.TAGGED_1_8
        logger.warning("gateway %s: cannot tell its SIPMediaGW version (HTTP %s to an empty start)",
                       self.name, response.status_code)
        return None

    async def _command(self, session: GatewaySession, command: str, param: str, action: str) -> None:
        body = {"gw_id": self._gw_id(session), "payload": {"command": command, "param1": param}}
        response = await self._http.call(
            "POST", "/command", json_body=body, timeouts=self.timeouts.chat
        )
        self._http.raise_for_auth(response)
        reply = decode_json(response)
        if response.status_code == 404 and reply == {"detail": "Not Found"}:
            # FastAPI's bare 404 from the launcher: the tagged proxy forwarded to /command
            self.generation = ProxyGeneration.TAGGED_1_8
            raise GatewayFeatureUnavailable(self.name, self._tagged_limitation(), step="chat")
        if response.status_code in (403, 404):
            # 403: the proxy sees the gateway stopped; 404: it no longer knows it
            raise GatewayCommandFailed(self.name, action, error_detail(reply, response), step="chat")
        if not 200 <= response.status_code < 300:
            raise GatewayRequestError(
                self.name, response.status_code, error_detail(reply, response), step="chat"
            )
        if not isinstance(reply, dict) or reply.get("status") != "success":
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
        response = await self._http.call("POST", "/start", json_body={}, timeouts=self.timeouts.probe)
        if response.status_code == 401:
            return refused(self.name, has_status=True, token_missing=self._http.token_missing)
        if response.status_code not in (400, 422):
            raise GatewayProtocolError(
                self.name, _("HTTP {status} to a token check").format(status=response.status_code))
        detail = error_detail(decode_json(response), response).lower()
        if _MISSING_BROWSING in detail:
            self.generation = ProxyGeneration.MAIN
        elif _MISSING_ROOM in detail:
            self.generation = ProxyGeneration.TAGGED_1_8
        return ProbeResult(True, True, True,
                           _("The gateway “{gateway}” answers and accepts the token.").format(gateway=self.name),
                           limitation=self.capabilities.limitation)

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
