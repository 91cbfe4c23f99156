"""Write ``python3-requirements.json``: the Flatpak module that installs Pupitre's Python deps.

    python packaging/flatpak/make_python_modules.py > packaging/flatpak/python3-requirements.json

Why not plain ``flatpak-pip-generator``: by default it builds every package from its source
archive inside the SDK, and PySide6/shiboken6 (Qt itself), PyAV (FFmpeg) and cryptography (Rust)
cannot reasonably be built there. Pupitre runs on the wheels it is tested with, as OnionShare's
Flatpak does. This script asks pip which wheel it would install for the runtime's Python on each
architecture (``pip install --dry-run --report``, hash-checked against requirements.txt) and
writes one ``file`` source per wheel, with the download address pip reports and its sha256,
restricted to its architecture with ``only-arches``. Flatpak builds offline from those files.

With flatpak-builder-tools instead (then edit PySide6-Essentials, shiboken6, av, lxml,
cryptography and cffi into wheel sources by hand, as above):

    flatpak-pip-generator --runtime=org.freedesktop.Sdk//25.08 \\
        --requirements-file=packaging/flatpak/requirements.txt --output python3-requirements

Run it with network access on the packaging machine; the result is not kept in git (regenerate
it whenever requirements.txt changes).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE / "requirements.txt"
PYTHON_VERSION = "3.13"  # org.freedesktop.Platform 25.08 (glibc 2.41: manylinux up to 2_39 is fine)
ARCHES = {
    "x86_64": ["manylinux_2_39_x86_64", "manylinux_2_34_x86_64", "manylinux_2_28_x86_64", "manylinux_2_17_x86_64",
               "manylinux2014_x86_64", "manylinux_2_5_x86_64", "manylinux1_x86_64"],
    "aarch64": ["manylinux_2_39_aarch64", "manylinux_2_34_aarch64", "manylinux_2_28_aarch64", "manylinux_2_17_aarch64",
                "manylinux2014_aarch64"],
}


def resolve(platforms: list[str]) -> list[dict[str, Any]]:
    """pip's installation report (wheels only, hash-checked) for one architecture."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        command = [
            sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--ignore-installed",
            "--no-deps", "--require-hashes", "--only-binary=:all:", "--implementation", "cp",
            "--python-version", PYTHON_VERSION, "--target", str(Path(tmp) / "target"),
            "--report", str(report), "-r", str(REQUIREMENTS),
        ]
        for platform in platforms:
            command += ["--platform", platform]
        subprocess.run(command, check=True)
        installs: list[dict[str, Any]] = json.loads(report.read_text())["install"]
        return installs


def module(installs_by_arch: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    sources: dict[str, dict[str, Any]] = {}
    names: list[str] = []
    for arch, installs in installs_by_arch.items():
        for item in installs:
            name = item["metadata"]["name"]
            if name not in names:
                names.append(name)
            url = item["download_info"]["url"]
            sha256 = item["download_info"]["archive_info"]["hashes"]["sha256"]
            source = sources.setdefault(sha256, {"type": "file", "url": url, "sha256": sha256, "only-arches": []})
            source["only-arches"].append(arch)
    for source in sources.values():
        if sorted(source["only-arches"]) == sorted(installs_by_arch):
            del source["only-arches"]  # a pure-Python wheel: every architecture
    return {
        "name": "python3-requirements",
        "buildsystem": "simple",
        "build-commands": [
            "pip3 install --verbose --exists-action=i --no-index --find-links=\"file://${PWD}\" "
            "--prefix=${FLATPAK_DEST} --no-build-isolation " + " ".join(sorted(names))
        ],
        "sources": sorted(sources.values(), key=lambda s: s["url"].rsplit("/", 1)[-1]),
    }


def main() -> int:
    installs = {arch: resolve(platforms) for arch, platforms in ARCHES.items()}
    json.dump(module(installs), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
