"""The theme: state colours readable in both schemes, never alone, and live scheme switching."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPalette
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desktop.ui import theme
from desktop.ui.theme import Level, Scheme

# Window and field backgrounds of the usual styles: Qt Fusion (light, and this module's dark
# fallback), GNOME Adwaita, KDE Breeze, Windows 11, macOS.
BACKGROUNDS = {
    Scheme.LIGHT: ["#ffffff", "#efefef", "#f6f5f4", "#eff0f1", "#f3f3f3", "#ececec", "#fafafa"],
    Scheme.DARK: ["#1e1e1e", "#2d2d2d", "#353535", "#242424", "#303030", "#202326", "#141618",
                  "#202020", "#323232"],
}
TEXT_CONTRAST = 4.5  # WCAG 2.x, SC 1.4.3 (normal text)
FILL_CONTRAST = 3.0  # WCAG 2.x, SC 1.4.11 (non-text contrast)


def relative_luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula_matches_wcag_examples() -> None:
    assert contrast(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert contrast(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("scheme", list(Scheme))
@pytest.mark.parametrize("level", list(Level))
def test_state_colours_read_as_text_and_fill_on_every_background(scheme: Scheme, level: Level) -> None:
    colour = theme.state_color(level, scheme)
    for background in BACKGROUNDS[scheme]:
        ratio = contrast(colour, QColor(background))
        assert ratio >= TEXT_CONTRAST, f"{level} on {background} ({scheme}): {ratio:.2f}"
        assert ratio >= FILL_CONTRAST
    # a badge's text on the level's fill
    assert contrast(QColor(theme.ON_FILL[scheme]), colour) >= TEXT_CONTRAST


@pytest.mark.parametrize("scheme", list(Scheme))
def test_fallback_palettes_are_readable_and_of_their_scheme(qapp: QGuiApplication, scheme: Scheme) -> None:
    palette = theme.fallback_palette(scheme)
    assert theme.scheme_of(palette) is scheme
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
        for level in Level:
            assert contrast(theme.state_color(level, scheme), palette.color(role)) >= TEXT_CONTRAST
    assert contrast(palette.color(QPalette.ColorRole.WindowText), palette.color(QPalette.ColorRole.Window)) >= 7
    assert contrast(palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base)) >= 7


def test_every_level_has_its_own_mark_and_word(qapp: QGuiApplication) -> None:
    marks = {level: theme.state_mark(level) for level in Level}
    assert all(mark.symbol and mark.word for mark in marks.values())
    # colour is never alone: a word tells each level apart
    assert len({mark.word for mark in marks.values()}) == len(Level)
    assert marks[Level.LIVE].text().endswith(marks[Level.LIVE].word)


def test_health_levels_map_to_theme_levels() -> None:
    from desktop.webinar.state import Health

    assert {theme.health_level(health) for health in Health} == {Level.OK, Level.WARNING, Level.ERROR,
                                                                 Level.UNKNOWN}


def test_state_icons_have_distinct_shapes_and_are_drawn_at_the_asked_scale(qapp: QGuiApplication) -> None:
    shapes = {}
    for level in Level:
        if level is Level.FAILED:
            continue  # the same shape as ERROR on purpose: both are "something broke"
        icon = theme.state_icon(level, Scheme.LIGHT)
        for scale in (1.0, 1.5, 2.0):
            pixmap = icon.pixmap(QSize(16, 16), scale)
            assert pixmap.width() == round(16 * scale)
            assert pixmap.devicePixelRatio() == pytest.approx(scale)
        image = icon.pixmap(QSize(32, 32), 1.0).toImage().convertToFormat(QImage.Format.Format_ARGB32)
        # the shape: the pixels painted in the level's colour (its outline and marks excluded)
        colour = theme.state_color(level, Scheme.LIGHT)
        shapes[level] = frozenset((x, y) for x in range(32) for y in range(32)
                                  if close(image.pixelColor(x, y), colour))
    assert len(set(shapes.values())) == len(shapes)


def close(a: QColor, b: QColor) -> bool:
    return a.alpha() > 200 and max(abs(a.red() - b.red()), abs(a.green() - b.green()), abs(a.blue() - b.blue())) < 12


@pytest.fixture
def restore_palette(qapp: QGuiApplication) -> Iterator[None]:
    palette = QGuiApplication.palette()
    yield
    qapp.setPalette(palette)
    theme.watcher().refresh()


def test_forcing_dark_switches_the_scheme_and_restyles_registered_widgets(qtbot: QtBot, restore_palette: None) -> None:
    label = QLabel("x")
    qtbot.addWidget(label)
    theme.force_scheme(Scheme.LIGHT)
    theme.style_with(label, lambda: theme.text_style(Level.ERROR))
    assert theme.STATE_COLOURS[Scheme.LIGHT][Level.ERROR] in label.styleSheet()
    with qtbot.waitSignal(theme.watcher().scheme_changed) as blocker:
        theme.force_scheme(Scheme.DARK)
    assert blocker.args == [Scheme.DARK]
    assert theme.current_scheme() is Scheme.DARK
    assert theme.STATE_COLOURS[Scheme.DARK][Level.ERROR] in label.styleSheet()
    assert theme.ON_FILL[Scheme.DARK] in theme.badge_style(Level.LIVE)


def test_a_deleted_widget_is_no_longer_restyled(qtbot: QtBot, restore_palette: None) -> None:
    calls: list[int] = []
    label = QLabel("x")
    theme.force_scheme(Scheme.LIGHT)
    theme.on_scheme_change(label, lambda: calls.append(1))
    assert calls == [1]
    with qtbot.waitSignal(label.destroyed):
        label.deleteLater()
    theme.force_scheme(Scheme.DARK)
    assert calls == [1]


def test_the_big_button_style_is_readable_and_has_a_disabled_look(qapp: QGuiApplication) -> None:
    style = theme.button_style(Level.OK)
    scheme = theme.current_scheme()
    assert theme.STATE_COLOURS[scheme][Level.OK] in style and theme.ON_FILL[scheme] in style
    assert "QPushButton:disabled" in style


def test_style_with_twice_replaces_the_style_instead_of_stacking(qtbot: QtBot, restore_palette: None) -> None:
    label = QLabel("x")
    qtbot.addWidget(label)
    theme.force_scheme(Scheme.LIGHT)
    theme.style_with(label, lambda: theme.text_style(Level.ERROR))
    theme.style_with(label, lambda: theme.text_style(Level.OK))
    assert len(label.findChildren(theme._Restyler)) == 1
    theme.force_scheme(Scheme.DARK)
    assert label.styleSheet() == theme.text_style(Level.OK)
    assert theme.STATE_COLOURS[Scheme.DARK][Level.OK] in label.styleSheet()
    theme.clear_style(label)
    assert label.styleSheet() == ""


@pytest.mark.parametrize("scheme", list(Scheme))
@pytest.mark.parametrize("kind", ["audience", "panelist", "presenter_answer", "system"])
def test_chat_message_colours_read_in_both_schemes(qapp: QGuiApplication, restore_palette: None,
                                                   scheme: Scheme, kind: str) -> None:
    from desktop.chat.message import MessageKind

    qapp.setPalette(theme.fallback_palette(scheme))
    colours = theme.chat_colours(MessageKind(kind))
    assert contrast(colours.text, colours.bubble) >= TEXT_CONTRAST
    for accent in (colours.badge, colours.muted, colours.failed, colours.question):
        assert contrast(accent, colours.bubble) >= FILL_CONTRAST
    assert contrast(colours.on_badge, colours.badge) >= TEXT_CONTRAST


def test_every_message_kind_and_check_level_has_a_theme_level() -> None:
    from desktop.chat.message import MessageKind
    from desktop.preflight import Level as CheckLevel

    assert {str(kind) for kind in MessageKind} == set(theme.MESSAGE_KIND_LEVELS)
    assert [theme.check_level(level) for level in CheckLevel] == [Level.OK, Level.WARNING, Level.ERROR]


def test_muted_text_and_video_surfaces_come_from_the_palette(qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt

    label, video = QLabel("hint"), QLabel()
    qtbot.addWidget(label)
    qtbot.addWidget(video)
    theme.mute(label)
    theme.video_surface(video)
    assert label.foregroundRole() is QPalette.ColorRole.PlaceholderText and not label.styleSheet()
    assert video.palette().color(QPalette.ColorRole.Window) == QColor(Qt.GlobalColor.black)
    assert video.autoFillBackground()


def test_a_reported_system_scheme_without_its_palette_gets_the_theme_s(qapp: QGuiApplication,
                                                                     restore_palette: None) -> None:
    from PySide6.QtCore import Qt

    theme.force_scheme(Scheme.LIGHT)
    assert not theme.sync_palette_to(Qt.ColorScheme.Unknown)  # nothing reported: nothing done
    assert not theme.sync_palette_to(Qt.ColorScheme.Light)  # already light
    assert theme.sync_palette_to(Qt.ColorScheme.Dark)
    assert theme.current_scheme() is Scheme.DARK and theme.watcher().scheme is Scheme.DARK
    assert theme.sync_palette_to(Qt.ColorScheme.Light)
    assert theme.current_scheme() is Scheme.LIGHT
    theme.follow_system()  # offscreen reports Unknown: the palette stays as it is
    assert theme.current_scheme() is Scheme.LIGHT
