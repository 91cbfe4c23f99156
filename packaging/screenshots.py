"""``make screenshots``: PNGs of the real app running against the lab, for the README and AppStream.

Runs under Xvfb on Qt's xcb platform (``make screenshots`` wraps it in ``xvfb-run``), so libVLC
really draws the audience stream into the embedded preview.  The script drives the app the way
a presenter does: it starts the app on the lab (``pupitre --lab``), selects the demo webinar,
clicks "Go live", opens the presenter's join link itself (the app's call to the browser is
caught, and the link is followed with an HTTP client, as the tests do), waits until the preview
has displayed real pictures, posts a few audience messages through the lab gateway's chat
endpoint and into the lab's BBB chat, then grabs the screen.

Windows are captured with ``QScreen.grabWindow`` — ``QWidget.grab`` renders Qt's own painting
and never contains the picture libVLC draws into the native child window.

``--scheme dark`` makes the dark set (``console-live-dark.png``…): it asks Qt for the dark
colour scheme (``QStyleHints.setColorScheme``, Qt >= 6.8) and, since Xvfb has no platform
theme to honour it, :func:`desktop.ui.theme.force_scheme` installs the theme's dark palette;
``make screenshots`` runs both schemes.

Nothing touches the user's settings or keyring: a temporary ``PUPITRE_HOME`` and keyring's
``fail`` backend are used.  Every wait is a condition with a deadline.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MAX_BYTES = 300_000
AUDIENCE = (
    ("Camille Martin", "Bonjour à tous ! Le son est parfait."),
    ("Lucas Bernard", "Will the slides be shared after the webinar?"),
    ("Inès Petit", "Est-ce que l'enregistrement sera disponible ?"),
    ("Noah Dubois", "How many people can follow the stream at once?"),
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "screenshots")
    parser.add_argument("--timeout", type=float, default=150.0, help="overall deadline (s)")
    parser.add_argument("--scheme", choices=("light", "dark"), default="light",
                        help="colour scheme; the dark set's files end in -dark")
    parser.add_argument("--min-pictures", type=int, default=75, help="pictures the preview must show first")
    return parser.parse_args()


async def until(predicate: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout:g} s waiting for {what}")
        await asyncio.sleep(0.1)  # an outside observer's poll interval


def save(image: object, path: Path) -> int:
    """Save a QImage as PNG under MAX_BYTES (palette-reduced, then scaled, if needed)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    assert isinstance(image, QImage)
    candidates = [image, image.convertToFormat(QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.ThresholdDither)]
    for candidate in candidates + [c.scaledToWidth(int(c.width() * 0.8), Qt.TransformationMode.SmoothTransformation)
                                   for c in candidates]:
        candidate.save(str(path), None, 0)  # format from the suffix; quality 0 = most compressed PNG
        size = path.stat().st_size
        if size <= MAX_BYTES:
            return size
    return path.stat().st_size


def grab(widget: object) -> object:
    from PySide6.QtWidgets import QWidget

    assert isinstance(widget, QWidget)
    window = widget.window()
    frame = window.frameGeometry()
    screen = window.screen()
    return screen.grabWindow(0, frame.x(), frame.y(), frame.width(), frame.height()).toImage()


def shot_name(name: str, scheme: str) -> str:
    """``console-live.png`` for the light set, ``console-live-dark.png`` for the dark one."""
    return name if scheme == "light" else name.replace(".png", f"-{scheme}.png")


async def scenario(app: object, out: Path, min_pictures: int, scheme: str = "light") -> list[str]:
    import httpx
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    from desktop.join_link import link_in_page
    from desktop.lab.audience import pod_message  # Pod's prefix and quote rule
    from desktop.ui.app import PupitreApplication
    from desktop.webinar.state import LiveState

    assert isinstance(app, PupitreApplication)
    shell, controller = app.shell, app.controller
    assert shell is not None and controller is not None
    notes: list[str] = []
    join_urls: list[str] = []

    def browser(url: QUrl) -> bool:
        # the app hands the browser a private page that redirects to the signed link
        join_urls.append(link_in_page(Path(url.toLocalFile())) if url.isLocalFile() else url.toString())
        return True

    setattr(QDesktopServices, "openUrl", staticmethod(browser))  # noqa: B010 - no browser for screenshots

    await controller.start(app.user_workspace, lab=True)
    lab = controller.workspace.lab if controller.workspace else None
    assert lab is not None
    console = shell.window.console_page
    await until(lambda: console.webinars.entry_keys(), 10, "the demo webinar")
    key = console.webinars.entry_keys()[0]
    console.select(key)
    console.panel.big_button.click()
    await until(lambda: join_urls, 30, "the presenter's join link")
    async with httpx.AsyncClient(follow_redirects=True, timeout=10) as client:
        (await client.get(join_urls[0])).raise_for_status()

    def state() -> LiveState | None:
        snapshot = controller.snapshot_for(key)
        return None if snapshot is None else snapshot.state

    await until(lambda: state() in (LiveState.LIVE, LiveState.FAILED), 90, "the live")
    snapshot = controller.snapshot_for(key)
    assert snapshot is not None and snapshot.state is LiveState.LIVE, snapshot
    # the audience talks through the gateway's chat endpoint, as Pod's live page does
    # ("(First Last) message"); a colleague in the meeting writes in BBB's chat directly
    gateway = lab.gateway(snapshot.gateway.removeprefix("lab-")) if snapshot.gateway else None
    if gateway is not None and gateway.kind == "sipmediagw-legacy":
        async with httpx.AsyncClient(timeout=10) as client:
            for name, text in AUDIENCE:
                reply = await client.post(f"{gateway.url}/chat", json={"room": snapshot.room, "msg": pod_message(name, text)})
                reply.raise_for_status()
    else:
        notes.append("the demo did not stream through a legacy gateway: no audience messages posted")
    meeting = lab.world.live_meeting(snapshot.meeting_id)
    if meeting is not None:
        lab.world.post_chat(meeting, text="Slides are on the course page.", sender_name="Dr. Anne Leroy",
                            sender_id="w_colleague")
    preview = console.preview
    if not preview.available:
        notes.append(f"libVLC unavailable ({preview.unavailable_reason}): the preview shows the install help")
    else:
        await until(lambda: preview.displayed_pictures() > min_pictures, 60, "pictures in the preview")
        shown = preview.displayed_pictures()
        # let the chat messages reach the picture: a few more seconds of video
        await until(lambda: preview.displayed_pictures() > shown + 60, 30, "more pictures")
    await until(lambda: console.preview.delay_label.text(), 15, "the measured delay")

    written = []
    size = save(grab(shell.window), out / shot_name("console-live.png", scheme))
    written.append(f"{shot_name('console-live.png', scheme)} ({size // 1000} kB)")

    try:
        from desktop.ui.settings_dialog import SettingsDialog
    except ImportError as error:
        notes.append(f"no settings dialog yet ({error})")
    else:
        assert controller.settings is not None
        dialog = SettingsDialog(controller.settings, store=controller.secrets, parent=shell.window)
        dialog.resize(820, 620)
        dialog.show()
        await until(lambda: dialog.windowHandle() is not None and dialog.windowHandle().isExposed(), 10,
                    "the settings dialog")
        await asyncio.sleep(0.3)  # one more paint after exposure (nothing to observe)
        size = save(grab(dialog), out / shot_name("settings.png", scheme))
        written.append(f"{shot_name('settings.png', scheme)} ({size // 1000} kB)")
        dialog.close()

    def chat_lines() -> int:
        log = controller.chats.log_for(key)
        return 0 if log is None else len(log)

    await until(lambda: chat_lines() >= len(AUDIENCE) + 1, 30, "the messages in the chat window's log")
    window = shell.chat_window_for(key)
    assert window is not None
    window.resize(560, 680)
    shell.open_chat(key)
    await until(lambda: window.windowHandle() is not None and window.windowHandle().isExposed()
                and window.frameGeometry().width() >= 560, 10, "the chat window")
    await asyncio.sleep(0.3)  # one more paint after exposure (nothing to observe)
    size = save(grab(window), out / shot_name("chat.png", scheme))
    written.append(f"{shot_name('chat.png', scheme)} ({size // 1000} kB)")

    controller.end_webinar(key)
    await until(lambda: state() is LiveState.ENDED, 60, "the end of the webinar")
    return written + [f"note: {note}" for note in notes]


def main() -> int:
    args = parse_args()
    if not os.environ.get("DISPLAY"):
        print("screenshots: needs an X display; run it with 'make screenshots' (xvfb-run)", file=sys.stderr)
        return 2
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    home = tempfile.TemporaryDirectory(prefix="pupitre-screenshots-")
    os.environ["PUPITRE_HOME"] = home.name
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    args.out.mkdir(parents=True, exist_ok=True)

    import qasync

    from desktop.config.paths import AppPaths
    from desktop.config.settings import Settings
    from desktop.lab.bbb import BBBOptions
    from desktop.lab.runner import LabOptions
    from desktop.ui.app import PupitreApplication
    from desktop.ui.i18n import install_translators

    paths = AppPaths.from_environment().ensure()
    app = PupitreApplication(sys.argv[:1], paths, Settings.load(paths.settings_file), lab=True)
    app.translators = install_translators(app, "en")
    if args.scheme == "dark":
        from desktop.ui.theme import Scheme, force_scheme

        force_scheme(Scheme.DARK)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    shell = app.build_ui(tray_available=lambda: False)
    assert app.controller is not None
    # the presenter's "browser" is one GET: keep its presence; a light picture for two cores
    app.controller.lab_options = LabOptions(video_size=(960, 540), fps=20,
                                            bbb=BBBOptions(page_presence_timeout=3600))
    shell.window.resize(1400, 820)
    shell.start()
    code = 0
    with loop:
        try:
            lines = loop.run_until_complete(asyncio.wait_for(scenario(app, args.out, args.min_pictures, args.scheme),
                                                             args.timeout))
            for line in lines:
                print(line)
        except (TimeoutError, AssertionError) as error:
            print(f"screenshots: {error}", file=sys.stderr)
            code = 1
        finally:
            loop.run_until_complete(app.controller.aclose())
            shell.close()
    home.cleanup()
    return code


if __name__ == "__main__":
    sys.exit(main())
