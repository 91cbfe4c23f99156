"""Signing for tests of the lab's BBB emulator, written independently of ``desktop.bbb`` so that a
bug in the client's signing cannot hide behind the same bug in the test."""

from __future__ import annotations

import hashlib
from urllib.parse import quote_plus

DOCS_SECRET = "639259d4-9dd8-4b25-bf01-95f9567eaf4b"  # bbb-api.md §1.6.1


def encode(params: dict[str, str] | list[tuple[str, str]]) -> str:
    """Java ``URLEncoder`` style, insertion order (bbb-api.md §1.3)."""
    pairs = list(params.items()) if isinstance(params, dict) else list(params)
    return "&".join(f"{k}={quote_plus(v, safe='*').replace('~', '%7E')}" for k, v in pairs)


def digest(call: str, query: str, secret: str, algorithm: str = "sha256") -> str:
    return hashlib.new(algorithm, (call + query + secret).encode()).hexdigest()


def signed(call: str, query: str, secret: str, algorithm: str = "sha256") -> str:
    """``query`` with its checksum appended (what goes after ``?``)."""
    value = digest(call, query, secret, algorithm)
    return f"{query}&checksum={value}" if query else f"checksum={value}"
