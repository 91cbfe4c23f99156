"""The benchmark report's pure parts: interval unions, percentiles, the table, the README section."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from desktop.bench.end_detection import pod_wait_meeting_is_stopped
from desktop.bench.report import (
    README_END,
    README_START,
    BenchResult,
    Row,
    document,
    load_during,
    load_snapshot,
    markdown_table,
    update_readme,
)
from desktop.bench.timing import percentile, union_length

intervals = st.lists(st.tuples(st.floats(0, 100), st.floats(0, 100)).map(lambda t: (min(t), max(t))), max_size=30)


@given(intervals)
def test_union_is_bounded_by_the_window_and_the_sum(spans: list[tuple[float, float]]) -> None:
    total = union_length(spans, 10.0, 60.0)
    assert 0.0 <= total <= 50.0 + 1e-9
    assert total <= sum(min(b, 60) - max(a, 10) for a, b in spans if b > 10 and a < 60) + 1e-9


def test_union_merges_overlaps_and_clips() -> None:
    assert union_length([(0, 2), (1, 3), (5, 6)], 0, 10) == 4
    assert union_length([(0, 2), (1, 3), (5, 6)], 2.5, 5.5) == 1.0


def test_percentile_interpolates() -> None:
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 50) == 3.0
    assert percentile([0.0, 10.0], 99) == 9.9
    assert percentile([], 50) is None


def test_table_shows_ratio_budget_and_skip_reason() -> None:
    results = [BenchResult("a", "A", rows=[Row("x", 2.0, "s", "ref", 4.0, budget="≤ 3 s", met=True)]),
               BenchResult("b", "B | pipe", skipped="no X display")]
    table = markdown_table(results)
    assert "×0.50" in table and "| ≤ 3 s | met |" in table
    assert "no X display" in table and "B \\| pipe" in table


def test_every_goal_row_gets_a_budget_cell_and_a_verdict() -> None:
    rows = [Row("kept", 2.0, "s", budget="≤ 3 s", met=True), Row("broken", 4.0, "s", budget="≤ 3 s", met=False),
            Row("undecided", None, "s", budget="≤ 3 s"), Row("plain figure", 1.0, "s")]
    lines = markdown_table([BenchResult("a", "A", rows=rows)]).splitlines()
    assert lines[0].endswith("| budget | verdict |")
    cells = {line.split(" | ")[1]: line.rstrip(" |").split(" | ")[-2:] for line in lines[2:]}
    assert cells["kept"] == ["≤ 3 s", "met"]
    assert cells["broken"] == ["≤ 3 s", "**missed**"]
    assert cells["undecided"] == ["≤ 3 s", "not measured"]
    assert lines[-1].endswith("|  |  |")  # a figure without a budget claims no verdict


def test_the_json_carries_the_load_of_the_run_and_of_each_benchmark() -> None:
    before = {"time": 100.0, "loadavg": [0.5, 0.4, 0.3], "cpu_count": 2, "cpu_ticks": (1000, 4000)}
    after = {"time": 160.0, "loadavg": [1.5, 0.6, 0.4], "cpu_count": 2, "cpu_ticks": (1900, 5200)}
    load = load_during(before, after)
    assert load == {"seconds": 60.0, "cpu_count": 2, "loadavg_before": [0.5, 0.4, 0.3],
                    "loadavg_after": [1.5, 0.6, 0.4], "busy_share": 0.75}
    result = BenchResult("a", "A", rows=[Row("x", 1.0, "s")], load=load)
    data = document([result], {"cpu": "CPU"}, {"quick": True}, load)
    assert data["load"]["busy_share"] == 0.75 and data["results"][0]["load"]["loadavg_after"][0] == 1.5
    now = load_snapshot()
    assert now["cpu_count"] and len(now["loadavg"]) == 3


def test_readme_section_names_the_load_and_the_raw_json(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"{README_START}\nold\n{README_END}\n", encoding="utf-8")
    load = {"loadavg_before": [0.25, 0, 0], "loadavg_after": [1.5, 0, 0], "busy_share": 0.6, "cpu_count": 2}
    update_readme(readme, "| t |", {"cpu": "CPU", "cores": 2}, load, "bench-results/readme.json")
    text = readme.read_text(encoding="utf-8")
    assert "load average 0.25 before, 1.50 after" in text and "60 % of its 2 cores busy" in text
    assert "`bench-results/readme.json`" in text


def test_readme_section_is_replaced_only_between_markers(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{README_START}\nold\n{README_END}\noutro\n", encoding="utf-8")
    assert update_readme(readme, "| new |", {"cpu": "CPU", "cores": 2})
    text = readme.read_text(encoding="utf-8")
    assert "old" not in text and "| new |" in text and text.startswith("intro\n") and text.endswith("outro\n")
    plain = tmp_path / "plain.md"
    plain.write_text("no markers\n", encoding="utf-8")
    assert not update_readme(plain, "| first |", {})  # appended, markers included
    assert update_readme(plain, "| second |", {})
    text = plain.read_text(encoding="utf-8")
    assert text.startswith("no markers\n") and text.count(README_START) == 1
    assert "| second |" in text and "| first |" not in text


async def test_pod_loop_needs_two_consecutive_misses() -> None:
    answers = iter([True, False, True, False, False, True])
    stopped: list[int] = []

    async def is_running() -> bool:
        return next(answers)

    async def stop() -> None:
        stopped.append(1)

    checks = await pod_wait_meeting_is_stopped(is_running, stop, first_sleep=0, interval=0)
    assert checks == 5 and stopped == [1]


def test_the_preview_cause_note_prints_this_runs_figures_only() -> None:
    from desktop.bench.preview import cause_note

    note = cause_note(1.5, 1.7, 3.5, 4.25, 0, 2, 0, 1.25)
    assert "+0.20 s" in note and "+2.00 s" in note and "+2.75 s" in note and "(2 lost)" in note
    unmeasured = cause_note(None, None, None, None, None, None, 0, 1.5)
    assert "1.5x catch-up" in unmeasured  # the app's setting, passed in, not written in the note
    digits = "".join(c for c in unmeasured.replace("1.5x", "") if c.isdigit())
    assert digits == "0"  # the relay's lost-picture count, nothing else: no figure from a constant
