"""Parameters of the calls that take many: ``create`` and ``join`` (reference §3.2, §3.3).

Each field is one BBB parameter under a Python name; only the fields that are set (not None) are
sent, in a fixed, documented order, so a signed URL is reproducible.  ``extra`` carries any other
parameter verbatim (newer or rarer options) and goes last.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from desktop.bbb.checksum import ParamValue
from desktop.bbb.errors import InvalidParameter
from desktop.i18n import _

GUEST_POLICIES = ("ALWAYS_ACCEPT", "ALWAYS_DENY", "ASK_MODERATOR")
ROLES = ("MODERATOR", "VIEWER")


@dataclass(frozen=True)
class LockSettings:
    """Viewer restrictions (``lockSettings*``); None leaves the server default."""

    disable_cam: bool | None = None
    disable_mic: bool | None = None
    disable_private_chat: bool | None = None
    disable_public_chat: bool | None = None
    disable_note: bool | None = None
    locked_layout: bool | None = None
    hide_user_list: bool | None = None
    lock_on_join: bool | None = None

    def to_params(self) -> list[tuple[str, ParamValue]]:
        names = (
            ("lockSettingsDisableCam", self.disable_cam),
            ("lockSettingsDisableMic", self.disable_mic),
            ("lockSettingsDisablePrivateChat", self.disable_private_chat),
            ("lockSettingsDisablePublicChat", self.disable_public_chat),
            ("lockSettingsDisableNote", self.disable_note),
            ("lockSettingsLockedLayout", self.locked_layout),
            ("lockSettingsHideUserList", self.hide_user_list),
            ("lockSettingsLockOnJoin", self.lock_on_join),
        )
        return [(name, value) for name, value in names if value is not None]


@dataclass(frozen=True)
class CreateParams:
    """Everything a webinar's ``create`` may set.

    Attributes:
        name / meeting_id: required; 2–256 characters, no comma in the ID (BBB's validation).
        disabled_features: e.g. ("chat", "privateChat", "polls"), sent comma-separated.
        meta: ``meta_<key>`` parameters (BBB echoes their keys lower-cased in ``metadata``).
        end_callback_url: sent as ``meta_endCallbackUrl``; BBB GETs it when the meeting ends.
        extra: any other create parameter, verbatim.
    """

    name: str
    meeting_id: str
    welcome: str | None = None
    moderator_only_message: str | None = None
    logout_url: str | None = None
    record: bool | None = None
    auto_start_recording: bool | None = None
    allow_start_stop_recording: bool | None = None
    mute_on_start: bool | None = None
    guest_policy: str | None = None
    max_participants: int | None = None
    duration: int | None = None
    meeting_layout: str | None = None
    disabled_features: tuple[str, ...] | list[str] | None = None
    lock_settings: LockSettings | None = None
    meeting_expire_if_no_user_joined_in_minutes: int | None = None
    meeting_expire_when_last_user_left_in_minutes: int | None = None
    end_when_no_moderator: bool | None = None
    allow_requests_without_session: bool | None = None
    meta: Mapping[str, str] = field(default_factory=dict)
    end_callback_url: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)

    def to_params(self) -> list[tuple[str, ParamValue]]:
        if self.guest_policy is not None and self.guest_policy not in GUEST_POLICIES:
            raise InvalidParameter(
                _("The guest policy “{policy}” is not one of {choices}.").format(
                    policy=self.guest_policy, choices=", ".join(GUEST_POLICIES))
            )
        optional: list[tuple[str, ParamValue | None]] = [
            ("welcome", self.welcome),
            ("moderatorOnlyMessage", self.moderator_only_message),
            ("logoutURL", self.logout_url),
            ("record", self.record),
            ("autoStartRecording", self.auto_start_recording),
            ("allowStartStopRecording", self.allow_start_stop_recording),
            ("muteOnStart", self.mute_on_start),
            ("guestPolicy", self.guest_policy),
            ("maxParticipants", self.max_participants),
            ("duration", self.duration),
            ("meetingLayout", self.meeting_layout),
            ("disabledFeatures", ",".join(self.disabled_features) if self.disabled_features else None),
            ("meetingExpireIfNoUserJoinedInMinutes", self.meeting_expire_if_no_user_joined_in_minutes),
            ("meetingExpireWhenLastUserLeftInMinutes", self.meeting_expire_when_last_user_left_in_minutes),
            ("endWhenNoModerator", self.end_when_no_moderator),
            ("allowRequestsWithoutSession", self.allow_requests_without_session),
        ]
        params: list[tuple[str, ParamValue]] = [("name", self.name), ("meetingID", self.meeting_id)]
        params += [(k, v) for k, v in optional if v is not None]
        if self.lock_settings is not None:
            params += self.lock_settings.to_params()
        params += [(f"meta_{key}", value) for key, value in self.meta.items()]
        if self.end_callback_url is not None:
            params.append(("meta_endCallbackUrl", self.end_callback_url))
        params += list(self.extra.items())
        return params


@dataclass(frozen=True)
class JoinParams:
    """A ``join``.

    Attributes:
        role: MODERATOR or VIEWER (``role`` replaced the deprecated passwords).
        create_time: the meeting's createTime; BBB then refuses the URL for a re-created meeting.
        redirect: None leaves BBB's default (a 302 to the client); ``join_api`` forces False.
        userdata: client options without the prefix, e.g. {"bbb_auto_join_audio": "false"} ->
            ``userdata-bbb_auto_join_audio=false``.
        extra: any other join parameter, verbatim (``guest``, ``avatarURL``...).
    """

    full_name: str
    meeting_id: str
    role: str = "VIEWER"
    user_id: str | None = None
    create_time: int | None = None
    redirect: bool | None = None
    error_redirect_url: str | None = None
    userdata: Mapping[str, str | bool] = field(default_factory=dict)
    extra: Mapping[str, str] = field(default_factory=dict)

    def to_params(self) -> list[tuple[str, ParamValue]]:
        role = self.role.upper()
        if role not in ROLES:
            raise InvalidParameter(_("The role “{role}” is neither MODERATOR nor VIEWER.").format(role=self.role))
        params: list[tuple[str, ParamValue]] = [
            ("fullName", self.full_name),
            ("meetingID", self.meeting_id),
            ("role", role),
        ]
        optional: list[tuple[str, ParamValue | None]] = [
            ("userID", self.user_id),
            ("createTime", self.create_time),
            ("redirect", self.redirect),
            ("errorRedirectUrl", self.error_redirect_url),
        ]
        params += [(k, v) for k, v in optional if v is not None]
        for key, value in self.userdata.items():
            name = key if key.startswith("userdata-") else f"userdata-{key}"
            params.append((name, value))
        params += list(self.extra.items())
        return params
