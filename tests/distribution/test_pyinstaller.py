"""The PyInstaller spec's hand-kept lists, and the ICO/ICNS files made from the SVG."""

from __future__ import annotations

import ast
import importlib.util
import pkgutil
import struct
import sys
from types import ModuleType

import pytest

from tests.distribution.support import ROOT, SPEC_FILE


def _load_icons_script() -> ModuleType:
    """packaging/icons.py is a build script, not a package module: load it from its path."""
    spec = importlib.util.spec_from_file_location("pupitre_build_icons", ROOT / "packaging" / "icons.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


icons = _load_icons_script()


def spec_list(name: str) -> list[str]:
    tree = ast.parse(SPEC_FILE.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            value = ast.literal_eval(node.value)
            assert isinstance(value, list)
            return value
    raise AssertionError(f"{name} not found in the spec")


def test_spec_lists_every_cli_command_module() -> None:
    from desktop.cli import commands

    discovered = sorted(info.name for info in pkgutil.iter_modules(commands.__path__))
    assert sorted(spec_list("CLI_COMMANDS")) == discovered


@pytest.fixture(scope="module")
def pngs(qapp: object) -> dict[int, bytes]:
    sizes = set(icons.ICO_SIZES) | {size for _, size in icons.ICNS_TYPES}
    return {size: icons.render_png(size) for size in sizes}


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_ico_directory_points_at_each_png(pngs: dict[int, bytes]) -> None:
    data = icons.ico_bytes({size: pngs[size] for size in icons.ICO_SIZES})
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind, count) == (0, 1, len(icons.ICO_SIZES))
    for index, size in enumerate(sorted(icons.ICO_SIZES)):
        width, height, _, _, planes, bits, length, offset = struct.unpack("<BBBBHHII", data[6 + 16 * index: 22 + 16 * index])
        assert (width or 256, height or 256) == (size, size)
        assert (planes, bits) == (1, 32)
        assert png_size(data[offset: offset + length]) == (size, size)


def test_icns_elements_hold_pngs_of_the_right_size(pngs: dict[int, bytes]) -> None:
    data = icons.icns_bytes(pngs)
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    position, seen = 8, []
    while position < len(data):
        kind, length = data[position: position + 4], struct.unpack(">I", data[position + 4: position + 8])[0]
        expected = dict(icons.ICNS_TYPES)[kind]
        assert png_size(data[position + 8: position + length]) == (expected, expected)
        seen.append(kind)
        position += length
    assert seen == [kind for kind, _ in icons.ICNS_TYPES]
