"""Benchmark: `safeaudit lint` over every shipped checklist against `yamllint` on the same files.

Run: python benchmarks/lint_bench.py [--runs N]

yamllint runs with a permissive configuration (the default rules without line-length), so both
tools read and check the same files. Goal: ratio < 1.0. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from startup import _command  # noqa: E402

ROOT = HERE.parent
YAMLLINT_CONFIG = "{extends: default, rules: {line-length: disable}}"


def _time(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def measure(runs: int) -> tuple[float, float, int]:
    """Median seconds for yamllint and for safeaudit lint, and the number of files."""
    files = sorted(str(p) for p in (ROOT / "checklists").glob("*.yaml"))
    yamllint = [*_command("yamllint"), "-d", YAMLLINT_CONFIG, *files]
    lint = [*_command("safeaudit"), "lint", *files]
    _time(yamllint)  # warm the file cache
    _time(lint)
    base: list[float] = []
    ours: list[float] = []
    for _ in range(runs):
        base.append(_time(yamllint))
        ours.append(_time(lint))
    return statistics.median(base), statistics.median(ours), len(files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    base, ours, count = measure(args.runs)
    print(f"yamllint (baseline) {base * 1000:8.1f} ms over {count} checklists")
    print(f"safeaudit lint      {ours * 1000:8.1f} ms   ratio {ours / base:.2f}x (goal < 1.0)")


if __name__ == "__main__":
    main()
