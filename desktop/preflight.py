"""Preflight: can this presenter go live with these servers?  One plain sentence per answer.

The same checks back ``pupitre check``, the "Check" button of the "Connect to my servers" dialog
and the checking step before a live.  Each answer is a :class:`CheckResult` a presenter can read
("The gateway “gw1” refused the token."), with a hint saying what to do, and a stable ``name`` a
script or the UI can branch on:

========================  ====================================================================
``keyring``               where secrets are kept (a warning when only for this session)
``bbb.reachable``         the BBB API root answers; its version; can the audience chat be read
``bbb.secret``            a signed ``getMeetings`` is accepted (secret *and* algorithm)
``gateway.reachable``     the gateway answers HTTP at all
``gateway.token``         the gateway accepts the token (only once it answered)
``gateway.status``        the gateway can report its state (only when the probe could tell)
``gateway.version``       what its SIPMediaGW version cannot do, and what to upgrade to (when known)
``stream.reachable``      the audience HLS address answers (404 before a live is normal)
========================  ====================================================================

Everything runs concurrently under one overall time budget: a check that has not finished by
then becomes an error that says so, so a dead server costs the presenter seconds, not minutes.
Nothing here raises for a server problem; failures are results.

No secret reaches a sentence, a hint or a detail: secrets and tokens are registered with
:func:`desktop.logs.register_secret` and every text is passed through :func:`desktop.logs.redact`
before it leaves this module.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from desktop.bbb.client import BBBClient
from desktop.bbb.errors import BBBError
from desktop.bbb.urls import host_of, normalise_api_base
from desktop.config.settings import BBBProfile, GatewayConfig
from desktop.errors import NetworkError, PupitreError
from desktop.gateways.base import CallTimeouts, Gateway, ProbeResult
from desktop.gateways.factory import gateway_from_config
from desktop.i18n import _, format_decimal
from desktop.logs import redact, register_secret
from desktop.net.http import HttpOptions, Timeouts
from desktop.secrets.store import BackendInfo
from desktop.stream.health import StreamHealth, StreamState
from desktop.stream.monitor import HlsMonitor

logger = logging.getLogger(__name__)

KEYRING = "keyring"
BBB_REACHABLE = "bbb.reachable"
BBB_SECRET = "bbb.secret"
GATEWAY_REACHABLE = "gateway.reachable"
GATEWAY_TOKEN = "gateway.token"
GATEWAY_STATUS = "gateway.status"
GATEWAY_VERSION = "gateway.version"
STREAM_REACHABLE = "stream.reachable"
CHECK_NAMES = (
    KEYRING, BBB_REACHABLE, BBB_SECRET, GATEWAY_REACHABLE, GATEWAY_TOKEN, GATEWAY_STATUS, GATEWAY_VERSION,
    STREAM_REACHABLE,
)

DEFAULT_TIMEOUT = 20.0
# one server's answer budget inside the overall timeout: a preflight wants a quick verdict
CALL_TIMEOUTS = Timeouts(connect=5.0, read=8.0)
# BBBClient refuses to exist without a secret, but the API root it reads is unsigned; this
# stand-in is shorter than what register_secret() tracks and is never used to sign anything
_UNSIGNED_ONLY = "-"


class Level(StrEnum):
    """How a check turned out: OK, WARNING (works, with a limit worth knowing) or ERROR."""

    OK = "ok"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class CheckResult:
    """One answer of the preflight.

    Attributes:
        name: the stable check name (see the module table), for scripts and the UI.
        subject: what was checked: the profile's or the gateway's name, or the keyring backend.
        level: OK, WARNING or ERROR.
        sentence: one plain sentence for the presenter.
        hint: what to do about it, or "".
        details: JSON-ready facts (versions, host, HTTP status...); never a secret.
    """

    name: str
    subject: str
    level: Level
    sentence: str
    hint: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Not an error (a warning still lets the live go ahead)."""
        return self.level is not Level.ERROR

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "subject": self.subject,
            "level": self.level.value,
            "sentence": self.sentence,
            "hint": self.hint,
            "details": self.details,
        }


def all_ok(results: Sequence[CheckResult]) -> bool:
    """True when no check is an error."""
    return all(r.ok for r in results)


def report_json(results: Sequence[CheckResult]) -> dict[str, Any]:
    """``{"ok": bool, "checks": [...]}`` — what ``pupitre check --json`` prints."""
    return {"ok": all_ok(results), "checks": [r.to_json() for r in results]}


BBBClientFactory = Callable[[BBBProfile, str], BBBClient]
GatewayFactory = Callable[[GatewayConfig, str | None], Gateway]


def default_bbb_client(profile: BBBProfile, secret: str) -> BBBClient:
    """A client with preflight budgets: short timeouts and a single retry."""
    options = HttpOptions(timeouts=CALL_TIMEOUTS, ca_bundle=profile.ca_bundle, insecure=profile.insecure)
    return BBBClient(profile.url, secret, profile.algorithm, options, retry_attempts=2, retry_first_delay=0.2)


def default_gateway(cfg: GatewayConfig, token: str | None) -> Gateway:
    """A driver whose probe uses preflight budgets."""
    return gateway_from_config(cfg, token, timeouts=CallTimeouts(probe=CALL_TIMEOUTS))


async def run_preflight(
    profile: BBBProfile,
    secret: str | None,
    gateways: Sequence[tuple[GatewayConfig, str | None]],
    *,
    include_hls: bool = True,
    keyring: BackendInfo | None = None,
    bbb_client_factory: BBBClientFactory = default_bbb_client,
    gateway_factory: GatewayFactory = default_gateway,
    timeout: float = DEFAULT_TIMEOUT,
) -> list[CheckResult]:
    """Check the BBB profile, its secret, each gateway and its audience stream, concurrently.

    Args:
        profile: the BBB server to check.
        secret: its shared secret (None or "" when none is stored: an error result says so).
        gateways: each gateway's settings and token (None when none is stored).
        include_hls: also check each gateway's audience HLS address.
        keyring: where secrets are kept, for the ``keyring`` line (no line when None).
        bbb_client_factory / gateway_factory: build the clients (tests, the lab, custom TLS).
        timeout: overall budget in seconds; checks still running then become errors.

    Returns:
        The results in a stable order: keyring, BBB, then per gateway reachable, token, status
        and stream.  Never raises for a server or configuration problem.
    """
    register_secret(secret)
    for _cfg, token in gateways:
        register_secret(token)
    plan: list[CheckResult | _Job] = []  # fixed answers and running checks, in report order
    if keyring is not None:
        plan.append(_keyring_result(keyring))

    subject = profile.name
    host = _bbb_host(profile.url)
    client: BBBClient | None = None
    try:
        client = bbb_client_factory(profile, secret or _UNSIGNED_ONLY)
    except PupitreError as error:
        plan.append(_error(BBB_REACHABLE, subject, error, {"host": host}))
    if client is not None:
        plan.append(_Job(_bbb_reachable(client, subject),
                         _late(BBB_REACHABLE, subject,
                               _("The BBB server {host} did not answer within {seconds} seconds.").format(
                                   host=host, seconds=_g(timeout)), host=host)))
    if not secret:
        plan.append(CheckResult(
            BBB_SECRET, subject, Level.ERROR,
            _("No shared secret is stored for the BBB server “{profile}”.").format(profile=profile.name),
            hint=_("Enter the server's shared secret (“bbb-conf --secret” on the server shows it)."),
            details={"host": host},
        ))
    elif client is not None:  # (without a client, the configuration error above says why)
        plan.append(_Job(_bbb_secret(client, subject, profile.algorithm),
                         _late(BBB_SECRET, subject,
                               _("The signature check on {host} did not answer within {seconds} "
                                 "seconds.").format(host=host, seconds=_g(timeout)), host=host)))

    if not gateways:
        plan.append(CheckResult(
            GATEWAY_REACHABLE, "", Level.WARNING,
            _("No streaming gateway is configured: the BBB server can be checked, but nothing can be streamed."),
            hint=_("Add a gateway in “Connect to my servers” or with “pupitre gateway add”."),
        ))
    for cfg, token in gateways:
        plan.append(_Job(_gateway_checks(cfg, token, gateway_factory),
                         _late(GATEWAY_REACHABLE, cfg.name,
                               _("The gateway “{gateway}” did not answer within {seconds} seconds.").format(
                                   gateway=cfg.name, seconds=_g(timeout)), host=_netloc(cfg.url))))
        if include_hls:
            plan.append(_Job(_stream_check(cfg),
                             _late(STREAM_REACHABLE, cfg.name,
                                   _("The audience stream of “{gateway}” did not answer within {seconds} "
                                     "seconds.").format(gateway=cfg.name, seconds=_g(timeout)),
                                   url=redact(cfg.hls_url))))

    try:
        finished = await _run_all([item for item in plan if isinstance(item, _Job)], timeout)
    finally:
        if client is not None:
            await client.aclose()
    results: list[CheckResult] = []
    for item in plan:
        results.extend(finished.pop(0) if isinstance(item, _Job) else [item])
    return [_scrubbed(r) for r in results]


# -- running ---------------------------------------------------------------------------------------
@dataclass
class _Job:
    """A check coroutine and what to report if the overall time runs out first."""

    work: Awaitable[list[CheckResult]]
    late: list[CheckResult]


async def _run_all(jobs: Sequence[_Job], timeout: float) -> list[list[CheckResult]]:
    """Each job's results, in job order; jobs still running after ``timeout`` give ``late``."""
    if not jobs:
        return []
    tasks = [asyncio.ensure_future(job.work) for job in jobs]
    try:
        _done, pending = await asyncio.wait(tasks, timeout=timeout)
    finally:
        leftovers = [t for t in tasks if not t.done()]
        for task in leftovers:
            task.cancel()
        if leftovers:
            await asyncio.gather(*leftovers, return_exceptions=True)
    results: list[list[CheckResult]] = []
    for job, task in zip(jobs, tasks, strict=True):
        if task in pending or task.cancelled():
            results.append(job.late)
            continue
        error = task.exception()
        if error is not None:  # a bug in a check must not hide the other answers
            logger.error("preflight check failed unexpectedly", exc_info=error)
            results.append([_crashed(r) for r in job.late])
            continue
        results.append(task.result())
    return results


def _late(name: str, subject: str, sentence: str, **details: Any) -> list[CheckResult]:
    """What a check still running at the deadline reports (``sentence``: "… did not answer within
    N seconds.", one whole sentence per kind of check so that it translates)."""
    return [CheckResult(
        name, subject, Level.ERROR, sentence,
        hint=_("Check that the server is up and reachable from this computer, then check again."),
        details={**details, "timed_out": True},
    )]


def _g(seconds: float) -> str:
    """``seconds`` as few digits as it needs ("8", "0.5"), with the language's decimal separator."""
    text = f"{seconds:g}"
    return format_decimal(seconds, len(text.partition(".")[2])) if "e" not in text else text


def _crashed(result: CheckResult) -> CheckResult:
    sentence = (_("{subject} could not be checked (internal error).").format(subject=result.subject)
                if result.subject else _("This check could not be checked (internal error)."))
    return replace(result, sentence=sentence, hint=_("The log file has the details."),
                   details={"internal_error": True})


# -- keyring -----------------------------------------------------------------------------------------
def _keyring_result(info: BackendInfo) -> CheckResult:
    details = {"backend": info.name, "system": info.system, "persistent": info.persistent}
    if not info.persistent:
        return CheckResult(
            KEYRING, info.name, Level.WARNING, info.describe(),
            hint=_("Install or unlock a system keyring (GNOME Keyring, KWallet...) to keep them."),
            details=details,
        )
    return CheckResult(KEYRING, info.name, Level.OK, info.describe(), details=details)


# -- BBB -----------------------------------------------------------------------------------------------
async def _bbb_reachable(client: BBBClient, subject: str) -> list[CheckResult]:
    details: dict[str, Any] = {"host": client.host, "api_base": client.api_base}
    try:
        info = await client.api_info()
    except NetworkError as error:
        return [CheckResult(
            BBB_REACHABLE, subject, Level.ERROR,
            _("The BBB server “{profile}” cannot be reached: {reason}").format(
                profile=subject, reason=_clause(error.sentence)),
            hint=error.hint, details=details,
        )]
    except PupitreError as error:
        return [_error(BBB_REACHABLE, subject, error, details)]
    details.update(
        version=info.version, api_version=info.api_version, bbb_version=info.bbb_version,
        graphql=info.has_graphql,
    )
    named = f"BBB {info.bbb_version}" if info.bbb_version else f"BBB API {info.version}"
    if info.has_graphql:
        return [CheckResult(
            BBB_REACHABLE, subject, Level.OK,
            _("The BBB server {host} answers ({version}): the audience chat can be read.").format(
                host=client.host, version=named),
            details=details,
        )]
    return [CheckResult(
        BBB_REACHABLE, subject, Level.WARNING,
        _("The BBB server {host} answers ({version}) but offers no GraphQL: the audience chat "
          "can't be read here, and answers go through the gateway.").format(host=client.host, version=named),
        hint=_("Chat reading needs BBB 3.0 or later, reached directly rather than through Scalelite."),
        details=details,
    )]


async def _bbb_secret(client: BBBClient, subject: str, algorithm: str) -> list[CheckResult]:
    details: dict[str, Any] = {"host": client.host, "algorithm": algorithm}
    try:
        meetings = await client.get_meetings()
    except BBBError as error:
        if error.message_key != "checksumError":
            return [_error(BBB_SECRET, subject, error, {**details, "message_key": error.message_key})]
        return [await _explain_refused_signature(client, subject, algorithm, details)]
    except PupitreError as error:
        return [CheckResult(
            BBB_SECRET, subject, Level.ERROR,
            _("The shared secret could not be checked: {reason}").format(reason=_clause(error.sentence)),
            hint=error.hint, details=details,
        )]
    details["meetings"] = len(meetings)
    return [CheckResult(
        BBB_SECRET, subject, Level.OK,
        _("The BBB server accepts the shared secret (signed with {algorithm}).").format(algorithm=algorithm),
        details=details,
    )]


async def _explain_refused_signature(
    client: BBBClient, subject: str, algorithm: str, details: dict[str, Any]
) -> CheckResult:
    """Try every algorithm to tell a wrong algorithm from a wrong secret."""
    details["message_key"] = "checksumError"
    try:
        accepted = await client.detect_algorithm()
    except PupitreError as error:
        logger.info("algorithm detection on %s failed: %s", client.host, error.sentence)
        accepted = None
    if accepted is None or algorithm in accepted:  # undecided (or the refusal did not repeat)
        return CheckResult(
            BBB_SECRET, subject, Level.ERROR,
            _("The server refused the signature: the shared secret or the checksum algorithm is wrong."),
            hint=_("Check the secret (“bbb-conf --secret” on the server) and the profile's algorithm."),
            details=details,
        )
    details["accepted_algorithms"] = list(accepted)
    if accepted:
        best = accepted[0]
        return CheckResult(
            BBB_SECRET, subject, Level.ERROR,
            _("The server refused the signature: {algorithm} is refused but {best} works, so set the "
              "profile's checksum algorithm to {best}.").format(algorithm=algorithm, best=best),
            hint=_("Change the algorithm in the server's settings, or run “pupitre profile add "
                   "{profile} --url … --algorithm {best}”.").format(profile=subject, best=best),
            details=details,
        )
    return CheckResult(
        BBB_SECRET, subject, Level.ERROR,
        _("The server refused the signature with every checksum algorithm: the shared secret is wrong."),
        hint=_("Copy the secret again (“bbb-conf --secret” on the server shows it)."),
        details=details,
    )


# -- gateways --------------------------------------------------------------------------------------------
async def _gateway_checks(cfg: GatewayConfig, token: str | None, factory: GatewayFactory) -> list[CheckResult]:
    name = cfg.name
    details: dict[str, Any] = {"host": _netloc(cfg.url), "kind": cfg.kind}
    try:
        gateway = factory(cfg, token)
    except PupitreError as error:
        return [_error(GATEWAY_REACHABLE, name, error, details)]
    probe = await gateway.probe()
    details = {**details, "token_stored": bool(token)}
    return _probe_results(name, probe, details)


def _probe_results(name: str, probe: ProbeResult, details: dict[str, Any]) -> list[CheckResult]:
    hint = probe.error.hint if probe.error is not None else ""
    if not probe.reachable:
        return [CheckResult(GATEWAY_REACHABLE, name, Level.ERROR,
                            _("The gateway “{gateway}” cannot be reached: {reason}").format(
                                gateway=name, reason=_clause(probe.detail)),
                            hint=hint or _("Check the gateway's address and your network connection."),
                            details=details)]
    results = [CheckResult(GATEWAY_REACHABLE, name, Level.OK,
                           _("The gateway “{gateway}” answers ({host}).").format(gateway=name, host=details["host"]),
                           details=details)]
    if probe.token_accepted is True:
        results.append(CheckResult(GATEWAY_TOKEN, name, Level.OK, _sentence(probe.detail), details=details))
    elif probe.token_accepted is False:
        results.append(CheckResult(GATEWAY_TOKEN, name, Level.ERROR, _sentence(probe.detail), hint=hint,
                                   details=details))
    else:
        results.append(CheckResult(
            GATEWAY_TOKEN, name, Level.ERROR,
            _("Could not tell whether the gateway “{gateway}” accepts the token: {reason}").format(
                gateway=name, reason=_clause(probe.detail)),
            hint=hint, details=details,
        ))
    if probe.has_status is True:
        results.append(CheckResult(GATEWAY_STATUS, name, Level.OK,
                                   _("The gateway “{gateway}” can report its state.").format(gateway=name),
                                   details={**details, "has_status": True}))
    elif probe.has_status is False:
        results.append(CheckResult(
            GATEWAY_STATUS, name, Level.WARNING,
            _("The gateway “{gateway}” can't report its state; Pupitre will rely on the stream.").format(
                gateway=name),
            hint=_("SIPMediaGW v1.7 or later reports it."),
            details={**details, "has_status": False},
        ))
    if probe.limitation:
        results.append(CheckResult(GATEWAY_VERSION, name, Level.WARNING, probe.limitation,
                                   hint=_("The live stream itself is not affected."), details=details))
    return results


# -- audience stream ---------------------------------------------------------------------------------------
async def _stream_check(cfg: GatewayConfig) -> list[CheckResult]:
    name = cfg.name
    url = redact(cfg.hls_url)
    options = HttpOptions(timeouts=CALL_TIMEOUTS, ca_bundle=cfg.ca_bundle, insecure=cfg.insecure)
    try:
        monitor = HlsMonitor(cfg.hls_url, options)
    except PupitreError as error:
        return [_error(STREAM_REACHABLE, name, error, {"url": url})]
    async with monitor:
        health = await monitor.check_once()
    return [_stream_result(name, url, health)]


def _stream_result(name: str, url: str, health: StreamHealth) -> CheckResult:
    details: dict[str, Any] = {"url": url, "state": health.state.value, "http_status": health.http_status}
    status = health.http_status
    if not health.reachable:
        return CheckResult(
            STREAM_REACHABLE, name, Level.ERROR,
            _("The audience stream of “{gateway}” cannot be reached: {reason}").format(
                gateway=name, reason=_clause(health.last_error)),
            hint=_("Check the audience stream (HLS) address in the gateway's settings, and the network."),
            details=details,
        )
    if health.state is StreamState.WAITING and status in (404, 410):
        return CheckResult(
            STREAM_REACHABLE, name, Level.OK,
            _("The audience stream address of “{gateway}” answers {status} until a live starts, as "
              "expected.").format(gateway=name, status=status),
            details=details,
        )
    if health.state is StreamState.ERROR:
        if status is not None and not 200 <= status < 300:
            sentence = _("The audience stream address of “{gateway}” answers HTTP {status}, not a "
                         "playlist.").format(gateway=name, status=status)
        else:
            sentence = _("The audience stream address of “{gateway}” answers, but not with a usable "
                         "playlist.").format(gateway=name)
        return CheckResult(
            STREAM_REACHABLE, name, Level.WARNING, sentence,
            hint=_("Check the audience stream (HLS) address in the gateway's settings."),
            details=details,
        )
    return CheckResult(STREAM_REACHABLE, name, Level.OK, health.describe(), details=details)


# -- helpers ------------------------------------------------------------------------------------------------
def _error(name: str, subject: str, error: PupitreError, details: dict[str, Any]) -> CheckResult:
    return CheckResult(name, subject, Level.ERROR, error.sentence, hint=error.hint, details=details)


def _bbb_host(url: str) -> str:
    try:
        return host_of(normalise_api_base(url))
    except PupitreError:
        return _netloc(url)


def _netloc(url: str) -> str:
    """``host[:port]`` of a configured address, without any user information."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return ""
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    return f"{host}:{port}" if port is not None else host


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _clause(text: str) -> str:
    """A sentence made into the end of another one ("…: could not reach host.")."""
    text = _sentence(text) if text.strip() else _("no reason was given.")
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _scrubbed(result: CheckResult) -> CheckResult:
    """The result with every text redacted: the last guard against a secret in a sentence."""
    return replace(
        result,
        sentence=redact(result.sentence),
        hint=redact(result.hint),
        details={k: redact(v) if isinstance(v, str) else v for k, v in result.details.items()},
    )
