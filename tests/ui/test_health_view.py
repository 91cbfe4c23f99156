from __future__ import annotations

from pytestqt.qtbot import QtBot

from desktop.ui import theme
from desktop.ui.health_view import HealthView
from desktop.webinar.state import Health, HealthRow
from desktop.webinar.state import HealthView as HealthModel


def test_rows_render_level_colour_and_reason(qtbot: QtBot) -> None:
    view = HealthView()
    qtbot.addWidget(view)
    model = HealthModel(
        meeting=HealthRow(Health.GOOD, "Meeting running, 412 participants."),
        gateway=HealthRow(Health.WARNING, "Gateway answered slowly (4.2 s)."),
        stream=HealthRow(Health.BAD, "The audience stream stopped advancing 20 s ago."),
        chat=HealthRow(Health.UNKNOWN, "Not connected."),
        participants=412,
    )
    view.update_from(model)
    for key, row in (("meeting", model.meeting), ("gateway", model.gateway), ("stream", model.stream),
                     ("chat", model.chat)):
        widget = view.rows[key]
        assert widget.level is row.level
        assert widget.property("level") == row.level.value
        assert widget.reason.text() == row.text
        assert widget.colour() == theme.state_color(theme.health_level(row.level)).name()
        assert widget.dot.accessibleName() and not widget.dot.pixmap().isNull()
    # a colour per level, and a shape too (the icon), and the level's word for screen readers
    assert len({view.rows[key].colour() for key in view.rows}) == 4
    assert len({view.rows[key].dot.accessibleName() for key in view.rows}) == 4
    assert "412" in view.participants.text()


def test_update_replaces_previous_rendering(qtbot: QtBot) -> None:
    view = HealthView()
    qtbot.addWidget(view)
    view.update_from(HealthModel(stream=HealthRow(Health.BAD, "down")))
    view.update_from(HealthModel(stream=HealthRow(Health.GOOD, "live, 4.1 s behind")))
    assert view.rows["stream"].level is Health.GOOD
    assert view.rows["stream"].reason.text() == "live, 4.1 s behind"
    assert view.participants.text() == ""


def test_event_log_newest_first_and_capped(qtbot: QtBot) -> None:
    view = HealthView(max_events=5)
    qtbot.addWidget(view)
    for i in range(8):
        view.add_event(f"event {i}", at=1_800_000_000.0 + i)
    texts = view.event_texts()
    assert len(texts) == 5
    assert texts[0].endswith("event 7")
    assert texts[-1].endswith("event 3")
    assert texts[0].startswith("08:00:07")


def test_the_rows_repaint_when_the_scheme_changes(qtbot: QtBot, qapp: object) -> None:
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QGuiApplication, QImage

    palette = QGuiApplication.palette()
    view = HealthView()
    qtbot.addWidget(view)
    view.update_from(HealthModel(stream=HealthRow(Health.BAD, "down")))
    dot = view.rows["stream"].dot

    def centre() -> str:
        image = dot.pixmap().toImage().convertToFormat(QImage.Format.Format_ARGB32)
        size = QSize(image.width(), image.height())
        return image.pixelColor(size.width() // 4, size.height() // 2).name()

    try:
        theme.force_scheme(theme.Scheme.LIGHT)
        light = centre()
        theme.force_scheme(theme.Scheme.DARK)
        assert centre() != light
        assert view.rows["stream"].colour() == theme.STATE_COLOURS[theme.Scheme.DARK][theme.Level.ERROR]
    finally:
        QGuiApplication.setPalette(palette)
        theme.watcher().refresh()
