"""The journal of lives: written at every transition, read back after a crash.

A crash (or SIGKILL) of Pupitre must not orphan a stream.  Each session's essentials — which
meeting, which gateway and room (and v1.8 ``gw_id``), the state, the chat panel (the visibility
asked for and what that rests on: BBB's default, a request, a confirmation) — are written to SQLite at each transition, before the next network call.  On start,
:meth:`Journal.unfinished` lists the sessions that may still have something running, and the
recovery code reconciles them against reality.

Every gateway a session starts (or sends ``/start`` to) gets a row in ``live_gateways`` that is
closed only once that gateway was stopped: the session's current gateway may change (a restart
on another gateway, a second start), the history never forgets one that may still publish, and
recovery stops or checks them all.

Nothing secret is journaled: no shared secret, token, or signed join URL (those are rebuilt).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.errors import PupitreError
from desktop.i18n import _
from desktop.store import migrate, open_database
from desktop.webinar.state import ChatPanel, ChatPanelBasis, Failure, LiveSnapshot, LiveState, Step

logger = logging.getLogger(__name__)

_MIGRATIONS = [
    """
    CREATE TABLE live_sessions (
        key TEXT PRIMARY KEY,
        webinar_id INTEGER,
        occurrence INTEGER,
        meeting_id TEXT NOT NULL,
        title TEXT NOT NULL,
        profile TEXT,
        gateway TEXT,
        room TEXT,
        gw_id TEXT,
        state TEXT NOT NULL,
        chat_panel_visible INTEGER,
        live_since REAL,
        steps TEXT NOT NULL DEFAULT '{}',
        failure TEXT,
        opened_at REAL NOT NULL,
        updated_at REAL NOT NULL,
        pid INTEGER
    );
    CREATE TABLE live_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL,
        at REAL NOT NULL,
        kind TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX live_events_key ON live_events(key, at)
    """,
    # chat_panel_visible alone read as a fact; it is what was asked for (issue 11, point 9).
    # NULL: a row written before this column (see _chat_panel).
    """
    ALTER TABLE live_sessions ADD COLUMN chat_panel_basis TEXT
    """,
    # One owner per live (issue 12): every gateway started for an entry, open until stopped.
    # Rows journaled before it: the entry's gateway, open when it may still publish.
    """
    CREATE TABLE live_gateways (
        key TEXT NOT NULL,
        gateway TEXT NOT NULL,
        room TEXT NOT NULL,
        gw_id TEXT,
        started_at REAL NOT NULL,
        stopped_at REAL,
        PRIMARY KEY (key, gateway, room)
    );
    INSERT INTO live_gateways (key, gateway, room, gw_id, started_at, stopped_at)
        SELECT key, gateway, room, gw_id, updated_at,
               CASE WHEN state IN ('starting gateway', 'live', 'stopping', 'failed') THEN NULL
                    ELSE updated_at END
        FROM live_sessions WHERE gateway IS NOT NULL AND room IS NOT NULL
    """,
]


@dataclass(frozen=True)
class GatewayUse:
    """One gateway started for a journal entry; ``stopped_at`` None: it may still publish."""

    gateway: str
    room: str
    gw_id: str | None
    started_at: float
    stopped_at: float | None


@dataclass(frozen=True)
class JournalEntry:
    """What the journal knows of one session."""

    key: str
    webinar_id: int | None
    occurrence: int | None
    meeting_id: str
    title: str
    profile: str | None
    gateway: str | None
    room: str | None
    gw_id: str | None
    state: LiveState
    chat_panel: ChatPanel | None
    live_since: float | None
    steps: dict[Step, float]
    failure: Failure | None
    updated_at: float
    pid: int | None
    open_gateways: tuple[GatewayUse, ...] = ()

    @property
    def may_have_gateway(self) -> bool:
        return bool(self.open_gateways) or (self.gateway is not None and (
            self.state.gateway_may_run or self.state == LiveState.FAILED
        ))


@dataclass(frozen=True)
class TimelineEvent:
    at: float
    kind: str  # a LiveState value, or "incident", "notice", "participants"
    detail: str


class JournalRowDamaged(PupitreError):
    """One journal entry cannot be read; the others still can."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(
            _("The journal entry {key} is damaged ({reason}): Pupitre skips it.").format(key=key, reason=reason),
            hint=_("Look after that live by hand on BBB and its gateway; the other entries are not affected."),
        )
        self.key = key


class Journal:
    """The ``live_sessions`` / ``live_events`` tables."""

    def __init__(self, path: Path | str) -> None:
        self._conn = open_database(path)
        self._lock = threading.Lock()
        migrate(self._conn, "journal", _MIGRATIONS)
        # rows that could not be read (a damaged state, JSON...): key -> why, from the last read;
        # they are skipped, never allowed to hide the readable entries
        self.damaged: dict[str, str] = {}

    def close(self) -> None:
        self._conn.close()

    # -- writing -----------------------------------------------------------------------------
    def record(self, snapshot: LiveSnapshot, *, webinar_id: int | None, occurrence: int | None,
               profile: str | None, gw_id: str | None, pid: int | None = None) -> None:
        now = time.time()
        panel = snapshot.chat_panel
        failure = None if snapshot.failure is None else json.dumps(
            {"step": snapshot.failure.step, "sentence": snapshot.failure.sentence,
             "hint": snapshot.failure.hint})
        with self._lock:
            self._conn.execute(
                """
                INSERT INTO live_sessions (key, webinar_id, occurrence, meeting_id, title, profile,
                    gateway, room, gw_id, state, chat_panel_visible, chat_panel_basis, live_since,
                    steps, failure, opened_at, updated_at, pid)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(key) DO UPDATE SET
                    meeting_id = excluded.meeting_id, title = excluded.title,
                    profile = excluded.profile, gateway = excluded.gateway, room = excluded.room,
                    gw_id = excluded.gw_id, state = excluded.state,
                    chat_panel_visible = excluded.chat_panel_visible,
                    chat_panel_basis = excluded.chat_panel_basis,
                    live_since = excluded.live_since, steps = excluded.steps,
                    failure = excluded.failure, updated_at = excluded.updated_at, pid = excluded.pid
                """,
                (snapshot.key, webinar_id, occurrence, snapshot.meeting_id, snapshot.title, profile,
                 snapshot.gateway, snapshot.room, gw_id, snapshot.state.value,
                 None if panel is None else int(panel.visible), None if panel is None else panel.basis.value,
                 snapshot.live_since, json.dumps({s.value: t for s, t in snapshot.steps.items()}),
                 failure, now, now, pid),
            )
            if snapshot.gateway and snapshot.room and gw_id:
                self._conn.execute("UPDATE live_gateways SET gw_id = ? WHERE key = ? AND gateway = ? AND room = ?",
                                   (gw_id, snapshot.key, snapshot.gateway, snapshot.room))

    def gateway_started(self, key: str, gateway: str, room: str) -> bool:
        """Journal that ``/start`` goes to ``gateway`` for ``key``; False if it was already open."""
        with self._lock:
            row = self._conn.execute(
                "SELECT stopped_at FROM live_gateways WHERE key = ? AND gateway = ? AND room = ?",
                (key, gateway, room)).fetchone()
            if row is not None and row["stopped_at"] is None:
                return False
            self._conn.execute(
                """
                INSERT INTO live_gateways (key, gateway, room, started_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(key, gateway, room) DO UPDATE SET started_at = excluded.started_at,
                    stopped_at = NULL
                """, (key, gateway, room, time.time()))
            return True

    def gateway_stopped(self, key: str, gateway: str, room: str) -> None:
        """Journal that ``gateway`` no longer publishes for ``key`` (stopped, or never started)."""
        with self._lock:
            self._conn.execute(
                "UPDATE live_gateways SET stopped_at = ? WHERE key = ? AND gateway = ? AND room = ? "
                "AND stopped_at IS NULL", (time.time(), key, gateway, room))

    def gateways(self, key: str) -> list[GatewayUse]:
        """Every gateway started for ``key``, oldest first."""
        rows = self._conn.execute(
            "SELECT * FROM live_gateways WHERE key = ? ORDER BY started_at, rowid", (key,)).fetchall()
        return [GatewayUse(r["gateway"], r["room"], r["gw_id"], r["started_at"], r["stopped_at"]) for r in rows]

    def event(self, key: str, kind: str, detail: str = "", at: float | None = None) -> None:
        with self._lock:
            self._conn.execute(
                "INSERT INTO live_events (key, at, kind, detail) VALUES (?, ?, ?, ?)",
                (key, at if at is not None else time.time(), kind, detail),
            )

    def forget(self, key: str) -> None:
        with self._lock:
            self._conn.execute("DELETE FROM live_sessions WHERE key = ?", (key,))

    # -- reading -----------------------------------------------------------------------------
    def get(self, key: str) -> JournalEntry | None:
        """The entry of ``key`` (None when there is none); JournalRowDamaged if it cannot be read."""
        row = self._conn.execute("SELECT * FROM live_sessions WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        entry = self._read(row)
        if entry is None:
            raise JournalRowDamaged(key, self.damaged[key])
        return entry

    def all(self) -> list[JournalEntry]:
        """Every readable entry; the others are listed in :attr:`damaged` (and logged)."""
        self.damaged = {}
        rows = self._conn.execute("SELECT * FROM live_sessions ORDER BY updated_at").fetchall()
        entries = (self._read(r) for r in rows)
        return [e for e in entries if e is not None]

    def _read(self, row: sqlite3.Row) -> JournalEntry | None:
        key = str(row["key"])
        try:
            return _entry(row, self._open_gateways(key))
        except (ValueError, TypeError, KeyError, AttributeError) as error:  # json, enum, shape
            reason = f"{error.__class__.__name__}: {error}"[:200]
            self.damaged[key] = reason
            logger.warning("webinar journal: entry %s cannot be read (%s); skipped", key, reason)
            return None

    def _open_gateways(self, key: str) -> tuple[GatewayUse, ...]:
        return tuple(g for g in self.gateways(key) if g.stopped_at is None)

    def unfinished(self) -> list[JournalEntry]:
        """Sessions that may still have a meeting or a gateway to look after (an ended entry
        with a gateway never stopped included)."""
        return [e for e in self.all() if e.state not in (LiveState.IDLE, LiveState.ENDED) or e.open_gateways]

    def timeline(self, key: str) -> list[TimelineEvent]:
        rows = self._conn.execute(
            "SELECT at, kind, detail FROM live_events WHERE key = ? ORDER BY at, id", (key,)
        ).fetchall()
        return [TimelineEvent(r["at"], r["kind"], r["detail"]) for r in rows]


def _entry(row: sqlite3.Row, open_gateways: tuple[GatewayUse, ...] = ()) -> JournalEntry:
    failure_raw: Any = json.loads(row["failure"]) if row["failure"] else None
    steps_raw: dict[str, float] = json.loads(row["steps"] or "{}")
    steps = {Step(k): v for k, v in steps_raw.items() if k in Step._value2member_map_}
    return JournalEntry(
        key=row["key"], webinar_id=row["webinar_id"], occurrence=row["occurrence"],
        meeting_id=row["meeting_id"], title=row["title"], profile=row["profile"],
        gateway=row["gateway"], room=row["room"], gw_id=row["gw_id"], state=LiveState(row["state"]),
        chat_panel=_chat_panel(row["chat_panel_visible"], row["chat_panel_basis"]), live_since=row["live_since"],
        steps=steps,
        failure=None if failure_raw is None else Failure(failure_raw["step"], failure_raw["sentence"],
                                                         failure_raw.get("hint", "")),
        updated_at=row["updated_at"], pid=row["pid"], open_gateways=open_gateways,
    )


def _chat_panel(visible: int | None, basis: str | None) -> ChatPanel | None:
    """The chat panel of a row; ``basis`` is NULL in rows written before it was journaled.

    Those older rows held True from the gateway's start on (BBB's default) and False only after
    a hide was sent; neither was ever confirmed, so nothing read back is CONFIRMED.
    """
    if visible is None:
        return None
    if basis is not None and basis in ChatPanelBasis._value2member_map_:
        return ChatPanel(bool(visible), ChatPanelBasis(basis))
    return ChatPanel(bool(visible), ChatPanelBasis.DEFAULT if visible else ChatPanelBasis.REQUESTED)
