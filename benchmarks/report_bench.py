"""Benchmark: `safeaudit report EXAMPLE --html` against a bare import of jinja2, pydantic and yaml.

The design's goal is a ratio of 2.0 or less. Both are run as fresh processes, alternately, in the
same run, so the ratio is fair on any machine; the figures are printed, never asserted.

    .venv/bin/python benchmarks/report_bench.py [--repeat 15] [ANSWERS]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "examples" / "secondary-ofsted-2016.yaml"


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("answers", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "report.html"
        report = [
            sys.executable,
            "-m",
            "safeaudit",
            "report",
            str(args.answers),
            "--html",
            str(out),
        ]
        baseline = [sys.executable, "-c", "import jinja2, pydantic, yaml"]
        timed(report)  # warm the file cache and byte-compiled modules once
        timed(baseline)
        reports: list[float] = []
        bases: list[float] = []
        for _ in range(args.repeat):
            reports.append(timed(report))
            bases.append(timed(baseline))
        size = out.stat().st_size
    report_ms = statistics.median(reports) * 1000
    base_ms = statistics.median(bases) * 1000
    print(f"answers:  {args.answers.name} ({size:,} bytes of HTML)")
    print(
        f"baseline: python -c 'import jinja2, pydantic, yaml'  median {base_ms:6.1f} ms "
        f"(min {min(bases) * 1000:.1f})"
    )
    print(
        f"report:   safeaudit report --html                  median {report_ms:6.1f} ms "
        f"(min {min(reports) * 1000:.1f})"
    )
    print(f"ratio:    {report_ms / base_ms:.2f}x (goal <= 2.0x), {args.repeat} repetitions")


if __name__ == "__main__":
    main()
