"""``python -m desktop.bench [--quick] [--only golive,chat] [--update-readme]``: run the benchmarks,
print one Markdown table, write ``bench-results/latest.json`` (with ``--update-readme``, also
``bench-results/readme.json``, committed with the README it fed, so every figure of the table can be
traced to its raw samples and to the machine's load during the run)."""

from __future__ import annotations

import argparse
import asyncio
import faulthandler
import importlib
import logging
import os
import sys
import time
import traceback
from dataclasses import asdict, dataclass
from pathlib import Path

from desktop.bench.report import (
    BenchResult,
    document,
    load_during,
    load_line,
    load_snapshot,
    machine_info,
    machine_line,
    markdown_table,
    update_readme,
    write_json,
)

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = ("golive", "end_detection", "restart", "chat", "chat_ingest", "parsing", "preview", "startup", "recording")
README_JSON = ROOT / "bench-results" / "readme.json"


@dataclass
class BenchConfig:
    """Sizes and repetitions (the defaults keep ``make bench`` under about ten minutes)."""

    quick: bool = False
    runs_golive: int = 3
    runs_end: int = 5
    compression: float = 20.0
    runs_restart: int = 2
    chat_burst: int = 5000
    chat_rates: tuple[int, ...] = (10, 100, 1000)
    chat_rate_seconds: float = 3.0
    chat_memory: int = 100_000
    chat_view: int = 10_000
    ingest_rate: int = 1000
    ingest_seconds: float = 5.0
    parse_meetings: int = 2000
    parse_repeats: int = 7
    install_peers: bool = True
    peers_dir: str = "/tmp/pupitre-bench-peers"
    preview_samples: int = 6
    preview_opens: int = 4
    startup_runs: int = 3
    idle_seconds: float = 60.0
    settle_seconds: float = 5.0
    seed: int = 6

    @classmethod
    def quick_config(cls) -> BenchConfig:
        return cls(quick=True, runs_golive=1, runs_end=1, compression=60.0, runs_restart=1, chat_burst=200,
                   chat_rates=(10, 100), chat_rate_seconds=0.5, chat_memory=2000, chat_view=500,
                   ingest_rate=200, ingest_seconds=0.5,
                   parse_meetings=20, parse_repeats=2, install_peers=False, preview_samples=1, preview_opens=1, startup_runs=1,
                   idle_seconds=1.0, settle_seconds=0.5)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m desktop.bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run each (smoke test)")
    parser.add_argument("--only", default="", help=f"comma-separated subset of: {', '.join(BENCHMARKS)}")
    parser.add_argument("--runs", type=int, default=None, help="override the number of runs of every benchmark")
    parser.add_argument("--idle-seconds", type=float, default=None, help="idle CPU window (default 60)")
    parser.add_argument("--compression", type=float, default=None,
                        help="time compression factor k of the end-detection benchmark (default 20)")
    parser.add_argument("--no-install-peers", action="store_true",
                        help="do not pip-install the peer BBB clients (use those already in the peers folder)")
    parser.add_argument("--output", type=Path, default=ROOT / "bench-results" / "latest.json")
    parser.add_argument("--update-readme", action="store_true",
                        help="replace the <!-- bench:start -->…<!-- bench:end --> section of README.md")
    parser.add_argument("--verbose", action="store_true", help="show the app's and the lab's logs")
    return parser.parse_args(argv)


def make_config(args: argparse.Namespace) -> BenchConfig:
    config = BenchConfig.quick_config() if args.quick else BenchConfig()
    if args.runs is not None:
        config.runs_golive = config.runs_end = config.runs_restart = config.startup_runs = max(1, args.runs)
    if args.idle_seconds is not None:
        config.idle_seconds = args.idle_seconds
    if args.compression is not None:
        config.compression = max(1.0, args.compression)
    if args.no_install_peers:
        config.install_peers = False
    return config


async def run_all(names: list[str], config: BenchConfig) -> list[BenchResult]:
    results: list[BenchResult] = []
    for name in names:
        module = importlib.import_module(f"desktop.bench.{name}")
        started = time.monotonic()
        load_before = load_snapshot()
        print(f"[bench] {name}…", file=sys.stderr, flush=True)
        try:
            result: BenchResult = await module.run(config)
        except Exception as error:  # one broken benchmark must not hide the others' figures
            traceback.print_exc()
            result = BenchResult(name, name, skipped=f"failed: {error.__class__.__name__}: {error}")
        result.seconds = time.monotonic() - started
        result.load = load_during(load_before, load_snapshot())
        print(f"[bench] {name} done in {result.seconds:.1f} s", file=sys.stderr, flush=True)
        results.append(result)
    return results


def main(argv: list[str] | None = None) -> int:
    faulthandler.enable()  # a native crash (Qt, PyAV) prints its stack instead of vanishing
    args = parse_args(argv)
    # Qt work in this process (lab video, chat view) is offscreen; the preview and start-up
    # benchmarks start their own processes on an X server.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    logging.basicConfig(level=logging.INFO if args.verbose else logging.CRITICAL)
    names = [n.strip() for n in args.only.split(",") if n.strip()] or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)} (choose from {', '.join(BENCHMARKS)})", file=sys.stderr)
        return 2
    config = make_config(args)
    machine = machine_info()
    run_before = load_snapshot()
    results = asyncio.run(run_all(names, config))
    load = load_during(run_before, load_snapshot())
    table = markdown_table(results)
    data = document(results, machine, asdict(config), load)
    write_json(args.output, data)
    print(machine_line(machine), load_line(load))
    print()
    print(table)
    for result in results:
        for note in result.notes:
            print(f"- {result.key}: {note}")
    print(f"\nJSON: {args.output}")
    if args.update_readme:
        write_json(README_JSON, data)
        replaced = update_readme(ROOT / "README.md", table, machine, load, str(README_JSON.relative_to(ROOT)))
        print("README.md: benchmark section " + ("updated" if replaced else "added (## Benchmarks, at the end)")
              + f"; raw JSON: {README_JSON}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
