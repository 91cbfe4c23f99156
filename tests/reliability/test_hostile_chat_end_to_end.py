"""The hostile chat corpus end to end: posted in the lab BBB, read over GraphQL by the chat
pipeline, shown in the chat window — every text arrives byte for byte and is laid out literally.

The window's own rendering checks (the corpus ingested directly: literal text in the model,
visible control characters, a non-blank screenshot per row, and the failable ink-width check
that ``<b>HELLO</b>`` is painted as 12 characters, not as a bold word) are in
``tests/ui/test_chat_window.py``; this test adds the transport and the classifier in front.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from desktop.bbb import CreateParams
from desktop.chat.classify import Classifier
from desktop.chat.model import ChatLog
from desktop.chat.pipeline import ChatPipeline
from desktop.ui.chat_painter import visible_text
from desktop.ui.chat_window import ChatWindow
from tests.integration.conftest import World

pytestmark = pytest.mark.lab

CORPUS = [
    "<b>BOLD</b> <i>it</i> <script>alert('x')</script> <img src=x onerror=alert(1)>",
    "&lt;entities&gt; &amp; &#x41; <a href='javascript:alert(1)'>link</a> [md](javascript:x) **md**",
    "Q" * 5_000,
    "bell\x07 escape\x1b[31mred\x1b[0m del\x7f c1\x85 tab\tend\nnext line",
    "\u202eevil override gpj.exe \u202d and \u2067isolate\u2069 \u200f",
    "مرحبا بالجميع، هل يمكنكم سماعي؟ שלום",
    "emoji 👩🏽‍💻🎉 flags 🇫🇷 keycap 1️⃣",
    "zero\u200bwidth\u200c\u200djoiners\ufeff soft\u00adhyphen",
]


async def test_hostile_corpus_through_graphql_into_the_chat_window(lab_world: World, qapp: QApplication) -> None:
    lab, bbb = lab_world.lab, lab_world.manager.bbb()
    await bbb.create(CreateParams(name="Hostile", meeting_id="hostile-01"))
    meeting = lab.world.meeting("hostile-01")
    assert meeting is not None
    lab.world.enter(meeting, lab.world.register_user(meeting, full_name="Ada", role="MODERATOR"))
    log = ChatLog(Classifier())
    pipeline = ChatPipeline("adopted:hostile-01", "hostile-01", bbb, log=log)
    await pipeline.start()
    window = ChatWindow(log, title="Hostile corpus")
    try:
        await pipeline.wait_connected(10)
        for text in CORPUS:  # as Esup-Pod posts it through the gateway: "(First Last) text"
            lab.world.post_chat(meeting, text=f"(Eve <i>Hacker</i>\u202e) {text}", sender_name="streaming")
        await pipeline.wait_until(lambda: len(log) >= len(CORPUS), 15)

        window.resize(520, 900)
        window.show()
        QApplication.processEvents()
        window.rows.flush()
        width = window.view.viewport().width()
        for row, text in enumerate(CORPUS):
            message = log[row]
            assert message.raw_text == f"(Eve <i>Hacker</i>\u202e) {text}"  # nothing lost or altered
            assert message.text == text and message.author == "Eve <i>Hacker</i>\u202e", message
            assert window.rows.message_at(row) is message
            assert window.view.painter.laid_out(message, width).layout.text() == visible_text(text)
            window.view.ensure_visible(row)
            QApplication.processEvents()
            image = window.view.viewport().grab().toImage()
            colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
            assert len(colours) > 3, f"row {row} rendered blank"
    finally:
        window.dispose()
        window.close()
        await pipeline.stop()
        log.close()
