"""Hostile replies: whatever a gateway answers, the drivers raise only PupitreError subclasses."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.errors import PupitreError
from desktop.gateways.base import Gateway, GatewaySession
from desktop.gateways.join_target import JoinTarget
from desktop.gateways.legacy import LegacySipMediaGw
from desktop.gateways.sipmediagw import SipMediaGw

TOKEN = "fuzz-Token-31337"
TARGET = JoinTarget("pod.univ.fr/meeting/0042-x/abc", "967ae002d1")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
# replies shaped like the real ones, with every field possibly wrong
shaped = st.fixed_dictionaries(
    {},
    optional={
        "status": st.sampled_from(["success", "error", "", None, 1]) | st.text(max_size=8),
        "details": json_values
        | st.fixed_dictionaries({}, optional={"res": json_values | st.sampled_from(["ok", "error"]), "type": json_values, "app": json_values}),
        "data": json_values | st.fixed_dictionaries({}, optional={"gw_id": json_values, "gw_state": json_values, "processing_state": json_values}),
        "res": json_values | st.just("ok"),
        "gw_state": json_values,
        "Error": json_values,
        "error": json_values,
        "message": json_values,
        "recording_duration": json_values,
    },
)
bodies = (
    shaped.map(lambda d: json.dumps(d).encode())
    | json_values.map(lambda v: json.dumps(v).encode())
    | st.binary(max_size=200)
    | st.just(b"[" * 5000)  # deep nesting
)
statuses = st.sampled_from([200, 201, 204, 301, 400, 401, 403, 404, 418, 422, 500, 502, 503, 504])


def run_all(gateway: Gateway, session: GatewaySession) -> list[Callable[[], Awaitable[object]]]:
    return [
        lambda: gateway.start(TARGET, "rtmp://live.example.org/live/x"),
        lambda: gateway.stop(session),
        lambda: gateway.status(session),
        lambda: gateway.status(session.room),
        lambda: gateway.toggle_chat_panel(session),
        lambda: gateway.send_chat(session, "hello"),
        lambda: gateway.probe(),
    ]


async def exercise(status: int, body: bytes) -> None:
    def reply(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body)

    transport = httpx.MockTransport(reply)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    drivers: list[tuple[Gateway, GatewaySession]] = [
        (
            LegacySipMediaGw("legacy", "https://gw.example.org", TOKEN, transport=transport),
            GatewaySession("legacy", "sipmediagw-legacy", "967ae002d1", now),
        ),
        (
            SipMediaGw("v18", "https://proxy.example.org", TOKEN, transport=transport),
            GatewaySession("v18", "sipmediagw", "967ae002d1", now, gw_id="gw-1"),
        ),
    ]
    for gateway, session in drivers:
        for call in run_all(gateway, session):
            try:
                await call()
            except PupitreError as error:
                assert TOKEN not in error.explain()
                assert error.sentence.strip()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(status=statuses, body=bodies)
def test_any_reply_raises_only_pupitre_errors(status: int, body: bytes) -> None:
    asyncio.run(exercise(status, body))
