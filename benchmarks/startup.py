"""Start-up time of `safeaudit --help` and `--version` against `yamllint --version`.

Run: python benchmarks/startup.py [--runs N]

Each command is run N times in alternation (so machine noise hits all of them alike) and the
median wall time is reported with its ratio to yamllint's. Goal: ratio <= 1.0 (better 0.8).
Nothing here asserts: machines are noisy; read the ratios.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def _command(name: str) -> list[str]:
    """The console script next to this Python, or `python -m` as a fallback."""
    script = Path(sys.executable).with_name(name)
    if script.exists():
        return [str(script)]
    found = shutil.which(name)
    if found:
        return [found]
    return [sys.executable, "-m", name]


def _time(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def measure(runs: int) -> list[tuple[str, float, float]]:
    cases = {
        "yamllint --version (baseline)": [*_command("yamllint"), "--version"],
        "safeaudit --version": [*_command("safeaudit"), "--version"],
        "safeaudit --help": [*_command("safeaudit"), "--help"],
    }
    for argv in cases.values():  # warm the file cache
        _time(argv)
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, argv in cases.items():
            samples[name].append(_time(argv))
    baseline = statistics.median(samples["yamllint --version (baseline)"])
    return [
        (name, statistics.median(times), statistics.median(times) / baseline)
        for name, times in samples.items()
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    print(f"{'command':34} {'median':>9} {'ratio':>7}")
    for name, median, ratio in measure(args.runs):
        print(f"{name:34} {median * 1000:7.1f}ms {ratio:6.2f}x")
    print("goal: safeaudit ratios <= 1.00 (better 0.80)")


if __name__ == "__main__":
    main()
