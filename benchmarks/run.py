"""All benchmarks in one table, each figure a ratio against a baseline measured in the same run.

Run: python benchmarks/run.py [--quick] [--count N] [--scaling]

  rollup    `safeaudit rollup` over N generated audits vs only parsing them with the C loader,
            one process and all cores, and a re-run after 1% of the files changed, with peak
            memory of each child process
  lint      `safeaudit lint` of the shipped checklists vs `yamllint` on the same files
  startup   `safeaudit --version` / `--help` vs `yamllint --version` (startup.py)
  report    `safeaudit report --html` of the primary KCSIE 2026 example vs a Typer app with
            report's options that imports jinja2, pydantic and yaml and does nothing
            (report_bench.py)

--quick uses about 1,000 files and fewer repetitions (under a minute once the files exist);
--scaling also times rollup at 1,000 and 6,000 files; --no-rollup leaves rollup out. Nothing here asserts on timings.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import lint_bench  # noqa: E402
import report_bench  # noqa: E402
import rollup_bench  # noqa: E402
import startup  # noqa: E402

Row = tuple[str, str, str, float | None, str]


def _report(repeat: int) -> list[Row]:
    """report_bench.py: the report against the Typer-stack floor, wall time (CPU in brackets)."""
    samples = report_bench.measure(report_bench.DEFAULT, repeat)
    floor = samples["floor"]
    rows: list[Row] = []
    for name, label, goal in (
        ("warm", "report --html (checklist cached)", "<= 1.2"),
        ("cold", "report --html (empty cache)", ""),
    ):
        s = samples[name]
        rows.append(
            (
                label,
                f"{s.median_wall * 1000:.0f} ms (CPU {s.median_cpu / floor.median_cpu:.2f}x)",
                f"{floor.median_wall * 1000:.0f} ms floor",
                s.median_wall / floor.median_wall,
                goal,
            )
        )
    return rows


def _rollup(count: int, repeat: int) -> list[Row]:
    folder = rollup_bench.ensure_data(count)
    figures, same = rollup_bench.measure(folder, repeat=repeat)
    base, base_peak = figures["baseline"]
    rows: list[Row] = []
    for name, label, goal in (
        ("rollup-1", f"rollup {count:,} files, 1 process", "<= 1.5"),
        ("rollup", f"rollup {count:,} files, all cores", "<= 1.0"),
        ("rerun", f"  re-run, 1% changed (output {same})", "<= 0.1"),
    ):
        seconds, peak = figures[name]
        memory = f", peak {peak / 1024:.0f} MB" if peak else ""
        rows.append(
            (label, f"{seconds:.2f} s{memory}", f"{base:.2f} s parse", seconds / base, goal)
        )
    if base_peak:
        rows.append(
            (f"  (C-loader parse floor, peak memory {base_peak / 1024:.0f} MB)", "", "", None, "")
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--count", type=int, default=None)
    parser.add_argument("--scaling", action="store_true")
    parser.add_argument("--no-rollup", action="store_true", help="skip the rollup figures")
    args = parser.parse_args()
    count = args.count or (1_000 if args.quick else 24_000)
    repeat = 1 if args.quick else 3
    started = time.perf_counter()
    rows: list[Row] = []
    if args.scaling and not args.no_rollup:
        for smaller in (1_000, 6_000):
            if smaller < count:
                rows += _rollup(smaller, 1)
    if not args.no_rollup:
        rows += _rollup(count, 1 if count >= 6_000 else repeat)
    base, ours, files = lint_bench.measure(3 if args.quick else 7)
    rows.append(
        (
            f"lint ({files} shipped checklists)",
            f"{ours * 1000:.0f} ms",
            f"{base * 1000:.0f} ms yamllint",
            ours / base,
            "< 1.0",
        )
    )
    for name, wall, ratio, _cpu, cpu_ratio in startup.measure(5 if args.quick else 15):
        if not name.startswith("yamllint"):
            goal = "<= 0.8" if name == "safeaudit --help" else ""
            rows.append(
                (
                    name,
                    f"{wall * 1000:.0f} ms (CPU {cpu_ratio:.2f}x)",
                    "yamllint --version",
                    ratio,
                    goal,
                )
            )
    rows += _report(5 if args.quick else 15)
    print(f"{'figure':44} {'ours':>22} {'baseline':>20} {'ratio':>7}  goal")
    for label, ours_text, base_text, figure, goal in rows:
        shown = f"{figure:6.2f}x" if figure is not None else ""
        print(f"{label:44} {ours_text:>22} {base_text:>20} {shown:>7}  {goal}")
    print(f"(whole run {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
