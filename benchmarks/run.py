"""All benchmarks in one table, each figure a ratio against a baseline measured in the same run.

Run: python benchmarks/run.py [--quick] [--count N] [--scaling]

  rollup    `safeaudit rollup` over N generated audits vs only parsing them with the C loader,
            one process and all cores, with peak memory of each child process
  lint      `safeaudit lint` of the shipped checklists vs `yamllint` on the same files
  startup   `safeaudit --version` / `--help` vs `yamllint --version` (startup.py)
  report    `safeaudit report --html` of a full audit vs importing jinja2, pydantic and yaml
            (report_bench.py)

--quick uses about 1,000 files and fewer repetitions (under a minute once the files exist);
--scaling also times rollup at 1,000 and 6,000 files. Nothing here asserts on timings.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import lint_bench  # noqa: E402
import rollup_bench  # noqa: E402
import startup  # noqa: E402

Row = tuple[str, str, str, float | None, str]


def _report(repeat: int) -> Row:
    """Run report_bench.py as it is and read its medians."""
    out = subprocess.run(
        [sys.executable, str(HERE / "report_bench.py"), "--repeat", str(repeat)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    base = float(re.search(r"baseline:.*median\s+([\d.]+) ms", out).group(1))  # type: ignore[union-attr]
    ours = float(re.search(r"report:.*median\s+([\d.]+) ms", out).group(1))  # type: ignore[union-attr]
    return (
        "report --html (full audit)",
        f"{ours:.0f} ms",
        f"{base:.0f} ms import",
        ours / base,
        "<= 2.0",
    )


def _rollup(count: int, repeat: int) -> list[Row]:
    folder = rollup_bench.ensure_data(count)
    figures = rollup_bench.measure(folder, repeat=repeat)
    base, base_peak = figures["baseline"]
    rows: list[Row] = []
    for name, label, goal in (
        ("rollup-1", f"rollup {count:,} files, 1 process", "<= 1.5"),
        ("rollup", f"rollup {count:,} files, all cores", "<= 1.0 (stretch)"),
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
    args = parser.parse_args()
    count = args.count or (1_000 if args.quick else 24_000)
    repeat = 1 if args.quick else 3
    started = time.perf_counter()
    rows: list[Row] = []
    if args.scaling:
        for smaller in (1_000, 6_000):
            if smaller < count:
                rows += _rollup(smaller, 1)
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
    for name, median, ratio in startup.measure(5 if args.quick else 15):
        if not name.startswith("yamllint"):
            rows.append((name, f"{median * 1000:.0f} ms", "yamllint --version", ratio, "<= 1.0"))
    rows.append(_report(5 if args.quick else 15))
    print(f"{'figure':44} {'ours':>22} {'baseline':>20} {'ratio':>7}  goal")
    for label, ours_text, base_text, figure, goal in rows:
        shown = f"{figure:6.2f}x" if figure is not None else ""
        print(f"{label:44} {ours_text:>22} {base_text:>20} {shown:>7}  {goal}")
    print(f"(whole run {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
