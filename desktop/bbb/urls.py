"""Server address normalisation: whatever the user pasted, one API base URL.

Users copy the address from many places: the server's home page (``https://host``), the admin
docs (``https://host/bigbluebutton/``), API Mate (``…/bigbluebutton/api``), or Scalelite's
configuration.  The client needs exactly one form, ``https://host[:port][/prefix]/bigbluebutton/api/``,
so that ``base + callName`` is always the right endpoint.  Anything that is not an http(s) URL with
a host — or that carries a query, a fragment or credentials — is refused with a sentence.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from desktop.bbb.checksum import DEFAULT_ALGORITHM, Params, sign
from desktop.errors import ConfigError
from desktop.i18n import _

_API_SUFFIX = "/bigbluebutton/api/"


def normalise_api_base(url: str) -> str:
    """The API base URL (ending in ``/bigbluebutton/api/``) for a server address.

    Accepted: ``https://host``, ``https://host/``, ``https://host/bigbluebutton``,
    ``…/bigbluebutton/``, ``…/bigbluebutton/api``, ``…/bigbluebutton/api/`` (also behind a path
    prefix such as ``https://host/lb/bigbluebutton/api``).  Raises ConfigError otherwise.
    """
    raw = (url or "").strip()
    if not raw:
        raise ConfigError(_("The BBB server address is empty."), hint=_("Use e.g. https://bbb.example.org."))
    try:
        parts = urlsplit(raw)
        port = parts.port  # raises ValueError on a bad port
    except ValueError:
        raise ConfigError(
            _("“{address}” is not a valid BBB server address.").format(address=_shorten(raw))) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            _("“{address}” is not a valid BBB server address.").format(address=_shorten(raw)),
            hint=_("It must start with https:// followed by the server name, e.g. https://bbb.example.org."),
        )
    if parts.username is not None or parts.password is not None:
        raise ConfigError(_("The BBB server address must not contain a user name or password."))
    if parts.query or parts.fragment:
        raise ConfigError(
            _("The BBB server address must not contain “?” or “#”."),
            hint=_("Give the server address only, e.g. https://bbb.example.org/bigbluebutton/api."),
        )
    if any(c.isspace() for c in raw):
        raise ConfigError(_("“{address}” is not a valid BBB server address (it contains spaces).").format(
            address=_shorten(raw)))
    path = parts.path.rstrip("/")
    segments = [s for s in path.split("/") if s]
    if segments[-1:] == ["api"]:
        segments = segments[:-1]
        if segments[-1:] != ["bigbluebutton"]:
            # ".../api" without "bigbluebutton" in front: an address we cannot guess
            raise ConfigError(
                _("“{address}” does not look like a BBB API address.").format(address=_shorten(raw)),
                hint=_("BBB's API lives at https://HOST/bigbluebutton/api."),
            )
    if segments[-1:] == ["bigbluebutton"]:
        segments = segments[:-1]
    prefix = "/" + "/".join(segments) if segments else ""
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = f"{host}:{port}" if port is not None else host
    return urlunsplit((parts.scheme.lower(), netloc, prefix + _API_SUFFIX, "", ""))


def host_of(api_base: str) -> str:
    """``host[:port]`` of an API base, for messages (never a signed URL)."""
    parts = urlsplit(api_base)
    return parts.netloc


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def signed_url(api_base: str, call: str, params: Params, secret: str, algorithm: str = DEFAULT_ALGORITHM) -> str:
    """``api_base + call + "?" + signed query``, like API Mate prints it.

    ``api_base`` must already be normalised (:func:`normalise_api_base`).  The query after ``?`` is
    exactly the string that was hashed; send the URL without re-encoding it.
    """
    return f"{api_base}{call}?{sign(call, params, secret, algorithm)}"
