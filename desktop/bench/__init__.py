"""Benchmarks: ``make bench`` / ``python -m desktop.bench`` (issue 6).

Every figure is printed next to a reference measured in the same run and their ratio, so a table
from a slow machine still says something: the ratio travels, the absolute number does not.  Each
row says how it was measured ("median of N runs", "maximum of N runs", "one run"); a goal row has
a budget cell and a verdict.  Results go to ``bench-results/latest.json`` (git-ignored) with the
raw samples and the machine's load (load average before/after, share of the cores busy) for the
run and for each benchmark, and one Markdown table on stdout; ``--update-readme`` puts that table
into README.md between ``<!-- bench:start -->`` and ``<!-- bench:end -->`` and writes
``bench-results/readme.json``, committed with it.

The package may import the lab and Qt (it is never imported by the app).  Each benchmark is a
module with ``async def run(config) -> BenchResult`` (see :mod:`desktop.bench.report`); the
``--quick`` mode runs every one of them with tiny sizes so that the test suite can check the
JSON structure (never the times).
"""
