"""The package layering is a checked contract (every import statement, nested ones included).

* The core never imports the presentation or the tools: no ``ui``, ``cli``, ``lab`` or ``bench``.
* Chat and webinar do not import each other: the chat (reader, log, answers) is the lower layer
  and never imports ``webinar``; the webinar package reaches the chat through one module only,
  its chat follower (``webinar/live_chat.py``, which the manager owns).  What both need sits in
  neutral modules (``health``: the levels of a health row).  The follower is also the app's only
  builder of a chat reader: one follower for the CLI and the GUI.
* The lab emulates the servers from their own contracts and never imports the client's protocol
  code (``bbb``, ``gateways``, ``chat``, ``stream``): an emulator that shares the client's code
  shares its mistakes.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"
CORE = ("bbb", "chat", "config", "gateways", "net", "recording", "schedule", "secrets", "store", "stream", "webinar",
        "ascii_text", "errors", "health", "i18n", "join_link", "logs", "preflight", "private_files")
TOP = ("ui", "cli", "lab", "bench")
CLIENT_PROTOCOL = ("bbb", "gateways", "chat", "stream")
WEBINAR_CHAT_FOLLOWER = "webinar/live_chat.py"


def imports_of(package: str) -> dict[str, set[str]]:
    """``desktop.<x>`` packages imported by each file of ``package`` (a folder or a module)."""
    folder = DESKTOP / package
    files = sorted(folder.rglob("*.py")) if folder.is_dir() else [DESKTOP / f"{package}.py"]
    found: dict[str, set[str]] = {}
    for path in files:
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else [])
            targets.update(m.split(".")[1] for m in modules if m.startswith("desktop."))
        found[str(path.relative_to(DESKTOP))] = targets
    return found


@pytest.mark.parametrize("package", CORE)
def test_the_core_never_imports_the_ui_the_cli_the_lab_or_the_benchmarks(package: str) -> None:
    offenders = {f: sorted(t & set(TOP)) for f, t in imports_of(package).items() if t & set(TOP)}
    assert offenders == {}


def test_the_chat_never_imports_the_webinar_package() -> None:
    offenders = sorted(f for f, t in imports_of("chat").items() if "webinar" in t)
    assert offenders == []


def test_the_webinar_package_reaches_the_chat_only_through_its_chat_follower() -> None:
    importers = sorted(f for f, t in imports_of("webinar").items() if "chat" in t)
    assert importers == [WEBINAR_CHAT_FOLLOWER]


def test_the_app_builds_its_chat_pipeline_in_one_place_its_chat_follower() -> None:
    """One chat follower for the CLI and the GUI: no second place reads the chat on its own
    (the benchmarks measure the pieces and may build them)."""
    builders = set()
    for path in DESKTOP.rglob("*.py"):
        relative = str(path.relative_to(DESKTOP))
        if relative.startswith(("bench/", "chat/")):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute) and (
                    getattr(node.func, "id", None) or getattr(node.func, "attr", None)) in (
                    "ChatPipeline", "GraphQLChatSource"):
                builders.add(relative)
    assert builders == {WEBINAR_CHAT_FOLLOWER}


def test_the_lab_never_imports_the_clients_protocol_code() -> None:
    offenders = {f: sorted(t & set(CLIENT_PROTOCOL)) for f, t in imports_of("lab").items() if t & set(CLIENT_PROTOCOL)}
    assert offenders == {}


def test_the_scan_sees_imports() -> None:
    """The contract above could not fail if the scanner saw nothing."""
    assert "lab" in set().union(*imports_of("cli").values())
