import subprocess
import sys

from desktop.cli import main


def test_version_names_qt_libvlc_and_keyring(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--version"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Pupitre ")
    assert "Qt " in out and "libVLC" in out and "Keyring:" in out


def test_usage_error_exits_2(cli_env) -> None:  # type: ignore[no-untyped-def]
    proc = subprocess.run(
        [sys.executable, "-m", "desktop", "no-such-command"], env=cli_env, capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert "invalid choice" in proc.stderr
