"""Build-time icon files from the one SVG source (``resources/icons/pupitre.svg``).

    python packaging/icons.py ico  OUT.ico    # Windows: 16…256 px, PNG-compressed entries
    python packaging/icons.py icns OUT.icns   # macOS: 16…1024 px (the Retina variants too)
    python packaging/icons.py png  OUT_DIR    # hicolor PNGs (OUT_DIR/<size>x<size>/apps/<APP_ID>.png)

Why write ICO and ICNS here rather than call ``iconutil``/ImageMagick: both formats are simple
containers of PNG images (ICO since Windows Vista, ICNS since macOS 10.7), Qt already renders the
SVG, and then one command works on every build machine — and is tested on Linux. Apple's own tool
gives the same result on a Mac::

    mkdir Pupitre.iconset   # icon_16x16.png, icon_16x16@2x.png … icon_512x512@2x.png
    iconutil -c icns Pupitre.iconset -o build/pupitre.icns

Runs with the project's venv (it needs PySide6) and Qt's offscreen platform (no display).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "icons" / "pupitre.svg"

ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types holding PNG data, by pixel size (Apple's "icns" type codes).
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"icp6", 64), (b"ic07", 128), (b"ic08", 256),
    (b"ic09", 512), (b"ic10", 1024), (b"ic11", 32), (b"ic12", 64), (b"ic13", 512),
    (b"ic14", 1024),
)
PNG_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def render_png(size: int, source: Path = SOURCE) -> bytes:
    """The SVG rendered at ``size`` x ``size`` pixels, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _keep.append(QGuiApplication([]))
    renderer = QSvgRenderer(str(source))
    if not renderer.isValid():
        raise ValueError(f"{source} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs want bytes; PySide6 takes str only
    buffer.close()
    return bytes(data.data())


_keep: list[object] = []  # the QGuiApplication must outlive the renderings


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICO container: ICONDIR, one ICONDIRENTRY per size, then the PNG images."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, images = b"", b""
    for size in sizes:
        png = pngs[size]
        dimension = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", dimension, dimension, 0, 0, 1, 32, len(png), offset)
        images += png
        offset += len(png)
    return header + entries + images


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICNS container: 'icns' + total length, then (type, length, PNG) elements."""
    body = b""
    for kind, size in ICNS_TYPES:
        png = pngs[size]
        body += kind + struct.pack(">I", 8 + len(png)) + png
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("ico", "icns", "png"):
        print(__doc__, file=sys.stderr)
        return 2
    kind, out = argv[0], Path(argv[1])
    if kind == "png":
        from desktop import APP_ID

        for size in PNG_SIZES:
            target = out / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(render_png(size))
        return 0
    out.parent.mkdir(parents=True, exist_ok=True)
    if kind == "ico":
        out.write_bytes(ico_bytes({size: render_png(size) for size in ICO_SIZES}))
    else:
        sizes = {size for _, size in ICNS_TYPES}
        out.write_bytes(icns_bytes({size: render_png(size) for size in sizes}))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main(sys.argv[1:]))
