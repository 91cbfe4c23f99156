"""Where the gateway's browser goes: ``https://{domain}/{room}``.

Both SIPMediaGW generations open exactly ``"https://" + domain + "/" + room`` (reference
``gateway-and-pod.md`` §3.3, §4.1, §5.4), and both use ``room`` as the gateway's identity: the
legacy launcher names the docker compose project and the container's network alias after it, and
stops, toggles and chats by it.  So ``room`` must be a short, stable identifier
(``[a-z0-9][a-z0-9_-]*``), and everything else about the address has to live in ``domain``.

Two ways to fill that URL:

**Join page** (:meth:`JoinTarget.from_join_page`): the user gives a page that asks for a display
name and lands the gateway in the meeting.  It is split at its last path segment, except an
Esup-Pod direct-access link ``…/meeting/<meeting_id>/<64 hex>``, which is split exactly as Pod
does: ``domain = …/<first 54 hex>``, ``room = <last 10 hex>`` (§6.1).  A Greenlight link
``https://gl/rooms/abc-def-ghi`` gives ``room = abc-def-ghi``; ``…/rooms/abc-def-ghi/join`` gives
``room = join`` because the gateway must open that exact page — that room name is generic, which
is harmless because Pupitre runs one webinar per gateway (:mod:`desktop.gateways.pool`), but two
tools sharing one gateway server with such links would collide.

**Signed BBB join** (:func:`signed_join_target`): Pupitre signs a ``join`` call for a VIEWER named
"streaming" and the gateway's browser opens it directly.  The URL must end with ``/<room>`` and
still be validly signed.  BBB accepts ``checksum`` anywhere in the query and verifies by deleting
the literal ``&checksum=<hex>`` from the raw query string and hashing the rest byte for byte
(``bbb-api.md`` §1.2).  We therefore sign the query *with* a last parameter
``userdata-pupitre_room=/<room>`` (a literal ``/``, legal in a query per RFC 3986) and send::

    https://bbb.example/bigbluebutton/api/join?<params>&checksum=<hex>&userdata-pupitre_room=/<room>
    \\________________________ domain ________________________________________________/ \\room/

The server removes ``&checksum=<hex>``, hashes ``<params>&userdata-pupitre_room=/<room>``, which is
what we signed.  The extra parameter is ordinary BBB custom data (echoed in ``getMeetingInfo``
as ``<customdata><pupitre_room>``), so it also tags the gateway's user.

Rejected alternatives: putting the room in a fragment (``…&checksum=<hex>#/<room>``) keeps the
request signed but leaves ``#/<room>`` on the BBB client's address after the redirect, where the
HTML5 client's router may read it; a signer that takes a dict of parameters cannot produce the
literal ``/`` because it percent-encodes it, hence :func:`signed_join_target` takes a function that
checksums a raw query string (``lambda q: checksum("join", q, secret, algorithm)`` with
``desktop.bbb.checksum``).

Per gateway kind:

* ``sipmediagw-legacy``: ``domain`` and ``room`` travel in ``/start``; both modes work as far as
  the API goes.  A stock legacy browsing script waits for a name form (``#id_name`` ≤ v1.6,
  ``#joinFormName`` v1.7+), which a direct BBB join does not show: the signed-join mode needs a
  gateway whose browsing script accepts a URL that lands straight in the meeting **[unverified
  against a real SIPMediaGW]**.
* ``sipmediagw`` (v1.8 proxy): only ``room`` travels; the domain comes from the gateway's own
  ``WEBRTC_DOMAINS[browsing]``.  A signed join cannot be expressed, so the v1.8 driver refuses it;
  in join-page mode the operator configures ``WEBRTC_DOMAINS[browsing]`` to equal
  :attr:`JoinTarget.domain`.

The checksum in a signed target is as good as a one-call password: it is registered with
:func:`desktop.logs.register_secret` and :func:`repr` never shows it.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import quote_plus, urlsplit

from desktop.errors import ConfigError
from desktop.i18n import _
from desktop.logs import redact, register_secret

ROOM_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")
ROOM_PARAM = "userdata-pupitre_room"
STREAMING_NAME = "streaming"

# Client options for the streaming user (bbb-api.md §3.3): nothing but the meeting in the frame,
# audio heard (listen-only, no echo test), public chat shown as BBB does by default so that the
# chat-panel toggle starts from a known state (weakness #6).
STREAMING_USERDATA: dict[str, str] = {
    "bbb_auto_join_audio": "true",
    "bbb_listen_only_mode": "true",
    "bbb_skip_check_audio": "true",
    "bbb_hide_nav_bar": "true",
    "bbb_hide_actions_bar": "true",
    "bbb_show_participants_on_login": "false",
    "bbb_show_public_chat_on_login": "true",
    "bbb_skip_video_preview": "true",
    "bbb_ask_for_feedback_on_logout": "false",
}

_POD_HASHKEY = re.compile(r"[0-9a-f]{64}")
_CHECKSUM_VALUE = re.compile(r"(?:^|&)checksum=([0-9a-fA-F]+)(?:&|$)")
_HEX = re.compile(r"[0-9a-f]{40,128}")


def _validate_room(room: str) -> None:
    if not ROOM_PATTERN.fullmatch(room):
        raise ConfigError(
            _("“{room}” cannot name a gateway room (lowercase letters, digits, - and _, "
              "at most 63 characters).").format(room=room[:40])
        )


@dataclass(frozen=True, repr=False)
class JoinTarget:
    """The ``domain``/``room`` pair a gateway turns into ``https://{domain}/{room}``.

    Attributes:
        domain: host (and port) followed by a path, and for a signed join by the query; no scheme.
        room: the gateway's identity for this webinar.
    """

    domain: str
    room: str

    def __post_init__(self) -> None:
        _validate_room(self.room)
        before_query = self.domain.split("?", 1)[0]
        if not before_query or "://" in before_query or any(c.isspace() for c in self.domain):
            raise ConfigError(_("The gateway's join domain must be a host and path without scheme."))
        if self.domain.endswith("/"):
            raise ConfigError(_("The gateway's join domain must not end with “/”."))

    @property
    def url(self) -> str:
        """Exactly what the gateway's browser opens."""
        return f"https://{self.domain}/{self.room}"

    @property
    def host(self) -> str:
        return self.domain.split("/", 1)[0]

    @property
    def is_signed_join(self) -> bool:
        """True when the domain carries a query (a signed BBB join), false for a join page."""
        return "?" in self.domain

    def describe(self) -> str:
        """Safe for logs and dialogs: host and room, never the signed query."""
        kind = "signed BBB join" if self.is_signed_join else "join page"
        return f"{kind} on {self.host}, room {self.room}"

    def __repr__(self) -> str:
        return f"JoinTarget({redact(self.describe())})"

    # -- builders --------------------------------------------------------------------------
    @classmethod
    def from_join_page(cls, url: str) -> JoinTarget:
        """Split a join page address (Esup-Pod direct access, Greenlight room...)."""
        parts = urlsplit(url.strip())
        if parts.scheme != "https":
            raise ConfigError(
                _("The join page address must start with https:// (the gateway always opens https).")
            )
        if parts.query or parts.fragment or "?" in url or "#" in url:
            raise ConfigError(_("The join page address must not contain “?” or “#”."))
        if not parts.hostname or "@" in parts.netloc:
            raise ConfigError(_("The join page address has no host name."))
        path = parts.path.rstrip("/")
        if not path:
            raise ConfigError(
                _("The join page address needs a path (for example /rooms/abc-def-ghi): its last "
                  "part becomes the gateway's room.")
            )
        last = path.rsplit("/", 1)[1]
        if _POD_HASHKEY.fullmatch(last):
            # Esup-Pod direct-access link: Pod's own split (§6.1), hashkey[:-10] / hashkey[-10:]
            return cls(domain=parts.netloc + path[:-10], room=last[-10:])
        return cls(domain=parts.netloc + path[: -len(last) - 1], room=last)

    @classmethod
    def from_bbb_join(cls, join_url: str) -> JoinTarget:
        """Split a signed join URL built by :func:`signed_join_target` (its inverse).

        A plain signed join URL (checksum last) cannot be split into a usable room; this says so
        instead of guessing.
        """
        parts = urlsplit(join_url)
        if parts.scheme != "https" or not parts.hostname:
            raise ConfigError(_("The BBB join address for the gateway must start with https://."))
        match = _CHECKSUM_VALUE.search(parts.query)
        if match is None:
            raise ConfigError(_("The BBB join address for the gateway is not signed."))
        register_secret(match.group(1))
        marker = f"&{ROOM_PARAM}=/"
        head, sep, room = join_url.rpartition(marker)
        if not sep or not ROOM_PATTERN.fullmatch(room) or parts.fragment:
            raise ConfigError(
                _("This BBB join address was not prepared for a gateway (it must end with the "
                  "room parameter); build it with signed_join_target().")
            )
        return cls(domain=head[len("https://") :] + marker[:-1], room=room)


def encode_value(value: str) -> str:
    """One query value, encoded like Java's URLEncoder (same rule as ``desktop.bbb``, §1.3)."""
    return quote_plus(value, safe="*").replace("~", "%7E")


def signed_join_target(
    checksum_of: Callable[[str], str],
    join_endpoint: str,
    params: Mapping[str, str] | Iterable[tuple[str, str]],
    room: str,
) -> JoinTarget:
    """A target whose ``url`` is a validly signed BBB join URL ending with ``/<room>``.

    Args:
        checksum_of: hex checksum of a raw query string for the ``join`` call, e.g.
            ``lambda q: desktop.bbb.checksum.checksum("join", q, secret, algorithm)``.
        join_endpoint: ``https://<bbb host>/bigbluebutton/api/join``.
        params: the join parameters (see :func:`streaming_join_params`), without ``checksum``.
        room: the webinar's gateway room (:func:`room_id`).
    """
    _validate_room(room)
    endpoint = urlsplit(join_endpoint)
    if endpoint.scheme != "https" or not endpoint.hostname:
        raise ConfigError(_("The BBB join endpoint for the gateway must start with https://."))
    if endpoint.query or endpoint.fragment or not endpoint.path.endswith("/join"):
        raise ConfigError(_("The BBB join endpoint must end with /join and carry no query."))
    pairs = list(params.items()) if isinstance(params, Mapping) else list(params)
    names = {name for name, _ in pairs}
    if "checksum" in names or ROOM_PARAM in names:
        raise ConfigError(_("The join parameters must not contain checksum or {name}.").format(name=ROOM_PARAM))
    base = "&".join(f"{encode_value(k)}={encode_value(v)}" for k, v in pairs)
    tail = f"{ROOM_PARAM}=/{room}"
    signed = f"{base}&{tail}" if base else tail
    digest = checksum_of(signed)
    if not _HEX.fullmatch(digest):
        raise ConfigError(_("The join checksum must be lowercase hexadecimal."))
    register_secret(digest)
    head = f"{base}&checksum={digest}" if base else f"checksum={digest}"
    return JoinTarget.from_bbb_join(f"{join_endpoint}?{head}&{tail}")


def streaming_join_params(
    meeting_id: str,
    *,
    full_name: str = STREAMING_NAME,
    create_time: str | None = None,
    userdata: Mapping[str, str] = STREAMING_USERDATA,
) -> list[tuple[str, str]]:
    """Join parameters for the gateway's VIEWER: name, role, client options (unsigned)."""
    pairs = [("fullName", full_name), ("meetingID", meeting_id), ("role", "VIEWER")]
    if create_time:
        pairs.append(("createTime", create_time))
    pairs.extend((f"userdata-{key}", value) for key, value in userdata.items())
    return pairs


def room_id(seed: str | None = None) -> str:
    """A room of 10 lowercase hex characters, Pod's shape (§6.1).

    With a ``seed`` (a webinar's stable UUID) the room is derived from it, so it survives
    restarts and renames (weakness #10); without, it is random — store it with the webinar.
    """
    if seed is None:
        return secrets.token_hex(5)
    return hashlib.sha256(f"pupitre-gateway-room:{seed}".encode()).hexdigest()[:10]
