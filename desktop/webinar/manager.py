"""The application core that the CLI and the GUI both drive.

:class:`WebinarManager` turns a scheduled occurrence (or a meeting already running on the
server, to adopt) into a :class:`~desktop.webinar.session.LivePlan`, owns the BBB clients (one
per profile, secrets from the keyring), the gateway pool (one webinar per gateway), the journal
and the live sessions, and reconciles the journal with reality after a crash
(:mod:`desktop.webinar.recovery`).
"""

from __future__ import annotations

import getpass
import logging
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from desktop.bbb.client import BBBClient
from desktop.bbb.params import CreateParams
from desktop.config.paths import AppPaths
from desktop.config.settings import (
    PREFERENCE_DEFAULTS,
    Settings,
    bbb_secret_name,
    gateway_secret_name,
)
from desktop.errors import ConfigError
from desktop.gateways.join_target import room_id
from desktop.i18n import _
from desktop.net.http import HttpOptions
from desktop.schedule.models import Webinar
from desktop.schedule.occurrences import Occurrence
from desktop.schedule.store import ScheduleStore
from desktop.secrets import SecretStore
from desktop.webinar.events import LiveUpdate, UpdateListener
from desktop.webinar.journal import Journal
from desktop.webinar.plan import LivePlan, LiveTimings
from desktop.webinar.session_key import SessionKey, adopted_key, occurrence_key
from desktop.webinar.state import LiveState

if TYPE_CHECKING:
    # loaded on first use (issue 13): an idle console with nothing live needs the schedule, the
    # journal and the BBB client, not the sessions, the gateway drivers, the preflight or the chat
    from desktop.gateways.base import CallTimeouts
    from desktop.gateways.pool import GatewayPool
    from desktop.preflight import CheckResult
    from desktop.recording.service import LiveRecordings
    from desktop.webinar.live_chat import ChatFollowers
    from desktop.webinar.session import LiveSession

logger = logging.getLogger(__name__)

PUPITRE_ORIGIN = "Pupitre"


class WebinarManager:
    """Schedule + settings + secrets -> live sessions.

    Attributes:
        paths, settings, secrets: the app's configuration.
        journal: the live journal (crash recovery).
        schedule: the webinar store.
        sessions: live sessions by key (the text of a :class:`SessionKey`).
        chats: the audience chat followers, one per session key (``chats.follow(session)``,
            ``chats.get(key)``; see :mod:`desktop.webinar.live_chat`).
    """

    def __init__(
        self,
        paths: AppPaths,
        settings: Settings,
        secrets: SecretStore,
        *,
        timings: LiveTimings | None = None,
        gateway_timeouts: CallTimeouts | None = None,
    ) -> None:
        self.paths = paths
        self.settings = settings
        self.secrets = secrets
        self.timings = timings or self._timings_from_settings()
        self._gateway_timeouts = gateway_timeouts
        self.journal = Journal(paths.database_file)
        self.schedule = ScheduleStore(paths.database_file)
        self.sessions: dict[str, LiveSession] = {}
        self._adopted: dict[str, LivePlan] = {}  # the plans of meetings adopted from the server
        self._clients: dict[str, BBBClient] = {}
        self._pool: GatewayPool | None = None
        self._closed = False
        self._chats: ChatFollowers | None = None
        self._recordings: LiveRecordings | None = None
        self._update_listeners: list[UpdateListener] = []

    @property
    def chats(self) -> ChatFollowers:
        if self._chats is None:  # created with the first chat followed (websockets, GraphQL)
            from desktop.webinar.live_chat import ChatFollowers

            self._chats = ChatFollowers(self)
        return self._chats

    @property
    def recordings(self) -> LiveRecordings:
        """The recordings of the lives, attached from outside each session (a snapshot listener);
        created with the first session."""
        if self._recordings is None:
            from desktop.recording.service import LiveRecordings

            self._recordings = LiveRecordings(self.settings, self._audience_stream, journal=self.journal)
        return self._recordings

    def add_update_listener(self, listener: UpdateListener) -> Callable[[], None]:
        """``listener(LiveUpdate)`` for what happens to a live *without* a session of this process
        (crash recovery stopping what an earlier run left publishing); the sessions' own updates
        go to :meth:`LiveSession.add_update_listener`.  Returns its removal."""
        self._update_listeners.append(listener)
        return lambda: self._update_listeners.remove(listener) if listener in self._update_listeners else None

    def publish(self, update: LiveUpdate) -> None:
        """Tell the manager's update listeners (one failing listener does not silence the others)."""
        for listener in list(self._update_listeners):
            try:
                listener(update)
            except Exception:  # a view's bug must not stop recovery
                logger.exception("update listener failed")

    def _timings_from_settings(self) -> LiveTimings:
        pref = self.settings.preference
        return LiveTimings(
            presenter_poll=float(pref("poll_presenter_seconds")),
            live_poll=float(pref("poll_live_seconds")),
            misses_before_autostop=int(pref("misses_before_autostop")),
            stream_live_timeout=float(pref("gateway_start_timeout")),
            gateway_down_timeout=float(pref("gateway_stop_timeout")),
        )

    # -- servers -------------------------------------------------------------------------------
    def bbb(self, profile_name: str | None = None) -> BBBClient:
        profile = self.settings.profile(profile_name)
        client = self._clients.get(profile.name)
        if client is None:
            secret = self.secrets.get(bbb_secret_name(profile.name))
            if not secret:
                raise ConfigError(
                    _("No shared secret is stored for the BBB profile “{profile}”.").format(profile=profile.name),
                    hint=_("Set it again in the settings or with “pupitre profile add --secret-stdin”."))
            client = BBBClient.from_profile(profile, secret)
            self._clients[profile.name] = client
        return client

    @property
    def pool(self) -> GatewayPool:
        if self._pool is None:
            from desktop.gateways.factory import pool_from_settings

            self._pool = pool_from_settings(self.settings, self.secrets, timeouts=self._gateway_timeouts)
        return self._pool

    def hls_options(self, gateway_name: str | None) -> HttpOptions:
        if gateway_name:
            try:
                cfg = self.settings.gateway(gateway_name)
            except ConfigError:
                return HttpOptions()
            return HttpOptions(ca_bundle=cfg.ca_bundle, insecure=cfg.insecure)
        return HttpOptions()

    # -- plans -------------------------------------------------------------------------------
    def presenter_name(self) -> str:
        configured = str(self.settings.preferences.get("presenter_name") or "").strip()
        if configured:
            return configured
        try:
            return getpass.getuser()
        except Exception:
            return "Presenter"

    def monitor_name(self, profile: str | None = None) -> str:
        """The display name of the chat-monitoring user (preference, else the profile's).

        The preference's default ("Pupitre") is no choice: the settings dialog stores every
        preference, the default too, and that must not hide the profile's name.
        """
        configured = str(self.settings.preferences.get("monitor_name") or "").strip()
        if configured and configured != PREFERENCE_DEFAULTS["monitor_name"]:
            return configured
        try:
            return self.settings.profile(profile).monitor_name or "Pupitre"
        except ConfigError:
            return "Pupitre"

    def answer_sender_name(self) -> str:
        """The sender name of answers sent with sendChatMessage (preference, else the presenter)."""
        configured = str(self.settings.preferences.get("answer_sender_name") or "").strip()
        return configured or self.presenter_name()

    def next_occurrence(self, webinar: Webinar, now: datetime | None = None) -> Occurrence:
        now = now or datetime.now(UTC)
        for occurrence in self.schedule.occurrences(webinar.id, now - webinar.duration, now + timedelta(days=3660),
                                                    limit=50):
            if not occurrence.cancelled and occurrence.end > now:
                return occurrence
        raise ConfigError(_("The webinar “{title}” has no upcoming occurrence.").format(title=webinar.title))

    def plan_for(self, webinar_id: int, occurrence_index: int | None = None, *,
                 gateway: str | None = None, now: datetime | None = None) -> LivePlan:
        """The plan for one occurrence of a scheduled webinar (the next one by default)."""
        webinar = self.schedule.get(webinar_id)
        if occurrence_index is None:
            occurrence = self.next_occurrence(webinar, now)
        else:
            found = self.schedule.occurrence(webinar_id, occurrence_index)
            if found is None or found.cancelled:
                raise ConfigError(_("The webinar “{title}” has no occurrence {index}.").format(
                    title=webinar.title, index=occurrence_index))
            occurrence = found
        options = webinar.options
        profile = self.settings.profile(options.profile)
        gateway_name = gateway or options.preferred_gateway
        audience = self._audience_link(gateway_name)
        moderator_message = options.moderator_only_message
        if audience and audience not in moderator_message:
            moderator_message = (moderator_message + "\n" if moderator_message else "") + \
                _("Audience link: {address}").format(address=audience)
        minutes = max(1, int(occurrence.duration.total_seconds() // 60))
        create = CreateParams(
            name=occurrence.title or webinar.title,
            meeting_id=webinar.meeting_id,
            welcome=options.welcome or None,
            moderator_only_message=moderator_message or None,
            record=options.record,
            auto_start_recording=options.record or None,
            allow_start_stop_recording=True if options.record else None,
            guest_policy="ALWAYS_ACCEPT",  # the gateway joins as an anonymous guest (Pod does it)
            max_participants=options.max_participants,
            duration=minutes + 60,  # BBB ends the meeting at duration; leave an hour of margin
            meta={"bbb-origin": PUPITRE_ORIGIN, "pupitre-webinar": webinar.uid,
                  # for the audience page (Pod's enable_chat): whether the audience may write
                  "pupitre-audience-chat": "true" if options.chat_enabled else "false"},
        )
        return LivePlan(
            key=occurrence_key(webinar.id, occurrence.index),
            title=occurrence.title or webinar.title,
            meeting_id=webinar.meeting_id,
            room=webinar.room,
            create=create,
            presenter_name=self.presenter_name(),
            chat_in_stream=options.chat_in_stream,
            preferred_gateway=gateway_name,
            scheduled_end=occurrence.end.timestamp(),
            webinar_id=webinar.id,
            occurrence=occurrence.index,
            profile=profile.name,
        )

    def plan_for_meeting(self, meeting_id: str, *, title: str | None = None, profile: str | None = None,
                         gateway: str | None = None, chat_in_stream: bool = True) -> LivePlan:
        """Adopt a meeting already running on the server (created by Moodle, Greenlight...); its
        plan is kept, so that :meth:`plan_for_key` finds it again."""
        profile_name = self.settings.profile(profile).name
        plan = LivePlan(
            key=adopted_key(meeting_id),
            title=title or meeting_id,
            meeting_id=meeting_id,
            room=room_id(f"adopted:{profile_name}:{meeting_id}"),  # the room's seed, not a key: kept as it was
            create=None,
            presenter_name=self.presenter_name(),
            chat_in_stream=chat_in_stream,
            preferred_gateway=gateway,
            profile=profile_name,
        )
        self._adopted[plan.key] = plan
        return plan

    def adopted_plan(self, key: SessionKey | str) -> LivePlan | None:
        """The plan of a meeting adopted in this process, if any."""
        return self._adopted.get(str(key))

    def plan_for_key(self, key: SessionKey | str) -> LivePlan:
        """The plan behind a session key: its session's, an adopted meeting's, or a scheduled
        occurrence's (built from the schedule)."""
        text = str(key)
        session = self.sessions.get(text)
        if session is not None:
            return session.plan
        parsed = key if isinstance(key, SessionKey) else SessionKey.parse(text)
        if parsed.meeting_id is not None:
            plan = self._adopted.get(text)
            if plan is None:
                raise ConfigError(_("The meeting “{meeting_id}” is no longer known here.").format(
                    meeting_id=parsed.meeting_id),
                    hint=_("Pick it again in the list of running meetings."))
            return plan
        assert parsed.webinar_id is not None
        return self.plan_for(parsed.webinar_id, parsed.occurrence)

    def _audience_link(self, gateway_name: str | None) -> str | None:
        gateways = self.settings.gateways
        chosen = next((g for g in gateways if g.name == gateway_name), gateways[0] if gateways else None)
        if chosen is None:
            return None
        return chosen.audience_page_url or chosen.hls_url

    # -- sessions ------------------------------------------------------------------------------
    def session(self, plan: LivePlan) -> LiveSession:
        """The session of ``plan.key``, created on first use."""
        existing = self.sessions.get(plan.key)
        if existing is not None:
            return existing
        from desktop.webinar.session import LiveSession

        session = LiveSession(
            plan, bbb=self.bbb(plan.profile), pool=self.pool, journal=self.journal, timings=self.timings,
            hls_options=self.hls_options(plan.preferred_gateway), preflight=self.preflight)
        self.sessions[plan.key] = session
        self.recordings.attach(plan.key, session)
        return session

    def _audience_stream(self, gateway_name: str) -> tuple[str, HttpOptions]:
        """The audience HLS playlist of a gateway (what the HLS monitor reads), for the recorder."""
        return self.settings.gateway(gateway_name).hls_url, self.hls_options(gateway_name)

    async def preflight(self, plan: LivePlan) -> list[CheckResult]:
        """The full preflight (BBB, each gateway, its audience HLS address) for ``plan``."""
        profile = self.settings.profile(plan.profile)
        secret = self.secrets.get(bbb_secret_name(profile.name))
        gateways = [(named.config, self.secrets.get(gateway_secret_name(named.name)))
                    for named in self.pool.order(plan.preferred_gateway)]
        from desktop.preflight import run_preflight

        return await run_preflight(profile, secret, gateways, timeout=self.timings.check_timeout)

    def resolve_key(self, target: str) -> str:
        """A session key from a key ("3:0", "adopted:…") or a webinar id: its unfinished live,
        else its latest, else its next occurrence."""
        if SessionKey.looks_like_key(target):
            return str(SessionKey.parse(target))
        if not target.isdigit():
            raise ConfigError(f"“{target}” is neither a webinar id nor a session key.")
        webinar_id = int(target)
        entries = [e for e in self.journal.all() if e.webinar_id == webinar_id]
        unfinished = [e for e in entries if e.state not in (LiveState.ENDED, LiveState.IDLE)]
        chosen = unfinished or entries
        if chosen:
            return chosen[-1].key
        occurrence = self.next_occurrence(self.schedule.get(webinar_id))
        return str(SessionKey.of_occurrence(webinar_id, occurrence.index))

    def find(self, key: str) -> LiveSession | None:
        return self.sessions.get(key)

    def live_sessions(self) -> Iterable[LiveSession]:
        return list(self.sessions.values())

    def with_timings(self, **changes: float) -> None:
        self.timings = replace(self.timings, **changes)  # type: ignore[arg-type]

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._chats is not None:
            await self._chats.aclose()  # before the sessions and clients they use
        if self._recordings is not None:
            await self._recordings.aclose()
        for session in list(self.sessions.values()):
            await session.close()
        if self._pool is not None:
            await self._pool.aclose()
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()
        self.journal.close()
        self.schedule.close()
