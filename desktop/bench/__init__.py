"""Benchmarks: ``make bench`` / ``python -m desktop.bench`` (issue 6).

Every figure is the median of several runs, printed next to a reference measured in the same run
and their ratio, so a table from a slow machine still says something: the ratio travels, the
absolute number does not.  Results go to ``bench-results/latest.json`` (git-ignored) and one
Markdown table on stdout; ``--update-readme`` puts that table into README.md between
``<!-- bench:start -->`` and ``<!-- bench:end -->``.

The package may import the lab and Qt (it is never imported by the app).  Each benchmark is a
module with ``async def run(config) -> BenchResult`` (see :mod:`desktop.bench.report`); the
``--quick`` mode runs every one of them with tiny sizes so that the test suite can check the
JSON structure (never the times).
"""
