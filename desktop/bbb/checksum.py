"""Signing BBB API calls: the query encoding and the checksum (reference ``bbb-api.md`` §1).

BBB hashes ``callName + queryString + secret`` where ``queryString`` is the raw, already
percent-encoded query *as received on the wire*.  The encoding is therefore up to the client, but
the bytes we hash and the bytes we send must be identical; :func:`sign` returns exactly the string
the client puts after ``?``.

We encode every value like Java's ``URLEncoder`` (what BBB itself uses when it rebuilds a query):
``quote_plus(value, safe="*")`` keeps ``A-Za-z0-9 . - * _``, turns spaces into ``+`` and the rest
into upper-case ``%XX``; Python leaves ``~`` alone where Java does not, so ``~`` becomes ``%7E``.
Parameters keep their insertion order (the order changes the checksum, and the server accepts any
order as long as the signed one is sent).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from urllib.parse import quote_plus

from desktop.bbb.errors import InvalidParameter
from desktop.i18n import _

ALGORITHMS: tuple[str, ...] = ("sha1", "sha256", "sha384", "sha512")
DEFAULT_ALGORITHM = "sha256"

# BBB picks the algorithm from the checksum length (GetChecksumValidator.java)
_LENGTHS = {40: "sha1", 64: "sha256", 96: "sha384", 128: "sha512"}

ParamValue = str | int | bool
Params = Mapping[str, ParamValue] | Iterable[tuple[str, ParamValue]]


def encode_value(value: ParamValue) -> str:
    """One value, encoded like Java's ``URLEncoder.encode(value, "UTF-8")``.

    Booleans become the literal ``true``/``false`` BBB expects (Python would say ``True``).
    """
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, str):
        text = value
    else:
        raise TypeError(f"BBB parameter values are str, int or bool, not {type(value).__name__}")
    try:
        encoded = quote_plus(text, safe="*")
    except UnicodeEncodeError:
        # lone surrogates (e.g. undecodable bytes from argv): UTF-8 cannot carry them
        raise InvalidParameter(
            _("A parameter contains characters that cannot be sent (invalid Unicode).")
        ) from None
    return encoded.replace("~", "%7E")


def _pairs(params: Params) -> list[tuple[str, ParamValue]]:
    if isinstance(params, Mapping):
        return list(params.items())
    return list(params)


def encode_query(params: Params) -> str:
    """``key=value&...`` in insertion order, names and values encoded by :func:`encode_value`."""
    return "&".join(f"{encode_value(key)}={encode_value(value)}" for key, value in _pairs(params))


def checksum(call: str, query: str, secret: str, algorithm: str = DEFAULT_ALGORITHM) -> str:
    """Lower-case hex digest of ``call + query + secret`` (``query`` without ``checksum=``)."""
    if algorithm not in ALGORITHMS:
        raise ValueError(f"unknown checksum algorithm {algorithm!r} (use one of {', '.join(ALGORITHMS)})")
    digest = hashlib.new(algorithm, (call + query + secret).encode("utf-8"))
    return digest.hexdigest().lower()


def sign_query(call: str, query: str, secret: str, algorithm: str = DEFAULT_ALGORITHM) -> str:
    """An already-encoded ``query`` with its ``checksum=`` appended (``checksum=`` alone if empty)."""
    digest = checksum(call, query, secret, algorithm)
    return f"{query}&checksum={digest}" if query else f"checksum={digest}"


def sign(call: str, params: Params, secret: str, algorithm: str = DEFAULT_ALGORITHM) -> str:
    """The full signed query string for ``call`` (what goes after ``?``), checksum last."""
    return sign_query(call, encode_query(params), secret, algorithm)


def algorithm_for_checksum_length(length: int) -> str | None:
    """The algorithm BBB infers from a checksum of ``length`` hex characters, or None."""
    return _LENGTHS.get(length)


def split_checksum(query: str) -> tuple[str, str | None]:
    """``(query without checksum, checksum)`` as BBB's ``removeChecksumFromQueryString`` sees it.

    Useful to verify a URL printed by ``pupitre bbb url`` or received from elsewhere.
    """
    parts = query.split("&") if query else []
    kept = [p for p in parts if not p.startswith("checksum=")]
    found = [p.partition("=")[2] for p in parts if p.startswith("checksum=")]
    return "&".join(kept), (found[-1] if found else None)


def verify(call: str, query: str, secret: str) -> bool:
    """True when ``query`` (with its ``checksum=``) is correctly signed for ``call``."""
    unsigned, digest = split_checksum(query)
    if digest is None:
        return False
    algorithm = algorithm_for_checksum_length(len(digest))
    if algorithm is None:
        return False
    return checksum(call, unsigned, secret, algorithm) == digest.lower()
