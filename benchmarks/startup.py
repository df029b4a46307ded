"""Start-up time of `safeaudit --help` and `--version` against `yamllint --version`.

Run: python benchmarks/startup.py [--runs N]

Each command is run N times in alternation (so machine noise hits all of them alike); the
medians of wall time and of CPU time (user + system) are reported with their ratios to
yamllint's. `--help` is timed as people usually meet it, with the help kept from an earlier run
in the cache folder, and with an empty cache (the first `--help` after installing or upgrading,
which imports Typer). Goal: `--help` <= 0.8 of yamllint --version. Nothing here asserts:
machines are noisy; read the ratios.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from timing import Samples, run  # noqa: E402

BASELINE = "yamllint --version (baseline)"


def _command(name: str) -> list[str]:
    """The console script next to this Python, or `python -m` as a fallback."""
    script = Path(sys.executable).with_name(name)
    if script.exists():
        return [str(script)]
    found = shutil.which(name)
    if found:
        return [found]
    return [sys.executable, "-m", name]


def measure(runs: int, before: Path | None = None) -> list[tuple[str, float, float, float, float]]:
    """(name, median wall, wall ratio, median CPU, CPU ratio) for each command; `before`: also
    the commands of another source tree (e.g. a worktree of main)."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        warm = {"SAFEAUDIT_CACHE_DIR": str(folder / "warm")}
        cases: dict[str, tuple[list[str], dict[str, str] | None]] = {
            BASELINE: ([*_command("yamllint"), "--version"], None),
            "safeaudit --version": ([*_command("safeaudit"), "--version"], warm),
            "safeaudit --help": ([*_command("safeaudit"), "--help"], warm),
            "safeaudit --help (empty cache)": ([*_command("safeaudit"), "--help"], {}),
        }
        if before is not None:
            old = {"PYTHONPATH": str(before), **warm}
            cases[f"--version from {before}"] = ([*_command("safeaudit"), "--version"], old)
            cases[f"--help from {before}"] = ([*_command("safeaudit"), "--help"], old)
        for argv, env in cases.values():  # warm the file cache, bytecode and help
            run(argv, env)
        samples = {name: Samples() for name in cases}
        for index in range(runs):
            for name, (argv, env) in cases.items():
                if env == {}:
                    env = {"SAFEAUDIT_CACHE_DIR": str(folder / f"cold-{index}")}
                samples[name].add(run(argv, env))
    base = samples[BASELINE]
    return [
        (
            name,
            s.median_wall,
            s.median_wall / base.median_wall,
            s.median_cpu,
            s.median_cpu / base.median_cpu,
        )
        for name, s in samples.items()
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--before", type=Path, metavar="SRC", help="also time the commands of SRC/safeaudit"
    )
    args = parser.parse_args()
    print(f"{'command':44} {'wall':>9} {'ratio':>7} {'CPU':>9} {'ratio':>7}")
    for name, wall, wall_ratio, cpu, cpu_ratio in measure(args.runs, args.before):
        print(
            f"{name:44} {wall * 1000:7.1f}ms {wall_ratio:6.2f}x {cpu * 1000:7.1f}ms {cpu_ratio:6.2f}x"
        )
    print("goal: safeaudit --help <= 0.80x")


if __name__ == "__main__":
    main()
