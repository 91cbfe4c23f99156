"""Turn a probe's failures into a :class:`ProbeResult`, so preflight can list them all.

A probe answers "can this gateway be used?" for ``pupitre check`` and the go-live checklist; a
failure is an answer there, not an exception.  Network failures mean "not reachable"; a gateway
error means it answered (so it is reachable) but the answer did not tell whether the token works.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from desktop.errors import NetworkError, PupitreError
from desktop.gateways.base import ProbeResult
from desktop.gateways.errors import GatewayAuthError, GatewayError


async def probe_safely(run: Callable[[], Awaitable[ProbeResult]]) -> ProbeResult:
    try:
        return await run()
    except NetworkError as error:
        return ProbeResult(False, None, None, error.sentence, error)
    except GatewayAuthError as error:
        return ProbeResult(True, False, None, error.sentence, error)
    except GatewayError as error:
        return ProbeResult(True, None, None, error.sentence, error)
    except PupitreError as error:
        return ProbeResult(False, None, None, error.sentence, error)


def refused(name: str, *, has_status: bool | None, token_missing: bool) -> ProbeResult:
    error = GatewayAuthError(name, token_missing=token_missing)
    return ProbeResult(True, False, has_status, error.sentence, error)
