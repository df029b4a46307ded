"""Benchmark: `safeaudit rollup` over N answer files against only parsing them with the C loader.

Run: python benchmarks/rollup_bench.py [--count N] [--data DIR] [--jobs J] [--quick]
                                       [--cases baseline,rollup-1,rollup,rerun]

Every case runs as a fresh process over the same files; the floor reads every file and calls
`yaml.load(text, Loader=yaml.CSafeLoader)` in one process, nothing else. Cases:

  rollup-1   a full roll-up (`--no-cache`) in one process (`--jobs 1`)
  rollup     a full roll-up (`--no-cache`) with one worker per CPU
  rerun      the same roll-up again after 1% of the files changed, reusing the index of the
             run before; its CSV is compared with a full run's (it must be identical)

Peak memory is each child's ru_maxrss (the largest of the process and its workers).
`--cases` runs only some cases (the re-run needs no other: it makes its own index first). Goals (issue 17): rollup <= 1.0x the floor using both
cores, rerun <= 0.1x. The index goes to a temporary cache folder, never the user's. Figures are
printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import CHECKLIST, DATA_VERSION, generate  # noqa: E402

#: The floor: read and parse every file under a folder, as rollup finds them.
BASELINE = """
import sys, yaml
from pathlib import Path
for path in sorted([*Path(sys.argv[1]).rglob("*.yaml"), *Path(sys.argv[1]).rglob("*.yml")]):
    yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
"""

#: Share of files changed before the re-run.
CHANGED = 0.01
#: The cases, in the order they run.
CASES = ("baseline", "rollup-1", "rollup", "rerun")

Figures = dict[str, tuple[float, int | None]]


def ensure_data(count: int, seed: int = 2025, folder: Path | None = None) -> Path:
    """Generated files for `count` settings, reused between runs when already there."""
    base = folder or Path(tempfile.gettempdir()) / "safeaudit-bench"
    target = base / f"{CHECKLIST}-v{DATA_VERSION}-seed{seed}-n{count}"
    done = target / ".complete"
    if not done.exists():
        generate(target, count, seed)
        done.write_text("ok\n", encoding="utf-8")
    return target


def run_child(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, int | None]:
    """Wall time in seconds and peak memory in KB (Linux: ru_maxrss) of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
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


def change_some(folder: Path, share: float = CHANGED) -> int:
    """Edit one file in every 1/share (an answer changed), as a term's updates would."""
    files = sorted(folder.rglob("*.yaml"))
    step = max(1, round(1 / share))
    changed = 0
    for path in files[::step]:
        text = path.read_text(encoding="utf-8")
        edited = text.replace("value: partial", "value: 'yes'", 1)
        if edited == text:
            edited = text.replace("value: 'yes'", "value: partial", 1)
        path.write_text(edited, encoding="utf-8")
        changed += edited != text
    return changed


def _median(runs: list[tuple[float, int | None]]) -> tuple[float, int | None]:
    peaks = [m for _t, m in runs if m is not None]
    return statistics.median(t for t, _m in runs), max(peaks, default=None)


def measure(
    folder: Path,
    jobs: int | None = None,
    repeat: int = 3,
    rerun: bool = True,
    only: set[str] | None = None,
) -> tuple[Figures, str]:
    """Median time and largest peak memory of each case (`only` those named), and whether the
    re-run's output was identical to a full run's ("identical", "DIFFERENT" or "" when not
    measured)."""
    with tempfile.TemporaryDirectory(prefix="safeaudit-rollup-bench-") as scratch:
        work = Path(scratch)
        env = {**os.environ, "SAFEAUDIT_CACHE_DIR": str(work / "cache")}
        tree = folder
        if rerun:  # the re-run edits files: work on a copy
            tree = work / "audits"
            shutil.copytree(folder, tree)
        safeaudit = [sys.executable, "-m", "safeaudit", "rollup", str(tree)]
        cases = {
            "baseline": [sys.executable, "-c", BASELINE, str(tree)],
            "rollup-1": [*safeaudit, "--no-cache", "--jobs", "1"],
            "rollup": [*safeaudit, "--no-cache", *(["--jobs", str(jobs)] if jobs else [])],
        }
        if only is not None:
            cases = {name: argv for name, argv in cases.items() if name in only}
            rerun = rerun and "rerun" in only
        samples: dict[str, list[tuple[float, int | None]]] = {name: [] for name in cases}
        for _ in range(repeat):
            for name, argv in cases.items():
                samples[name].append(run_child(argv, env))
        figures = {name: _median(runs) for name, runs in samples.items()}
        if not rerun:
            return figures, ""
        if "rollup" not in cases:  # make the index a re-run starts from
            run_child([*safeaudit, "--no-cache"], env)
        # The last full run left its index; change 1% of the files and roll up again.
        change_some(tree)
        quick = work / "rerun.csv"
        figures["rerun"] = run_child([*safeaudit, "--csv", str(quick)], env)
        full = work / "full.csv"
        run_child([*safeaudit, "--no-cache", "--csv", str(full)], env)
        same = quick.read_bytes() == full.read_bytes()
        return figures, "identical" if same else "DIFFERENT"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=24_000)
    parser.add_argument("--quick", action="store_true", help="1,000 files, one repetition")
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=None)
    parser.add_argument("--cases", default=None, help="comma-separated: " + ",".join(CASES))
    args = parser.parse_args()
    count = 1_000 if args.quick else args.count
    repeat = args.repeat or (1 if args.quick or count >= 6_000 else 3)
    only = set(args.cases.split(",")) if args.cases else None
    if only is not None and not only <= set(CASES):
        parser.error(f"--cases: choose from {', '.join(CASES)}")
    folder = ensure_data(count, folder=args.data)
    figures, same = measure(folder, args.jobs, repeat, only=only)
    base = figures["baseline"][0] if "baseline" in figures else None
    for name, (seconds, peak) in figures.items():
        memory = f"{peak / 1024:7.1f} MB" if peak else "      n/a"
        ratio = f"{seconds / base:6.3f}x" if base else "      "
        print(f"{name:10} {seconds:8.2f}s {ratio}  peak {memory}")
    if same:
        print(f"rerun after {CHANGED:.0%} of {count:,} files changed: output {same} to a full run")
    print("goal: rollup <= 1.00x with both cores; rerun <= 0.10x (ratios to the one-process floor)")


if __name__ == "__main__":
    main()
