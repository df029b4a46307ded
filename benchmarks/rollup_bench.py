"""Benchmark: `safeaudit rollup` over N answer files against only parsing them with the C loader.

Run: python benchmarks/rollup_bench.py [--count N] [--data DIR] [--jobs J]

Both run as fresh processes over the same files, alternately; the baseline reads every file and
calls `yaml.load(text, Loader=yaml.CSafeLoader)`, nothing else. Peak memory is each child's
ru_maxrss. Goal: ratio <= 1.5 (stretch <= 1.0 using both cores). Figures are printed, never
asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

#: The baseline: read and parse every file under a folder, as rollup finds them.
BASELINE = """
import sys, yaml
from pathlib import Path
for path in sorted([*Path(sys.argv[1]).rglob("*.yaml"), *Path(sys.argv[1]).rglob("*.yml")]):
    yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
"""


def ensure_data(count: int, seed: int = 2025, folder: Path | None = None) -> Path:
    """Generated files for `count` settings, reused between runs when already there."""
    base = folder or Path(tempfile.gettempdir()) / "safeaudit-bench"
    target = base / f"seed{seed}-n{count}"
    done = target / ".complete"
    if not done.exists():
        generate(target, count, seed)
        done.write_text("ok\n", encoding="utf-8")
    return target


def run_child(argv: list[str]) -> tuple[float, int | None]:
    """Wall time in seconds and peak memory in KB (Linux: ru_maxrss) of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if hasattr(os, "wait4"):
        _pid, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        peak: int | None = usage.ru_maxrss
    else:  # Windows: no per-child usage
        process.wait()
        elapsed = time.perf_counter() - start
        peak = None
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed with exit code {process.returncode}")
    return elapsed, peak


def measure(
    folder: Path, jobs: int | None = None, repeat: int = 3
) -> dict[str, tuple[float, int | None]]:
    """Median time and largest peak memory for the baseline and for rollup."""
    safeaudit = [sys.executable, "-m", "safeaudit", "rollup", str(folder)]
    cases = {
        "baseline": [sys.executable, "-c", BASELINE, str(folder)],
        "rollup-1": [*safeaudit, "--jobs", "1"],
        "rollup": safeaudit + (["--jobs", str(jobs)] if jobs else []),
    }
    samples: dict[str, list[tuple[float, int | None]]] = {name: [] for name in cases}
    for _ in range(repeat):
        for name, argv in cases.items():
            samples[name].append(run_child(argv))
    return {
        name: (
            statistics.median(t for t, _m in runs),
            max((m for _t, m in runs if m is not None), default=None),
        )
        for name, runs in samples.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=24_000)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = ensure_data(args.count, folder=args.data)
    figures = measure(folder, args.jobs, args.repeat)
    base = figures["baseline"][0]
    for name, (seconds, peak) in figures.items():
        memory = f"{peak / 1024:7.1f} MB" if peak else "      n/a"
        print(f"{name:10} {seconds:8.2f}s {seconds / base:6.2f}x  peak {memory}")
    print("goal: rollup <= 1.50x (stretch <= 1.00x with both cores)")


if __name__ == "__main__":
    main()
