"""No colour is written in a widget: hex colours, named colours and style sheets live in
desktop/ui/theme.py only.

The files not converted yet are listed in :data:`NOT_YET_THEMED` with what they still hold; the
list may only shrink: a file that gets better must be lowered (or removed) here, so the count
never creeps back up.  To convert a file, see the "Theme" section of desktop/ui/theme.py's
docstring: ``theme.text_style``/``badge_style``/``banner_style`` through ``theme.style_with``,
``theme.state_color`` for painting, ``theme.emphasise`` instead of font style sheets.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parents[2] / "desktop" / "ui"
THEME = "theme.py"

HEX = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?(?:[0-9a-fA-F]{2})?\b")
NAMED = re.compile(r"QColor\(\s*['\"](?!#)")  # QColor("white"); hex ones are counted above
STYLE_SHEET = re.compile(r"\.setStyleSheet\(")
STRING_TOKENS = {tokenize.STRING} | ({tokenize.FSTRING_MIDDLE} if hasattr(tokenize, "FSTRING_MIDDLE") else set())

# file -> how many written colours / style-sheet calls it still holds (lead: empty this list)
NOT_YET_THEMED: dict[str, int] = {
}


def written_colours(path: Path) -> list[str]:
    """Every hex colour in a string, every ``QColor("name")`` and every ``setStyleSheet`` call."""
    source = path.read_text(encoding="utf-8")
    found: list[str] = []
    lines = source.splitlines()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in STRING_TOKENS:
            found += [f"{path.name}:{token.start[0]}: {match}" for match in HEX.findall(token.string)]
        elif token.type == tokenize.COMMENT:  # comments may name colours freely
            row, column = token.start
            lines[row - 1] = lines[row - 1][:column]
    for number, code in enumerate(lines, 1):
        for pattern in (NAMED, STYLE_SHEET):
            if pattern.search(code):
                found.append(f"{path.name}:{number}: {code.strip()}")
    return found


def ui_files() -> list[Path]:
    return sorted(path for path in UI.glob("*.py") if path.name != THEME)


def test_the_scanner_finds_what_it_must(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('a = "#c62828"\nb.setStyleSheet(f"color: {x};")\nc = QColor("white")\n'
                      'd = "#previewVideo { }"  # #fff in a comment is fine\n', encoding="utf-8")
    assert len(written_colours(sample)) == 3


@pytest.mark.parametrize("path", ui_files(), ids=lambda path: path.name)
def test_no_colour_is_written_outside_the_theme(path: Path) -> None:
    found = written_colours(path)
    allowed = NOT_YET_THEMED.get(path.name, 0)
    assert len(found) <= allowed, "colours belong in desktop/ui/theme.py:\n" + "\n".join(found)
    assert len(found) == allowed, (f"{path.name} now holds {len(found)}: lower NOT_YET_THEMED "
                                   f"to {len(found)} (or remove it at 0)")


def test_the_allow_list_names_existing_files() -> None:
    assert set(NOT_YET_THEMED) <= {path.name for path in ui_files()}
