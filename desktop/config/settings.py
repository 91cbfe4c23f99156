"""The user's settings: BBB profiles, gateways and preferences, in one JSON file.

Secrets are *not* here: the BBB shared secret and gateway tokens live in the OS keyring
(:mod:`desktop.secrets`), under the names returned by :func:`bbb_secret_name` and
:func:`gateway_secret_name`.  :meth:`Settings.save` refuses to write a value that looks like one.

Preferences are declared once, as data (:data:`PREFERENCES`), with their defaults and labels, so
that the settings dialog, the CLI and the tests read the same table.
"""

from __future__ import annotations

import json
import logging
import math
import os
import shutil
import tempfile
from dataclasses import MISSING, asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from desktop.errors import ConfigError
from desktop.i18n import _

logger = logging.getLogger(__name__)

ALGORITHMS = ("sha1", "sha256", "sha384", "sha512")
GATEWAY_KINDS = ("sipmediagw-legacy", "sipmediagw")
# How the gateway's browser reaches the meeting (README, "Gateways"):
#   bbb-join   Pupitre signs a VIEWER join URL named "streaming" and splits it as https://{domain}/{room}
#   join-page  the user gives a join page (Esup-Pod direct-access link, Greenlight room...) that
#              asks for a name; the gateway fills it in
JOIN_MODES = ("bbb-join", "join-page")


def bbb_secret_name(profile: str) -> str:
    return f"bbb:{profile}"


def gateway_secret_name(gateway: str) -> str:
    return f"gateway:{gateway}"


@dataclass
class BBBProfile:
    """A BigBlueButton server (or Scalelite) the presenter uses.

    Attributes:
        name: short name chosen by the user ("default", "campus"...).
        url: the server URL as the user typed it (normalised by the BBB client).
        algorithm: checksum algorithm (sha256 by default; sha1 for very old servers).
        ca_bundle: PEM file of a campus CA, or None.
        insecure: skip TLS verification (explicit, warned).
        monitor_name: display name of the chat-monitoring user that joins the meeting.
    """

    name: str
    url: str
    algorithm: str = "sha256"
    ca_bundle: str | None = None
    insecure: bool = False
    monitor_name: str = "Pupitre"

    def validate(self) -> None:
        if not self.name or not self.name.replace("-", "").replace("_", "").isalnum():
            raise ConfigError(_("“{name}” is not a valid profile name (letters, digits, - and _).").format(
                name=self.name))
        if not self.url.startswith(("http://", "https://")):
            raise ConfigError(_("The BBB server address must start with https:// (got “{address}”).").format(
                address=self.url))
        if self.algorithm not in ALGORITHMS:
            raise ConfigError(_("Unknown checksum algorithm “{algorithm}” (use {choices}).").format(
                algorithm=self.algorithm, choices=", ".join(ALGORITHMS)))


@dataclass
class GatewayConfig:
    """A SIPMediaGW streaming gateway and where its stream goes.

    Attributes:
        name: short name.
        kind: "sipmediagw-legacy" (the API Esup-Pod 4 speaks) or "sipmediagw" (the v1.8 proxy).
        url: base URL of the gateway API.
        rtmp_url: RTMP publish URL given to the gateway (rtmpDst / rtmp_dst).
        hls_url: audience HLS playlist URL (what the preview and the monitor read).
        audience_page_url: the audience's web page, if any.
        join_mode: see JOIN_MODES.
        join_page_url: for join_mode "join-page", the page that the gateway opens.
        browsing: v1.8 "browsing"/"browsing_name" value (a key of the gateway's WEBRTC_DOMAINS).
        ca_bundle / insecure: TLS options as for profiles.
    """

    name: str
    kind: str
    url: str
    rtmp_url: str
    hls_url: str
    audience_page_url: str | None = None
    join_mode: str = "bbb-join"
    join_page_url: str | None = None
    browsing: str = "bigbluebutton"
    ca_bundle: str | None = None
    insecure: bool = False

    def validate(self) -> None:
        if not self.name or not self.name.replace("-", "").replace("_", "").isalnum():
            raise ConfigError(_("“{name}” is not a valid gateway name (letters, digits, - and _).").format(
                name=self.name))
        if self.kind not in GATEWAY_KINDS:
            raise ConfigError(_("Unknown gateway kind “{kind}” (use {first} or {second}).").format(
                kind=self.kind, first=GATEWAY_KINDS[0], second=GATEWAY_KINDS[1]))
        if not self.url.startswith(("http://", "https://")):
            raise ConfigError(_("The gateway address must start with http:// or https:// (got “{address}”).").format(
                address=self.url))
        if not self.rtmp_url.startswith(("rtmp://", "rtmps://")):
            raise ConfigError(_("The RTMP address must start with rtmp:// (got “{address}”).").format(
                address=self.rtmp_url))
        if not self.hls_url.startswith(("http://", "https://")):
            raise ConfigError(_("The audience HLS address must start with https:// (got “{address}”).").format(
                address=self.hls_url))
        if self.join_mode not in JOIN_MODES:
            raise ConfigError(_("Unknown join mode “{mode}” (use {first} or {second}).").format(
                mode=self.join_mode, first=JOIN_MODES[0], second=JOIN_MODES[1]))
        if self.join_mode == "join-page" and not (self.join_page_url or "").startswith("https://"):
            raise ConfigError(_("The “join-page” mode needs the https:// address of the join page."))


@dataclass(frozen=True)
class Preference:
    """One user preference, declared once: key, default, label for the UI."""

    key: str
    default: Any
    label: str


PREFERENCES: tuple[Preference, ...] = (
    Preference("poll_presenter_seconds", 1.0, "How often to check whether the presenter has joined (s)"),
    Preference("poll_live_seconds", 5.0, "How often to check the meeting while live (s)"),
    Preference("misses_before_autostop", 2, "Consecutive “not running” answers before the live stops"),
    Preference("gateway_start_timeout", 90.0, "How long to wait for the gateway and the stream (s)"),
    Preference("gateway_stop_timeout", 45.0, "How long to wait for the gateway to stop (s)"),
    Preference("monitor_name", "Pupitre", "Name of the chat-monitoring user in the meeting"),
    Preference("answer_sender_name", "", "Sender name for answers sent with sendChatMessage (empty: your name)"),
    Preference("language", "", "Language (empty: follow the system)"),
    Preference("preview_muted", True, "Start the preview muted"),
    Preference("preview_volume", 60, "Preview volume (0–100)"),
    Preference("notify_questions", True, "Notify new audience questions"),
    Preference("notify_before_start_minutes", [10, 2], "Minutes before a scheduled start to notify"),
    Preference("record_live", False, "Record each live (what the audience sees) into the Videos folder"),
    Preference("recording_folder", "", "Folder of the recordings (empty: Videos/Pupitre)"),
    Preference("recording_min_free_mb", 2048, "Free disk space to keep while recording (MB)"),
)
PREFERENCE_DEFAULTS = {p.key: p.default for p in PREFERENCES}

_SECRET_HINTS = ("secret", "token", "password", "checksum")


@dataclass
class Settings:
    """Everything in settings.json."""

    profiles: list[BBBProfile] = field(default_factory=list)
    gateways: list[GatewayConfig] = field(default_factory=list)
    default_profile: str | None = None
    preferences: dict[str, Any] = field(default_factory=dict)
    path: Path | None = field(default=None, repr=False, compare=False)
    extra: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """Top-level fields this version does not know (a newer version's): kept, written back."""
    extra_items: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict, repr=False, compare=False)
    """Unknown fields of each profile/gateway, by ("profiles"|"gateways", name): kept, written back."""

    # -- loading and saving -------------------------------------------------------------
    @classmethod
    def load(cls, path: Path) -> Settings:
        """Read ``path`` (a missing file is an empty configuration).

        A file that cannot be used as it is (not JSON, not an object, a profile that is not an
        object, a name that is not text...) is copied to ``settings.json.bad`` before the
        :class:`ConfigError` says so: whatever the user fixes or removes, nothing is lost.
        Fields this version does not know are kept and written back by :meth:`save`.
        """
        if not path.exists():
            return cls(path=path)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return cls._from_json(raw, path)
        except (OSError, ValueError, TypeError) as exc:
            bad = _keep_bad_copy(path)
            reason = _reason(exc)
            if bad is None:
                raise ConfigError(
                    _("The settings file {path} could not be read ({kind}).").format(path=path, kind=reason),
                    hint=_("Fix or remove the file."),
                ) from None
            raise ConfigError(
                _("The settings file {path} is damaged ({reason}): fix or remove it, a copy was kept as "
                  "{copy}.").format(path=path, reason=reason, copy=bad.name),
            ) from None

    @classmethod
    def _from_json(cls, raw: Any, path: Path) -> Settings:
        if not isinstance(raw, dict):
            raise _ShapeError(_("it holds {kind} instead of an object").format(kind=_json_kind(raw)))
        profiles = [BBBProfile(**_checked(BBBProfile, p, "profiles")) for p in _list(raw, "profiles")]
        gateways = [GatewayConfig(**_checked(GatewayConfig, g, "gateways")) for g in _list(raw, "gateways")]
        default_profile = raw.get("default_profile")
        if default_profile is not None and not isinstance(default_profile, str):
            raise _ShapeError(_("“{key}” is not text").format(key="default_profile"))
        preferences = raw.get("preferences", {})
        if preferences is None:
            preferences = {}
        if not isinstance(preferences, dict):
            raise _ShapeError(_("“{key}” is not an object").format(key="preferences"))
        known = {"profiles", "gateways", "default_profile", "preferences"}
        return cls(
            profiles=profiles,
            gateways=gateways,
            default_profile=default_profile,
            preferences=dict(preferences),
            path=path,
            extra={k: v for k, v in raw.items() if k not in known},
            extra_items={
                **{("profiles", p["name"]): _unknown(BBBProfile, p) for p in raw.get("profiles") or []},
                **{("gateways", g["name"]): _unknown(GatewayConfig, g) for g in raw.get("gateways") or []},
            },
        )

    def to_json(self) -> dict[str, Any]:
        def with_extra(group: str, item: Any) -> dict[str, Any]:
            return {**self.extra_items.get((group, item.name), {}), **asdict(item)}

        return {
            **self.extra,
            "profiles": [with_extra("profiles", p) for p in self.profiles],
            "gateways": [with_extra("gateways", g) for g in self.gateways],
            "default_profile": self.default_profile,
            "preferences": self.preferences,
        }

    def save(self, path: Path | None = None) -> None:
        path = path or self.path
        if path is None:
            raise ConfigError(_("No settings file to save to."))
        data = self.to_json()
        _refuse_secrets(data)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, ensure_ascii=False)
        os.replace(tmp, path)
        self.path = path

    # -- queries ---------------------------------------------------------------------------
    @property
    def is_configured(self) -> bool:
        return bool(self.profiles)

    def profile(self, name: str | None = None) -> BBBProfile:
        name = name or self.default_profile or (self.profiles[0].name if self.profiles else None)
        for profile in self.profiles:
            if profile.name == name:
                return profile
        if name is None:
            raise ConfigError(_("No BBB server is configured."), hint=_("Add one with “pupitre profile add”."))
        raise ConfigError(_("There is no BBB profile named “{name}”.").format(name=name))

    def gateway(self, name: str) -> GatewayConfig:
        for gateway in self.gateways:
            if gateway.name == name:
                return gateway
        raise ConfigError(_("There is no gateway named “{name}”.").format(name=name))

    def preference(self, key: str) -> Any:
        """The user's value of ``key``, or its default when unset or unusable (see :meth:`problems`)."""
        if key not in PREFERENCE_DEFAULTS:
            raise KeyError(key)
        default = PREFERENCE_DEFAULTS[key]
        if key not in self.preferences:
            return default
        value = _usable_preference(self.preferences[key], default)
        return default if value is _UNUSABLE else value

    def problems(self) -> list[str]:
        """One sentence per preference whose stored value cannot be used (its default is used instead).

        The value stays in the file (nothing is lost): the user fixes it in the settings.
        """
        sentences = []
        for preference in PREFERENCES:
            if preference.key not in self.preferences:
                continue
            value = self.preferences[preference.key]
            if _usable_preference(value, preference.default) is _UNUSABLE:
                shown = json.dumps(value, ensure_ascii=False)
                sentences.append(
                    _("The preference “{key}” in the settings file holds {value}, which is not usable: the "
                      "default ({default}) is used until you fix it in the settings.").format(
                        key=preference.key, value=shown[:60], default=json.dumps(preference.default)))
        return sentences

    # -- edits -------------------------------------------------------------------------------
    def put_profile(self, profile: BBBProfile) -> None:
        profile.validate()
        self.profiles = [p for p in self.profiles if p.name != profile.name] + [profile]
        if self.default_profile is None:
            self.default_profile = profile.name

    def remove_profile(self, name: str) -> None:
        self.profile(name)
        self.profiles = [p for p in self.profiles if p.name != name]
        if self.default_profile == name:
            self.default_profile = self.profiles[0].name if self.profiles else None

    def put_gateway(self, gateway: GatewayConfig) -> None:
        gateway.validate()
        self.gateways = [g for g in self.gateways if g.name != gateway.name] + [gateway]

    def remove_gateway(self, name: str) -> None:
        self.gateway(name)
        self.gateways = [g for g in self.gateways if g.name != name]


class _ShapeError(ValueError):
    """settings.json is JSON but not shaped like settings; ``sentence`` says where."""

    def __init__(self, sentence: str) -> None:
        super().__init__(sentence)
        self.sentence = sentence


_UNUSABLE = object()


def _usable_preference(value: Any, default: Any) -> Any:
    """``value`` as the default's type, or :data:`_UNUSABLE` (a typo must not break a command)."""
    if isinstance(default, bool):
        return value if isinstance(value, bool) else _UNUSABLE
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            return _UNUSABLE
        return int(value) if value == int(value) and value >= 0 else _UNUSABLE
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            return _UNUSABLE
        return float(value) if value > 0 else _UNUSABLE
    if isinstance(default, str):
        return value if isinstance(value, str) else _UNUSABLE
    if isinstance(default, list):
        if isinstance(value, list) and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
            return value
        return _UNUSABLE
    return value


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, str):
        return _("text")
    if value is None:
        return "null"
    return _("a number") if isinstance(value, int | float) and not isinstance(value, bool) else _("a boolean")


def _list(raw: dict[str, Any], key: str) -> list[Any]:
    value = raw.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise _ShapeError(_("“{key}” is not a list").format(key=key))
    return value


def _checked(cls: type, data: Any, group: str) -> dict[str, Any]:
    """The known fields of one profile/gateway entry, each of the type the dataclass declares."""
    if not isinstance(data, dict):
        raise _ShapeError(_("an entry of “{key}” is not an object").format(key=group))
    known: dict[str, Any] = {}
    for spec in fields(cls):
        if spec.name not in data:
            continue
        value = data[spec.name]
        kind = str(spec.type)
        if kind == "bool":
            ok = isinstance(value, bool)
        elif "None" in kind:
            ok = value is None or isinstance(value, str)
        else:
            ok = isinstance(value, str)
        if not ok:
            raise _ShapeError(_("“{key}” of an entry of “{group}” has the wrong type").format(
                key=spec.name, group=group))
        known[spec.name] = value
    for spec in fields(cls):
        if spec.default is MISSING and spec.default_factory is MISSING and spec.name not in known:
            raise _ShapeError(_("an entry of “{group}” has no “{key}”").format(group=group, key=spec.name))
    return known


def _unknown(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in data.items() if k not in names}


def _reason(exc: BaseException) -> str:
    if isinstance(exc, _ShapeError):
        return exc.sentence
    if isinstance(exc, json.JSONDecodeError):
        return _("it is not valid JSON, line {line} column {column}").format(line=exc.lineno, column=exc.colno)
    if isinstance(exc, UnicodeDecodeError):
        return _("it is not UTF-8 text")
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
    return text[:100]


def _keep_bad_copy(path: Path) -> Path | None:
    """Copy the unusable file to ``settings.json.bad`` (replacing an older copy); None if impossible."""
    bad = path.with_name(path.name + ".bad")
    try:
        content = path.read_bytes()
        number = 1
        while bad.exists() and bad.read_bytes() != content:  # an older, different copy is kept too
            number += 1
            bad = path.with_name(f"{path.name}.bad{number}")
        shutil.copyfile(path, bad)
    except OSError as exc:
        logger.warning("could not keep a copy of %s: %s", path, exc)
        return None
    return bad


def _refuse_secrets(data: Any, where: str = "") -> None:
    if isinstance(data, dict):
        for key, value in data.items():
            lowered = str(key).lower()
            if any(h in lowered for h in _SECRET_HINTS) and value not in (None, "", False):
                raise ConfigError(_("Refusing to write “{key}” to the settings file: secrets go to the keyring.").format(
                    key=f"{where}{key}"))
            _refuse_secrets(value, f"{where}{key}.")
    elif isinstance(data, list):
        for item in data:
            _refuse_secrets(item, where)
