"""Start at login: XDG autostart entries (in a temporary XDG_CONFIG_HOME) and the Windows Run key."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop import APP_ID
from desktop.ui.autostart import (
    Autostart,
    AutostartError,
    desktop_exec_line,
    launch_command,
    windows_command_line,
)


def parse_exec(value: str) -> list[str]:
    """Undo desktop_exec_line as the Desktop Entry spec says a desktop does: the string escape
    (``\\\\`` is one backslash), then the arguments (inside double quotes a backslash escapes
    one of ``"`$\\``), then ``%%`` is one percent sign."""
    text = value.replace("\\\\", "\\")
    args: list[str] = []
    current, quoted, in_arg, i = "", False, False, 0
    while i < len(text):
        char = text[i]
        if quoted:
            if char == "\\" and i + 1 < len(text) and text[i + 1] in '"`$\\':
                current += text[i + 1]
                i += 1
            elif char == '"':
                quoted = False
            else:
                current += char
        elif char == '"':
            quoted = in_arg = True
        elif char == " ":
            if in_arg:
                args.append(current)
            current, in_arg = "", False
        else:
            current += char
            in_arg = True
        i += 1
    assert not quoted, "unterminated quote"
    if in_arg:
        args.append(current)
    return [arg.replace("%%", "%") for arg in args]


def read_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


@pytest.fixture
def xdg(tmp_path: Path) -> dict[str, str]:
    return {"XDG_CONFIG_HOME": str(tmp_path / "config")}


def test_enable_writes_an_xdg_entry_named_after_the_app_id(xdg: dict[str, str], tmp_path: Path) -> None:
    command = [str(tmp_path / "my apps" / "pupitre"), "--home", "/data/100% ok"]
    autostart = Autostart(platform="linux", environ=xdg, command=command)
    assert autostart.supported and not autostart.is_enabled()

    autostart.enable()

    path = tmp_path / "config" / "autostart" / f"{APP_ID}.desktop"
    assert autostart.entry_path == path and path.is_file()
    assert autostart.is_enabled()
    entry = read_entry(path)
    assert entry["Type"] == "Application"
    assert entry["Icon"] == APP_ID
    assert parse_exec(entry["Exec"]) == command
    assert not list(path.parent.glob("*.tmp"))


def test_enabled_entry_passes_desktop_file_validate(xdg: dict[str, str]) -> None:
    validator = shutil.which("desktop-file-validate")
    if validator is None:
        pytest.skip("desktop-file-validate is not installed (packaging/dev.sh test installs it)")
    autostart = Autostart(platform="linux", environ=xdg, command=["/opt/Pupitre dir/pupitre"])
    autostart.enable()
    result = subprocess.run([validator, str(autostart.entry_path)], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stdout


def test_disable_removes_it_and_is_idempotent(xdg: dict[str, str]) -> None:
    autostart = Autostart(platform="linux", environ=xdg, command=["pupitre"])
    autostart.set_enabled(True)
    autostart.set_enabled(False)
    assert not autostart.entry_path.exists()
    assert not autostart.is_enabled()
    autostart.disable()  # already off: nothing to do, no error


def test_relative_xdg_config_home_is_ignored(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    autostart = Autostart(platform="linux", environ={"XDG_CONFIG_HOME": "relative/dir"}, command=["pupitre"])
    assert autostart.entry_path == tmp_path / "home" / ".config" / "autostart" / f"{APP_ID}.desktop"


def test_unwritable_folder_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "config"
    blocker.write_text("a file where the folder should be")
    autostart = Autostart(platform="linux", environ={"XDG_CONFIG_HOME": str(blocker)}, command=["pupitre"])
    with pytest.raises(AutostartError) as caught:
        autostart.enable()
    assert "login item" in caught.value.sentence


@pytest.mark.parametrize(
    ("platform", "environ"), [("darwin", {}), ("linux", {"FLATPAK_ID": APP_ID})]
)
def test_unsupported_places_say_what_to_do(platform: str, environ: dict[str, str], tmp_path: Path) -> None:
    autostart = Autostart(platform=platform, environ={**environ, "XDG_CONFIG_HOME": str(tmp_path)}, command=["pupitre"])
    assert not autostart.supported
    assert autostart.unsupported_reason
    assert not autostart.is_enabled()
    with pytest.raises(AutostartError):
        autostart.enable()
    assert not (tmp_path / "autostart").exists()


class FakeRunKey:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def set(self, name: str, value: str) -> None:
        self.values[name] = value

    def delete(self, name: str) -> None:
        self.values.pop(name, None)


def test_windows_uses_the_run_key_with_a_quoted_command() -> None:
    key = FakeRunKey()
    autostart = Autostart(platform="win32", environ={}, command=[r"C:\Program Files\Pupitre\pupitre.exe"], run_key=key)
    assert not autostart.is_enabled()
    autostart.enable()
    assert key.values == {APP_ID: r'"C:\Program Files\Pupitre\pupitre.exe"'}
    assert autostart.is_enabled()
    autostart.disable()
    assert key.values == {} and not autostart.is_enabled()


def test_windows_command_line_quotes_only_what_needs_it() -> None:
    assert windows_command_line([r"C:\P\pupitre.exe", "--lab"]) == r"C:\P\pupitre.exe --lab"


def test_launch_command_prefers_the_bundle_then_the_script() -> None:
    assert launch_command(frozen=True, executable="/opt/pupitre/pupitre") == ["/opt/pupitre/pupitre"]
    assert launch_command(frozen=False, executable="/usr/bin/python3", which="/usr/bin/pupitre") == ["/usr/bin/pupitre"]
    assert launch_command(frozen=False, executable="/usr/bin/python3", which="") == ["/usr/bin/python3", "-m", "desktop"]


@given(st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1), min_size=1, max_size=4))
def test_exec_quoting_round_trips(argv: list[str]) -> None:
    line = desktop_exec_line(argv)
    assert "\n" not in line
    assert parse_exec(line) == argv
