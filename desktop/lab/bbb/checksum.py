"""Server-side checksum verification, the way bbb-web (and Scalelite) check a GET request.

The emulator deliberately does not reuse the client's signing code (``desktop.bbb.checksum``): a
shared bug would then sign and verify the same wrong bytes and the tests would stay green.  What
is hashed is ``callName + raw query without the checksum + secret`` where the raw query is the
request-target's bytes after ``?`` exactly as received (bbb-api.md §1.1-§1.2) — never a decoded
or re-encoded copy, which is the whole point of testing a client against this server.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

# GetChecksumValidator.java: the algorithm follows from the length of the hex digest
ALGORITHM_BY_LENGTH: dict[int, str] = {40: "sha1", 64: "sha256", 96: "sha384", 128: "sha512"}
ALL_ALGORITHMS: tuple[str, ...] = ("sha1", "sha256", "sha384", "sha512")
SCALELITE_ALGORITHMS: frozenset[str] = frozenset({"sha1", "sha256", "sha512"})


def raw_query_of(raw_path: str) -> str:
    """The query string of a raw request-target (``/a/b?x=1`` -> ``x=1``), untouched."""
    _, _, query = raw_path.partition("?")
    return query


def remove_checksum_from_query_string(query: str, checksum: str) -> str:
    """``GetChecksum.removeChecksumFromQueryString``: delete the literal substrings
    ``&checksum=<v>``, ``checksum=<v>&`` and ``checksum=<v>`` (every occurrence, in that order,
    like Java's ``String.replace``).  ``<v>`` is the *decoded* parameter value, as the servlet's
    ``getParameter`` returns it; a percent-encoded checksum therefore stays in the hashed string
    and fails, as it does on BBB."""
    without = query.replace(f"&checksum={checksum}", "")
    without = without.replace(f"checksum={checksum}&", "")
    return without.replace(f"checksum={checksum}", "")


def expected_checksum(call: str, query_without_checksum: str, secret: str, algorithm: str) -> str:
    data = (call + query_without_checksum + secret).encode("utf-8")
    return hashlib.new(algorithm, data).hexdigest()


def verify_checksum(
    call: str,
    raw_query: str,
    checksum: str | None,
    secret: str,
    *,
    accepted: Iterable[str],
    exact_case: bool = False,
) -> bool:
    """True when ``checksum`` (the decoded ``checksum`` parameter) signs ``raw_query`` for ``call``.

    ``accepted`` restricts the algorithms (bbb-web's ``supportedChecksumAlgorithms``);
    ``exact_case`` selects Scalelite's ``secure_compare`` instead of bbb-web's
    ``equalsIgnoreCase``.  An empty secret disables the check, as in bbb-web.
    """
    if not secret:
        return True
    if not checksum:
        return False
    algorithm = ALGORITHM_BY_LENGTH.get(len(checksum))
    if algorithm is None or algorithm not in set(accepted):
        return False
    unsigned = remove_checksum_from_query_string(raw_query, checksum)
    wanted = expected_checksum(call, unsigned, secret, algorithm)
    given = checksum if exact_case else checksum.lower()
    return hmac.compare_digest(wanted.encode(), given.encode("utf-8", "replace"))
