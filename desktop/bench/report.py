"""Results of the benchmarks: rows with a figure, a reference and a ratio; the table; the JSON.

A :class:`Row` is one line of the printed table.  ``ratio`` is ``value / reference`` (so below 1
means "smaller than the reference"); ``budget`` is the promise of issue 6 in words and ``met`` is
whether the measured value keeps it (None when the row has no budget).  A benchmark that could
not run (no X server, no libVLC...) returns a result with ``skipped`` set to the reason, never a
fake number.
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

README_START = "<!-- bench:start -->"
README_END = "<!-- bench:end -->"


@dataclass
class Row:
    """One figure with its reference (measured in the same run)."""

    label: str
    value: float | None
    unit: str
    reference_label: str = ""
    reference: float | None = None
    budget: str = ""
    met: bool | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.value is None or self.reference is None or self.reference == 0:
            return None
        return self.value / self.reference

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ratio"] = self.ratio
        return data


@dataclass
class BenchResult:
    """What one benchmark measured: its rows, the raw samples, and how it measured them."""

    key: str
    title: str
    rows: list[Row] = field(default_factory=list)
    method: str = ""
    samples: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    skipped: str = ""
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "rows": [r.to_dict() for r in self.rows],
                "method": self.method, "samples": self.samples, "notes": self.notes,
                "skipped": self.skipped, "seconds": round(self.seconds, 2)}


def fmt(value: float | None, unit: str = "") -> str:
    """A figure with 3 significant digits (no scientific notation for everyday magnitudes)."""
    if value is None:
        return "–"
    magnitude = abs(value)
    if magnitude >= 1000:
        text = f"{value:,.0f}"
    elif magnitude >= 100:
        text = f"{value:.0f}"
    elif magnitude >= 10:
        text = f"{value:.1f}"
    elif magnitude >= 1:
        text = f"{value:.2f}"
    elif magnitude == 0:
        text = "0"
    else:
        text = f"{value:.3f}"
    return f"{text} {unit}".strip()


def fmt_ratio(ratio: float | None) -> str:
    if ratio is None:
        return "–"
    if ratio >= 100:
        return f"×{ratio:,.0f}"
    if ratio >= 10:
        return f"×{ratio:.1f}"
    return f"×{ratio:.2f}"


def _budget_cell(row: Row) -> str:
    if not row.budget:
        return ""
    mark = {True: "met", False: "**missed**", None: "?"}[row.met]
    return f"{row.budget} ({mark})"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table(results: list[BenchResult]) -> str:
    """One Markdown table for every result (skipped benchmarks get one explanatory row)."""
    lines = ["| # | measure | value | reference (same run) | ratio | budget |",
             "|---|---|---|---|---|---|"]
    for number, result in enumerate(results, 1):
        if result.skipped:
            lines.append(f"| {number} | {_cell(result.title)} | skipped | {_cell(result.skipped)} | | |")
            continue
        for row in result.rows:
            reference = f"{_cell(row.reference_label)}: {fmt(row.reference, row.unit)}" if row.reference_label else ""
            label = row.label + (f" ({row.note})" if row.note else "")
            lines.append(f"| {number} | {_cell(label)} | {fmt(row.value, row.unit)} | {reference} | "
                         f"{fmt_ratio(row.ratio)} | {_cell(_budget_cell(row))} |")
    return "\n".join(lines)


def _first_line(path: str, prefix: str) -> str:
    try:
        for line in Path(path).read_text(errors="replace").splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def _libvlc_version() -> str:
    try:
        import vlc

        raw = vlc.libvlc_get_version()
        return raw.decode() if isinstance(raw, bytes) else str(raw)
    except Exception as error:  # libVLC missing: say so instead of failing the report
        return f"unavailable ({error.__class__.__name__})"


def machine_info() -> dict[str, Any]:
    """The machine the figures come from (they mean little without it)."""
    try:
        import PySide6

        qt = PySide6.__version__
    except ImportError:
        qt = "unavailable"
    mem_kb = _first_line("/proc/meminfo", "MemTotal")
    ram_gib = round(int(mem_kb.split()[0]) / 1024 / 1024, 1) if mem_kb else None
    tesseract = ""
    try:
        out = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, timeout=10)
        tesseract = (out.stdout or out.stderr).splitlines()[0] if (out.stdout or out.stderr) else ""
    except (OSError, subprocess.SubprocessError):
        tesseract = "unavailable"
    return {
        "cpu": _first_line("/proc/cpuinfo", "model name") or platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "ram_gib": ram_gib,
        "os": platform.platform(),
        "python": platform.python_version(),
        "qt": qt,
        "libvlc": _libvlc_version(),
        "tesseract": tesseract,
        "load_average_at_start": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def machine_line(machine: dict[str, Any]) -> str:
    return (f"Measured on {machine.get('cpu')} ({machine.get('cores')} cores), {machine.get('ram_gib')} GiB RAM, "
            f"Python {machine.get('python')}, PySide6 {machine.get('qt')}, libVLC {machine.get('libvlc')}.")


def document(results: list[BenchResult], machine: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    return {
        "schema": 1,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "argv": sys.argv[1:],
        "options": options,
        "machine": machine,
        "results": [r.to_dict() for r in results],
    }


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    tmp.replace(path)


def update_readme(readme: Path, table: str, machine: dict[str, Any]) -> bool:
    """Replace the marked section of ``readme``; the first time (no markers yet) a "Benchmarks"
    section holding them is appended.  Returns True when the section was replaced, False when it
    was appended."""
    text = readme.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(README_START) + r".*?" + re.escape(README_END), re.DOTALL)
    body = (f"{README_START}\n{machine_line(machine)} "
            f"Run on {time.strftime('%Y-%m-%d')} with `make bench`.\n\n{table}\n{README_END}")
    if pattern.search(text):
        readme.write_text(pattern.sub(lambda _m: body, text, count=1), encoding="utf-8")
        return True
    readme.write_text(text.rstrip("\n") + "\n\n## Benchmarks\n\n" + body + "\n", encoding="utf-8")
    return False
