"""``pupitre webinar``: go live, stop or restart the live, end, toggle the chat panel, status,
watch, recover.

``start`` and ``adopt`` (and ``watch`` when nobody else does) *own* the live: they run the state
machine, its auto-stop watcher and the stream monitor until the webinar ends, and serve the
other commands' intents (:mod:`desktop.webinar.control`).  ``--detach`` returns once the
audience stream is live; the journal then lets ``watch``, ``recover`` or the app take over.
The other commands ask the owner, or — when no Pupitre process watches the webinar — act
themselves from the journal.

``--json`` prints one snapshot per line with the field names of
:meth:`desktop.webinar.state.LiveSnapshot.to_json` (documented in README).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import sys
import time
from typing import Any

from desktop.chat.model import ChatLog
from desktop.cli.commands.chat import message_line, message_record
from desktop.cli.context import CliContext
from desktop.cli.recording_option import apply_record_option
from desktop.cli.terminal import echo, json_line, terminal_safe
from desktop.errors import PupitreError
from desktop.i18n import N_, _
from desktop.join_link import open_in_browser
from desktop.webinar.control import (
    AlreadyOwned,
    ControlServer,
    claim,
    claim_or_refuse,
    find_owner,
    refuse_sentence,
    release,
    send_intent,
)
from desktop.webinar.events import (
    ChatPanelChanged,
    HealthChanged,
    LiveStopped,
    LiveUpdate,
    Notice,
    Origin,
    StateChanged,
    StepReached,
)
from desktop.webinar.journal import JournalEntry, JournalRowDamaged
from desktop.webinar.manager import WebinarManager
from desktop.webinar.recovery import (
    Recommendation,
    Reconciliation,
    apply,
    reconcile,
    reconcile_all,
    stop_gateways,
    take_over,
)
from desktop.webinar.session import LivePlan, LiveSession
from desktop.webinar.state import Intent, LiveSnapshot, LiveState

_INTENTS = {  # English; translated with _() where the parsers are built
    "stop-live": N_("Stop the stream only; the meeting goes on."),
    "restart-live": N_("Stop the stream, wait until it is down, start it again."),
    "end": N_("End the BBB meeting for everyone and stop the stream."),
    "toggle-chat": N_("Ask the gateway to show or hide BBB's chat panel in the stream (it cannot confirm it)."),
}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "webinar", help=_("go live, stop, restart, end; status, watch, recover"),
        description=_("Drive a webinar's live from the command line."))
    sub = parser.add_subparsers(dest="webinar_command", metavar="ACTION", required=True)

    start = sub.add_parser("start", help=_("take a scheduled webinar live (its next occurrence by default)"))
    start.add_argument("id", type=int, help=_("webinar id (pupitre schedule list)"))
    start.add_argument("--occurrence", type=int, help=_("occurrence index (0 = the first)"))
    _owner_options(start)
    start.set_defaults(func=_start)

    adopt = sub.add_parser("adopt", help=_("take live a meeting already running on the server"))
    adopt.add_argument("meeting_id", help=_("the BBB meetingID (pupitre meetings --running)"))
    adopt.add_argument("--title", help=_("title shown in Pupitre"))
    adopt.add_argument("--profile", help=_("BBB profile"))
    adopt.add_argument("--hide-chat-in-stream", action="store_true", help=_("hide BBB's chat panel in the video"))
    _owner_options(adopt)
    adopt.set_defaults(func=_adopt)

    for name, text in _INTENTS.items():
        action = sub.add_parser(name, help=_(text))
        action.add_argument("target", help=_("webinar id, or a session key such as 3:0 or adopted:MEETING"))
        action.add_argument("--json", action="store_true", help=_("print the resulting snapshot as JSON"))
        action.set_defaults(func=_intent, intent=name)

    status = sub.add_parser("status", help=_("state of the lives Pupitre knows about"))
    status.add_argument("target", nargs="?", help=_("webinar id or session key (default: all unfinished)"))
    status.add_argument("--json", action="store_true")
    status.set_defaults(func=_status)

    watch = sub.add_parser("watch", help=_("follow a live (state, health and chat) until it ends"))
    watch.add_argument("target", help=_("webinar id or session key"))
    watch.add_argument("--json", action="store_true", help=_("one JSON snapshot per line"))
    watch.set_defaults(func=_watch)

    recover = sub.add_parser("recover", help=_("after a crash: reconcile unfinished lives with reality"))
    recover.add_argument("--stop-all", action="store_true", help=_("stop every stream found, resume nothing"))
    recover.add_argument("--apply", action="store_true", help=_("apply each recommendation without asking"))
    recover.add_argument("--json", action="store_true")
    recover.set_defaults(func=_recover)


def _owner_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--gateway", help=_("gateway to try first"))
    parser.add_argument("--open-browser", action="store_true", help=_("open the presenter's join link in the browser"))
    parser.add_argument("--detach", action="store_true",
                        help=_("return once the stream is live (monitoring must then be resumed by watch/recover)"))
    parser.add_argument("--json", action="store_true", help=_("one JSON snapshot per line instead of progress text"))
    parser.add_argument("--record", action=argparse.BooleanOptionalAction, default=None,
                        help=_("record the live into the Videos folder (default: the record_live setting)"))


# -- output ---------------------------------------------------------------------------------
def chat_panel_text(state: str, confirmed: bool | None) -> str:
    """The chat panel in the stream for a terminal: "hide requested (not confirmed: check the
    preview)" — the gateways' toggle is unconfirmed, so a request is never printed as a fact."""
    if confirmed:
        return f"{state} (confirmed)"
    if state.endswith("requested"):
        return f"{state} (not confirmed: check the preview)"
    return f"{state} (BBB's default: no toggle sent)" if state.endswith("by default") else state


_STOPPED_BY = {  # who stopped a live, as the progress line says it
    Origin.PRESENTER: N_("Stopped by the presenter."),
    Origin.OTHER_PROCESS: N_("Stopped from another Pupitre process."),
    Origin.AUTO_STOP: N_("Stopped automatically: the meeting ended on the server."),
    Origin.SCHEDULED_END: N_("Stopped automatically at the scheduled end."),
    Origin.CRASH_RECOVERY: N_("Stopped by crash recovery."),
}


class Progress:
    """Prints what happens to a live as the session says it (its events), or one JSON snapshot
    per line."""

    def __init__(self, *, as_json: bool) -> None:
        self.as_json = as_json

    def snapshot(self, snap: LiveSnapshot) -> None:
        """The live as it is now (once, when following starts)."""
        if self.as_json:
            print(json_line(snap.to_json()), flush=True)
        else:
            self._state_line(snap, time.strftime("%H:%M:%S"))

    def update(self, update: LiveUpdate) -> None:
        snap = update.snapshot
        if self.as_json:
            print(json_line(snap.to_json()), flush=True)
            return
        stamp = time.strftime("%H:%M:%S")
        for event in update.events:
            if isinstance(event, StateChanged):
                self._state_line(snap, stamp)
            elif isinstance(event, StepReached):
                print(f"[{stamp}]   ✓ {event.step.value}", flush=True)
            elif isinstance(event, Notice):
                echo(f"[{stamp}]   {event.text}", flush=True)
            elif isinstance(event, LiveStopped):
                line = _(_STOPPED_BY[event.origin])
                if event.reason and event.origin is not Origin.PRESENTER:
                    line += f" {event.reason}"
                echo(f"[{stamp}]   {line}", flush=True)
            elif isinstance(event, ChatPanelChanged) and event.panel is not None:
                print(f"[{stamp}]   chat panel: {chat_panel_text(event.panel.state, event.panel.confirmed)}",
                      flush=True)
            elif isinstance(event, HealthChanged) and event.row.text:
                echo(f"[{stamp}]   {event.row_name}: {event.row.level.value} — {event.row.text}", flush=True)

    @staticmethod
    def _state_line(snap: LiveSnapshot, stamp: str) -> None:
        line = f"[{stamp}] {terminal_safe(snap.title)}: {snap.state.value}"
        if snap.state == LiveState.FAILED and snap.failure is not None:
            line += f" in “{snap.failure.step}”: {terminal_safe(snap.failure.sentence)}"
            if snap.failure.hint:
                line += f"\n           {terminal_safe(snap.failure.hint)}"
        print(line, flush=True)

    def chat(self, log: ChatLog, first: int, count: int) -> None:
        """New chat messages: one line each (hostile text neutralised), or ``{"chat": …}`` lines."""
        for index in range(first, first + count):
            message = log[index]
            if self.as_json:
                print(json_line({"chat": message_record(message)}), flush=True)
            else:
                print(f"  chat {message_line(message)}", flush=True)

    def join_url(self, url: str, *, open_browser: bool) -> None:
        if self.as_json:
            print(json.dumps({"presenter_join_url": url}), flush=True)
        else:
            print(_("Presenter’s join link (open it in your browser to join as moderator):") + f"\n  {url}", flush=True)
        if open_browser:
            try:
                open_in_browser(url)  # through a 0600 redirect page: the link stays out of ps
            except OSError as error:
                print(_("The browser could not be opened ({reason}): open the link yourself.").format(
                    reason=error.strerror or type(error).__name__), file=sys.stderr, flush=True)


# -- owning a live ----------------------------------------------------------------------------
def _control(ctx: CliContext, manager: WebinarManager) -> ControlServer:
    """The control server of this process: intents go to the session of the key they name."""
    return ControlServer(ctx.paths.data_dir / "run", lambda key, intent: _handle(manager.sessions[key], intent))


async def _own(ctx: CliContext, manager: WebinarManager, session: LiveSession, args: argparse.Namespace,
               *, go_live: bool, control: ControlServer | None = None) -> int:
    """Own ``session`` until it ends; ``control``: already started, with the session's claim."""
    progress = Progress(as_json=args.json)
    if control is None:
        control = _control(ctx, manager)
        try:
            await control.start()
            control.announce(session.plan.key)
        except BaseException:
            await control.close()
            await manager.aclose()
            raise
    session.add_update_listener(progress.update)
    chat = manager.chats.follow(session)  # read while the meeting runs; closed with the manager
    chat.log.add_listener(lambda first, count: progress.chat(chat.log, first, count), lambda _index: None)
    if go_live:
        session.on_presenter_join_url(lambda url: progress.join_url(url, open_browser=args.open_browser))
    progress.snapshot(session.snapshot)
    interrupted = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, interrupted.set)
    background: set[asyncio.Task[None]] = set()
    try:
        allowed = session.snapshot.allowed
        if go_live and Intent.START_LIVE in allowed and Intent.GO_LIVE not in allowed:
            # an adopted live with its stream off: start it again (failures end in "failed")
            background.add(asyncio.create_task(session.perform(Intent.START_LIVE)))
        elif go_live and Intent.GO_LIVE in allowed:
            await session.perform(Intent.GO_LIVE)
        # else: a live taken over is already under way: follow it

        def finished(snap: LiveSnapshot) -> bool:
            if snap.state.is_final:  # ended, failed, or cancelled (go_live returns in "checking")
                return snap.state is not LiveState.FAILED or not snap.gateway_running
            return bool(args.__dict__.get("detach")) and snap.state == LiveState.LIVE

        waiter = asyncio.create_task(session.wait_for(finished, timeout=7 * 24 * 3600))
        stopper = asyncio.create_task(interrupted.wait())
        done, _pending = await asyncio.wait({waiter, stopper}, return_when=asyncio.FIRST_COMPLETED)
        for task in (waiter, stopper):
            task.cancel()
        if stopper in done and not waiter.done():
            if session.snapshot.state.is_working:
                await session.cancel()
                print(_("Cancelled."), file=sys.stderr)
            elif session.snapshot.state.has_meeting:
                print(_("Detached: the live goes on. Run “pupitre webinar watch {key}” to monitor it again.").format(
                    key=session.plan.key), file=sys.stderr)
        snap = session.snapshot
        return 1 if snap.state == LiveState.FAILED else 0
    finally:
        for pending in background:
            pending.cancel()
        await control.close()
        await manager.aclose()


async def _handle(session: LiveSession, intent: str, *, origin: Origin = Origin.OTHER_PROCESS) -> dict[str, Any]:
    """Run an intent named on the command line or by another process ("status": nothing)."""
    if intent != "status":
        await session.perform(Intent(intent), origin=origin)
    return {"snapshot": session.snapshot.to_json()}


def _manager(ctx: CliContext) -> WebinarManager:
    return WebinarManager(ctx.paths, ctx.settings, ctx.secrets)


async def _claim_and_take_over(ctx: CliContext, manager: WebinarManager, key: str,
                               control: ControlServer) -> LiveSession | None:
    """Claim ``key`` for this process (refused when another owner holds it), then adopt or
    reconcile what the journal says may still run for it (:func:`take_over`)."""
    run_dir = ctx.paths.data_dir / "run"
    owner = await find_owner(run_dir, key)
    if owner is not None:
        raise AlreadyOwned(refuse_sentence(owner),
                           hint=_("Use “pupitre webinar watch {key}” to follow it.").format(key=key))
    await control.start()
    control.announce(key)  # the atomic step: two starts cannot both pass it
    return await take_over(manager, key)


async def _start_owning(ctx: CliContext, manager: WebinarManager, args: argparse.Namespace, plan: LivePlan) -> int:
    apply_record_option(manager, args)
    control = _control(ctx, manager)
    try:
        adopted = await _claim_and_take_over(ctx, manager, plan.key, control)
        session = adopted or manager.session(plan)
    except BaseException:
        await control.close()
        await manager.aclose()
        raise
    return await _own(ctx, manager, session, args, go_live=True, control=control)


async def _start(args: argparse.Namespace, ctx: CliContext) -> int:
    manager = _manager(ctx)
    try:
        plan = manager.plan_for(args.id, args.occurrence, gateway=args.gateway)
    except BaseException:
        await manager.aclose()
        raise
    return await _start_owning(ctx, manager, args, plan)


async def _adopt(args: argparse.Namespace, ctx: CliContext) -> int:
    manager = _manager(ctx)
    try:
        plan = manager.plan_for_meeting(args.meeting_id, title=args.title, profile=args.profile,
                                        gateway=args.gateway, chat_in_stream=not args.hide_chat_in_stream)
    except BaseException:
        await manager.aclose()
        raise
    return await _start_owning(ctx, manager, args, plan)


def _resolve_key(manager: WebinarManager, target: str) -> str:
    return manager.resolve_key(target)


async def _intent(args: argparse.Namespace, ctx: CliContext) -> int:
    manager = _manager(ctx)
    try:
        key = _resolve_key(manager, args.target)
        run_dir = ctx.paths.data_dir / "run"
        reply = await send_intent(run_dir, key, args.intent)
        if reply is not None:
            if args.intent == "end":
                await _stop_leftovers(manager, key)
            return _print_snapshot_json(reply["snapshot"], args.json)
        # no owner: act from the journal, holding the claim so that no start races this
        claim_or_refuse(run_dir, key, None)
        try:
            entry = manager.journal.get(key)
            if entry is None:
                raise PupitreError(_("Pupitre knows no live for “{target}”.").format(target=args.target),
                                   hint=_("Start it with “pupitre webinar start”."))
            if (args.intent in ("stop-live", "toggle-chat") and entry.state in (LiveState.IDLE, LiveState.ENDED)
                    and not entry.may_have_gateway):
                return _print_snapshot_json(_entry_json(entry), args.json)  # nothing streams: nothing to revive
            session = await _session_from_journal(manager, entry)
            await _handle(session, args.intent, origin=Origin.PRESENTER)
            if args.intent == "end":
                await _stop_leftovers(manager, key)
        finally:
            release(run_dir, key)
        snap = session.snapshot
        if snap.state == LiveState.LIVE:
            print(_("Note: no Pupitre process watches this live; run “pupitre webinar watch {key}”.").format(key=key),
                  file=sys.stderr)
        return _print_snapshot_json(snap.to_json(), args.json)
    finally:
        await manager.aclose()


async def _stop_leftovers(manager: WebinarManager, key: str) -> None:
    """After ``end``: a gateway of the history still open is an orphan of an earlier start (the
    owner closed its own row when it stopped it): stop it too, so that nothing publishes."""
    entry = manager.journal.get(key)
    if entry is None or not entry.open_gateways:
        return
    names = ", ".join(use.gateway for use in entry.open_gateways)
    await stop_gateways(manager, entry)
    print(_("Also stopped the gateways an earlier start left running: {gateways}.").format(gateways=names),
          file=sys.stderr)


async def _session_from_journal(manager: WebinarManager, entry: JournalEntry) -> LiveSession:
    rec = await reconcile(manager, entry)
    session = await apply(manager, rec, Recommendation.RESUME)
    assert session is not None
    return session


def _print_snapshot_json(data: dict[str, Any], as_json: bool) -> int:
    if as_json:
        CliContext.print_json(data)
    else:
        line = f"{data['title']}: {data['state']}"
        if data.get("failure"):
            line += f" — {data['failure']['sentence']}"
        elif data.get("notice"):
            line += f" — {data['notice']}"
        echo(line)
    return 1 if data["state"] == LiveState.FAILED.value else 0


def _warn_damaged(manager: WebinarManager) -> None:
    """One line on stderr per journal entry that could not be read (the others are listed)."""
    for key, reason in manager.journal.damaged.items():
        echo(JournalRowDamaged(key, reason).explain(), file=sys.stderr)


async def _status(args: argparse.Namespace, ctx: CliContext) -> int:
    manager = _manager(ctx)
    try:
        run_dir = ctx.paths.data_dir / "run"
        if args.target:
            keys = [_resolve_key(manager, args.target)]
        else:
            keys = [e.key for e in manager.journal.unfinished()]
            _warn_damaged(manager)
        rows: list[dict[str, Any]] = []
        for key in keys:
            owner = await find_owner(run_dir, key)
            reply = await send_intent(run_dir, key, "status") if owner is not None and owner.answering else None
            if reply is not None and owner is not None:
                rows.append({**reply["snapshot"], "watched_by_pid": owner.pid})
                continue
            entry = manager.journal.get(key)
            if entry is None:
                continue
            rows.append(_entry_json(entry))
        if args.json:
            CliContext.print_json(rows)
        elif not rows:
            print(_("No live in progress."))
        else:
            for row in rows:
                watched = (_("watched by pid {pid}").format(pid=row["watched_by_pid"]) if row.get("watched_by_pid")
                           else _("not watched by any Pupitre process"))
                echo(f"{row['key']}  {row['title']}: {row['state']} ({watched})")
                if row.get("chat_panel"):
                    print("    " + _("chat panel: {state}").format(
                        state=chat_panel_text(row["chat_panel"], row.get("chat_panel_confirmed"))))
                health = row.get("health") or {}
                for name in ("meeting", "gateway", "stream", "chat"):
                    item = health.get(name)
                    if item and item.get("level") != "unknown":
                        echo(f"    {name}: {item['level']} — {item['text']}")
        return 0
    finally:
        await manager.aclose()


def _entry_json(entry: JournalEntry) -> dict[str, Any]:
    snap = LiveSnapshot(key=entry.key, title=entry.title, meeting_id=entry.meeting_id, state=entry.state,
                        since=entry.updated_at, steps=entry.steps, gateway=entry.gateway, room=entry.room,
                        chat_panel=entry.chat_panel, live_since=entry.live_since,
                        failure=entry.failure)
    return {**snap.to_json(), "watched_by_pid": None}


async def _watch(args: argparse.Namespace, ctx: CliContext) -> int:
    manager = _manager(ctx)
    run_dir = ctx.paths.data_dir / "run"
    try:
        key = _resolve_key(manager, args.target)
    except BaseException:
        await manager.aclose()
        raise
    if await find_owner(run_dir, key) is not None:
        await manager.aclose()
        return await _follow_owner(run_dir, key, as_json=args.json)
    control = _control(ctx, manager)
    try:
        entry = manager.journal.get(key)
        if entry is None:
            raise PupitreError(f"Pupitre knows no live for “{args.target}”.")
        await control.start()
        control.announce(key)
        session = await _session_from_journal(manager, entry)
    except BaseException:
        await control.close()
        await manager.aclose()
        raise
    args.detach = False
    return await _own(ctx, manager, session, args, go_live=False, control=control)


async def _follow_owner(run_dir: Any, key: str, *, as_json: bool) -> int:
    """Follow a live owned by another process by asking it for its state once a second."""
    last: str | None = None
    while True:
        reply = await send_intent(run_dir, key, "status")
        if reply is None:
            print(_("The Pupitre process watching this live has gone."), file=sys.stderr)
            return 1
        snap = reply["snapshot"]
        line = json.dumps(snap, ensure_ascii=False) if as_json else f"{snap['title']}: {snap['state']} — " + \
            "; ".join(f"{n}: {snap['health'][n]['text']}" for n in ("meeting", "gateway", "stream")
                      if snap["health"][n]["level"] != "unknown")
        if line != last:
            print(line, flush=True)
            last = line
        if snap["state"] in (LiveState.ENDED.value, LiveState.FAILED.value):
            return 1 if snap["state"] == LiveState.FAILED.value else 0
        await asyncio.sleep(1.0)  # the refresh interval of this view


async def _recover(args: argparse.Namespace, ctx: CliContext) -> int:
    manager = _manager(ctx)
    run_dir = ctx.paths.data_dir / "run"
    control = _control(ctx, manager)
    owned = False
    try:
        found = [rec for rec in await reconcile_all(manager) if await find_owner(run_dir, rec.entry.key) is None]
        _warn_damaged(manager)
        if args.json and not (args.apply or args.stop_all):
            CliContext.print_json([rec.to_json() for rec in found])
            return 0
        if not found:
            print(_("Nothing to recover: no unfinished live."))
            return 0
        await control.start()
        manager.add_update_listener(Progress(as_json=args.json).update)  # "Stopped by crash recovery."
        resumed = []
        for rec in found:
            if not claim(run_dir, rec.entry.key):  # a start took it meanwhile: it reconciles it itself
                print(_("{key}  {title}: another Pupitre process has taken it over meanwhile; skipped.").format(
                    key=terminal_safe(rec.entry.key), title=terminal_safe(rec.entry.title)))
                continue
            if args.stop_all:
                choice = Recommendation.FORGET if rec.recommendation == Recommendation.FORGET \
                    else Recommendation.STOP
            elif args.apply:
                choice = rec.recommendation
            else:
                choice = _ask(rec)
            _describe(rec, choice)
            try:
                session = await apply(manager, rec, choice)
            except PupitreError as error:
                echo(f"  ✗ {error.explain()}")
                release(run_dir, rec.entry.key)
                continue
            if session is None:
                release(run_dir, rec.entry.key)
            else:
                control.announce(rec.entry.key)
                resumed.append(session)
        if resumed:
            print(_("Monitoring {count} live(s) until they end (Ctrl-C to detach).").format(count=len(resumed)))
            session = resumed[0]
            args.detach = False
            args.open_browser = False
            owned = True
            return await _own(ctx, manager, session, args, go_live=False, control=control)
        return 0
    finally:
        if not owned:
            await control.close()
        await manager.aclose()


def _describe(rec: Reconciliation, choice: Recommendation) -> None:
    echo(f"{rec.entry.key}  {rec.entry.title}: {rec.summary} → {choice.value}")


def _ask(rec: Reconciliation) -> Recommendation:
    if not sys.stdin or not sys.stdin.isatty():
        return rec.recommendation
    prompt = (f"{rec.entry.title}: {rec.summary}\n  [r]esume monitoring, [s]top the stream, [f]orget "
              f"(default {rec.recommendation.value}): ")
    answer = input(prompt).strip().lower()[:1]
    return {"r": Recommendation.RESUME, "s": Recommendation.STOP, "f": Recommendation.FORGET}.get(
        answer, rec.recommendation)
