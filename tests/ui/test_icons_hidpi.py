"""Icons are vectors, rendered for the screen's scale: crisp at 1x, 1.5x and 2x, never a
small bitmap scaled up (the tray icon included: it is one of these SVGs)."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QImage, QImageReader

from desktop.ui import theme
from desktop.ui.resources import icon_path, load_icon, resources_dir

SCALES = (1.0, 1.5, 2.0)
ROOT = resources_dir()
assert ROOT is not None
ICON_NAMES = sorted(path.stem for path in (ROOT / "icons").glob("*.svg"))
SVG = "{http://www.w3.org/2000/svg}"


def test_the_svg_image_plugin_is_installed() -> None:
    # without QtSvg's plugin every QIcon below would be null and the drawn fallback would show
    assert b"svg" in [bytes(fmt.data()) for fmt in QImageReader.supportedImageFormats()]


def test_the_app_and_tray_icons_exist() -> None:
    assert {"pupitre", "tray-idle", "tray-soon", "tray-live", "tray-problem"} <= set(ICON_NAMES)


@pytest.mark.parametrize("name", ICON_NAMES)
def test_icon_files_are_pure_vectors(name: str) -> None:
    path = icon_path(name)
    assert path is not None
    root = ElementTree.parse(path).getroot()
    assert root.get("viewBox"), "a viewBox lets QtSvg scale the drawing"
    assert not list(root.iter(f"{SVG}image")), "an embedded bitmap would be upscaled at 2x"


def upscaled(image: QImage, size: QSize) -> QImage:
    return image.scaled(size, Qt.AspectRatioMode.IgnoreAspectRatio,
                        Qt.TransformationMode.SmoothTransformation).convertToFormat(QImage.Format.Format_ARGB32)


def edge_levels(image: QImage) -> int:
    """How many distinct alpha levels the picture has: a vector rendering antialiases its
    edges at the target resolution."""
    return len({image.pixelColor(x, y).alpha() for x in range(image.width()) for y in range(image.height())})


@pytest.mark.parametrize("name", ICON_NAMES)
@pytest.mark.parametrize("logical", (16, 24, 32))
def test_icons_render_at_the_screen_scale_not_upscaled(qapp: QGuiApplication, name: str, logical: int) -> None:
    icon = load_icon(name)
    assert not icon.isNull()
    base = icon.pixmap(QSize(logical, logical), 1.0).toImage().convertToFormat(QImage.Format.Format_ARGB32)
    for scale in SCALES:
        pixmap = icon.pixmap(QSize(logical, logical), scale)
        assert pixmap.devicePixelRatio() == pytest.approx(scale)
        physical = QSize(round(logical * scale), round(logical * scale))
        assert pixmap.size() == physical, f"{name} at {scale}x"
        if scale == 1.0:
            continue
        image = pixmap.toImage().convertToFormat(QImage.Format.Format_ARGB32)
        # drawn again at the finer grid: not the 1x picture stretched
        assert image != upscaled(base, physical)
        assert image.pixelColor(physical.width() // 2, physical.height() // 2).alpha() > 0


@pytest.mark.parametrize("level", list(theme.Level))
def test_drawn_fallback_icons_are_drawn_at_each_scale(qapp: QGuiApplication, level: theme.Level) -> None:
    icon: QIcon = load_icon("no-such-icon-for-the-test", level)
    for scale in SCALES:
        pixmap = icon.pixmap(QSize(24, 24), scale)
        assert pixmap.size() == QSize(round(24 * scale), round(24 * scale))
    fine = icon.pixmap(QSize(24, 24), 2.0).toImage().convertToFormat(QImage.Format.Format_ARGB32)
    coarse = icon.pixmap(QSize(24, 24), 1.0).toImage()
    assert fine != upscaled(coarse, fine.size())
    assert edge_levels(fine) > 2
