"""The tray and app icons stay legible at tray sizes on light and dark panels.

"Legible" made measurable: rendered at 16 and 22 px on a light and a dark panel colour, a
good share of the icon's box must stand out from the panel (WCAG contrast ratio >= 3, the
threshold for graphical objects), and the four tray states must differ from one another.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from tests.distribution.support import RESOURCES

PANELS = {"light": "#f3f3f3", "dark": "#2b2b2b"}
TRAY = ["tray-idle", "tray-soon", "tray-live", "tray-problem"]


def luminance(color: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF())


def contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def render(name: str, size: int, panel: str) -> QImage:
    renderer = QSvgRenderer(str(RESOURCES / "icons" / f"{name}.svg"))
    assert renderer.isValid(), name
    image = QImage(size, size, QImage.Format.Format_RGB32)
    image.fill(QColor(panel))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def standing_out(image: QImage, panel: str) -> float:
    background = QColor(panel)
    pixels = [image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())]
    return sum(contrast(p, background) >= 3 for p in pixels) / len(pixels)


@pytest.mark.parametrize("panel", PANELS)
@pytest.mark.parametrize("size", [16, 22])
@pytest.mark.parametrize("name", [*TRAY, "pupitre"])
def test_icon_stands_out_from_the_panel(qapp: object, name: str, size: int, panel: str) -> None:
    share = standing_out(render(name, size, PANELS[panel]), PANELS[panel])
    assert share >= 0.2, f"{name} at {size} px on a {panel} panel: only {share:.0%} of it stands out"


@pytest.mark.parametrize("panel", PANELS)
def test_tray_states_look_different_at_16_px(qapp: object, panel: str) -> None:
    images = {name: render(name, 16, PANELS[panel]) for name in TRAY}
    for i, first in enumerate(TRAY):
        for second in TRAY[i + 1:]:
            a, b = images[first], images[second]
            differing = sum(
                contrast(a.pixelColor(x, y), b.pixelColor(x, y)) >= 1.5 for x in range(16) for y in range(16)
            )
            assert differing >= 40, f"{first} and {second} look alike at 16 px on a {panel} panel"
