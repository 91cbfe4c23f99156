"""make_client shares its verifying TLS contexts: built once per CA bundle, rebuilt when the bundle
file changes, never shared with the insecure switch."""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any

import certifi
import httpx
import pytest

from desktop.net import http
from desktop.net.http import HttpOptions, make_client


class RecordingClient:
    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The keyword arguments of every AsyncClient make_client builds (no client is made)."""
    calls: list[dict[str, Any]] = []

    def record(**kwargs: Any) -> RecordingClient:
        calls.append(kwargs)
        return RecordingClient(**kwargs)

    monkeypatch.setattr(httpx, "AsyncClient", record)
    monkeypatch.setattr(http, "_CONTEXTS", {})
    return calls


def test_default_clients_share_one_verifying_context(built: list[dict[str, Any]]) -> None:
    make_client()
    make_client(HttpOptions())
    first, second = (call["verify"] for call in built)
    assert isinstance(first, ssl.SSLContext) and first is second
    assert first.verify_mode == ssl.CERT_REQUIRED and first.check_hostname


def test_default_context_follows_ssl_cert_file(built: list[dict[str, Any]], tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    make_client()
    bundle = tmp_path / "ca.pem"
    bundle.write_bytes(Path(certifi.where()).read_bytes())
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    make_client()
    assert built[0]["verify"] is not built[1]["verify"]


def test_trust_env_off_keeps_httpx_default(built: list[dict[str, Any]]) -> None:
    make_client(trust_env=False)
    assert built[0]["verify"] is True


def test_ca_bundle_context_is_rebuilt_when_the_file_changes(built: list[dict[str, Any]], tmp_path: Path) -> None:
    bundle = tmp_path / "campus.pem"
    bundle.write_bytes(Path(certifi.where()).read_bytes())
    options = HttpOptions(ca_bundle=str(bundle))
    make_client(options)
    make_client(options)
    bundle.write_bytes(Path(certifi.where()).read_bytes() + b"\n")
    make_client(options)
    first, again, changed = (call["verify"] for call in built)
    assert first is again
    assert changed is not first and changed.verify_mode == ssl.CERT_REQUIRED


def test_missing_ca_bundle_still_fails_as_before(built: list[dict[str, Any]], tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        make_client(HttpOptions(ca_bundle=str(tmp_path / "absent.pem")))


def test_insecure_switch_never_gets_a_shared_context(built: list[dict[str, Any]]) -> None:
    make_client()
    make_client(HttpOptions(insecure=True))
    assert built[1]["verify"] is False
