"""Results of the benchmarks: rows with a figure, a reference and a ratio; the table; the JSON.

A :class:`Row` is one line of the printed table.  ``ratio`` is ``value / reference`` (so below 1
means "smaller than the reference"); ``budget`` is the promise in words and ``met`` is whether the
measured value keeps it (None: not decided).  A row with a budget is a *goal row*: the table gives
it a budget cell and a verdict (met, missed, or "not measured").  A benchmark that could not run
(no X server, no libVLC...) returns a result with ``skipped`` set to the reason, never a fake
number.

The machine's load is part of every run: :func:`load_snapshot` before and after the whole run and
each benchmark (load average, CPU count, and the share of all cores busy in between, from
``/proc/stat``), so a figure from a busy machine says so in the JSON.
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
    load: dict[str, Any] = field(default_factory=dict)  # load_during() of this benchmark

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "rows": [r.to_dict() for r in self.rows],
                "method": self.method, "samples": self.samples, "notes": self.notes,
                "skipped": self.skipped, "seconds": round(self.seconds, 2), "load": self.load}


# -- the machine's load ----------------------------------------------------------------------------
def _cpu_ticks() -> tuple[int, int] | None:
    """(busy, total) jiffies of all CPUs from /proc/stat (None where there is no /proc)."""
    try:
        with open("/proc/stat", encoding="ascii") as handle:
            fields = [int(value) for value in handle.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields) - idle, sum(fields)


def load_snapshot() -> dict[str, Any]:
    """The machine's load now: load averages (1, 5, 15 min), CPU count, CPU tick counters."""
    return {"time": time.time(), "loadavg": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
            "cpu_count": os.cpu_count(), "cpu_ticks": _cpu_ticks()}


def load_during(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What the machine did between two snapshots: load averages at both ends and the share of
    all cores that was busy (this process included), 0–1."""
    busy_share = None
    ticks_a, ticks_b = before.get("cpu_ticks"), after.get("cpu_ticks")
    if ticks_a and ticks_b and ticks_b[1] > ticks_a[1]:
        busy_share = round((ticks_b[0] - ticks_a[0]) / (ticks_b[1] - ticks_a[1]), 3)
    return {"seconds": round(after["time"] - before["time"], 1), "cpu_count": after.get("cpu_count"),
            "loadavg_before": before.get("loadavg"), "loadavg_after": after.get("loadavg"),
            "busy_share": busy_share}


def load_line(load: dict[str, Any]) -> str:
    """One sentence for the README: how loaded the machine was while the table was measured."""
    if not load:
        return ""
    parts = []
    before, after = load.get("loadavg_before"), load.get("loadavg_after")
    if before and after:
        parts.append(f"load average {before[0]:.2f} before, {after[0]:.2f} after")
    if load.get("busy_share") is not None:
        parts.append(f"{load['busy_share'] * 100:.0f} % of its {load.get('cpu_count')} cores busy during the run")
    return ("Machine: " + "; ".join(parts) + ".") if parts else ""


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


def verdict(row: Row) -> str:
    """The verdict cell of a goal row ("" for a row without a budget)."""
    if not row.budget:
        return ""
    return {True: "met", False: "**missed**", None: "not measured"}[row.met]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table(results: list[BenchResult]) -> str:
    """One Markdown table for every result (skipped benchmarks get one explanatory row)."""
    lines = ["| # | measure | value | reference (same run) | ratio | budget | verdict |",
             "|---|---|---|---|---|---|---|"]
    for number, result in enumerate(results, 1):
        if result.skipped:
            lines.append(f"| {number} | {_cell(result.title)} | skipped | {_cell(result.skipped)} | | | |")
            continue
        for row in result.rows:
            reference = f"{_cell(row.reference_label)}: {fmt(row.reference, row.unit)}" if row.reference_label else ""
            label = row.label + (f" ({row.note})" if row.note else "")
            lines.append(f"| {number} | {_cell(label)} | {fmt(row.value, row.unit)} | {reference} | "
                         f"{fmt_ratio(row.ratio)} | {_cell(row.budget)} | {verdict(row)} |")
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
    }


def machine_line(machine: dict[str, Any]) -> str:
    return (f"Measured on {machine.get('cpu')} ({machine.get('cores')} cores), {machine.get('ram_gib')} GiB RAM, "
            f"Python {machine.get('python')}, PySide6 {machine.get('qt')}, libVLC {machine.get('libvlc')}.")


def document(results: list[BenchResult], machine: dict[str, Any], options: dict[str, Any],
             load: dict[str, Any] | None = None) -> dict[str, Any]:
    """The raw JSON of a run: options, machine, the load during the run, every result."""
    return {
        "schema": 2,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "argv": sys.argv[1:],
        "options": options,
        "machine": machine,
        "load": load or {},
        "results": [r.to_dict() for r in results],
    }


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    tmp.replace(path)


def update_readme(readme: Path, table: str, machine: dict[str, Any], load: dict[str, Any] | None = None,
                  raw: str = "") -> bool:
    """Replace the marked section of ``readme``; the first time (no markers yet) a "Benchmarks"
    section holding them is appended.  ``load`` (:func:`load_during` of the run) and ``raw`` (the
    committed JSON's path) are named under the table's heading line.  Returns True when the
    section was replaced, False when it was appended."""
    text = readme.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(README_START) + r".*?" + re.escape(README_END), re.DOTALL)
    trace = " ".join(part for part in (load_line(load or {}), f"Raw figures: `{raw}`." if raw else "") if part)
    body = (f"{README_START}\n{machine_line(machine)} "
            f"Run on {time.strftime('%Y-%m-%d')} with `make bench`."
            f"{' ' + trace if trace else ''}\n\n{table}\n{README_END}")
    if pattern.search(text):
        readme.write_text(pattern.sub(lambda _m: body, text, count=1), encoding="utf-8")
        return True
    readme.write_text(text.rstrip("\n") + "\n\n## Benchmarks\n\n" + body + "\n", encoding="utf-8")
    return False
