"""Benchmark: `safeaudit report ANSWERS --html` against the floor of the stack it is built on.

The floor (issue 17) is a Typer app with `report`'s options that imports jinja2, pydantic and
yaml and does nothing; it is run as a fresh process the same way (`python -m MODULE report
ANSWERS --html FILE`). Goal: the report takes at most 1.2 times the floor. Every command runs
alternately in the same run, so the ratios are fair on any machine; figures are printed, never
asserted. Both wall time and CPU time (user + system) are shown: on a shared machine the CPU
ratio is the steadier one, and the load average before and after says how busy it was.

The report is timed with a warm checklist cache (the usual case: the checklist was loaded
before) and with an empty one (the first run after installing or editing the checklist).

    .venv/bin/python benchmarks/report_bench.py [--repeat 15] [ANSWERS]

Wall and CPU ratios drift by up to a tenth between runs on a shared machine. `--instructions`
also counts the instructions one run of the floor and one of the report (checklist cached)
execute, with valgrind's callgrind tool (Debian's `valgrind` package), which barely changes
with load.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from timing import Samples, environment, run  # noqa: E402

ROOT = HERE.parent
DEFAULT = ROOT / "examples" / "primary-kcsie-2026.yaml"

#: The floor: the same options as `safeaudit report` (and the app's --version and --debug).
FLOOR = '''"""The floor for `safeaudit report --html`: Typer, report's options, jinja2, pydantic, yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import jinja2  # noqa: F401
import pydantic  # noqa: F401
import typer
import yaml  # noqa: F401

app = typer.Typer(name="floor", add_completion=True, rich_markup_mode=None)


def _version(value: bool) -> None:
    if value:
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True)] = False,
    debug: Annotated[bool, typer.Option("--debug")] = False,
) -> None:
    pass


@app.command("report")
def report(
    answers: Annotated[Path, typer.Argument()],
    html: Annotated[str | None, typer.Option("--html", metavar="FILE")] = None,
    md: Annotated[str | None, typer.Option("--md", metavar="FILE")] = None,
    json_out: Annotated[str | None, typer.Option("--json", metavar="FILE")] = None,
    csv_out: Annotated[str | None, typer.Option("--csv", metavar="FILE")] = None,
    xlsx: Annotated[Path | None, typer.Option("--xlsx", metavar="FILE")] = None,
    checklist: Annotated[str | None, typer.Option("--checklist", "-c")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of")] = None,
    compare: Annotated[Path | None, typer.Option("--compare")] = None,
    allow_other_setting: Annotated[bool, typer.Option("--allow-other-setting")] = False,
    redact: Annotated[bool, typer.Option("--redact")] = False,
    omit_notes: Annotated[bool, typer.Option("--omit-notes")] = False,
) -> None:
    pass


app()
'''


def instructions(argv: list[str], env: dict[str, str]) -> int:
    """How many instructions one run of `argv` executes, counted by callgrind."""
    with tempfile.TemporaryDirectory() as name:
        done = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={name}/out", *argv],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=True,
            env=environment(env),
        )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if not found:  # pragma: no cover
        raise SystemExit("valgrind did not report a count")
    return int(found.group(1))


def count(answers: Path) -> tuple[int, int]:
    """Instructions of one floor run and one report run (checklist cached, bytecode cached)."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "report_floor.py").write_text(FLOOR, encoding="utf-8")
        args = ["report", str(answers), "--html", str(folder / "report.html")]
        floor = [sys.executable, "-m", "report_floor", *args]
        report = [sys.executable, "-m", "safeaudit", *args]
        floor_env = {"PYTHONPATH": str(folder)}
        warm_env = {"SAFEAUDIT_CACHE_DIR": str(folder / "cache")}
        run(floor, floor_env)
        run(report, warm_env)
        return instructions(floor, floor_env), instructions(report, warm_env)


def measure(answers: Path, repeat: int, before: Path | None = None) -> dict[str, Samples]:
    """Wall and CPU samples of the floor, the report (warm cache) and the report (cold cache),
    and of the report made by another source tree (`before`, e.g. a worktree of main)."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "report_floor.py").write_text(FLOOR, encoding="utf-8")
        out = folder / "report.html"
        args = ["report", str(answers), "--html", str(out)]
        floor = [sys.executable, "-m", "report_floor", *args]
        report = [sys.executable, "-m", "safeaudit", *args]
        floor_env = {"PYTHONPATH": str(folder)}
        warm_env = {"SAFEAUDIT_CACHE_DIR": str(folder / "cache")}
        run(floor, floor_env)  # warm the file cache and byte-compiled modules once
        run(report, warm_env)  # ... and the checklist cache
        before_env = {"PYTHONPATH": str(before), **warm_env} if before else None
        if before_env:
            run(report, before_env)
        samples = {name: Samples() for name in ("floor", "warm", "cold", "before")}
        for index in range(repeat):
            cold_env = {"SAFEAUDIT_CACHE_DIR": str(folder / f"cold-{index}")}
            samples["floor"].add(run(floor, floor_env))
            samples["warm"].add(run(report, warm_env))
            samples["cold"].add(run(report, cold_env))
            if before_env:
                samples["before"].add(run(report, before_env))
        if not out.stat().st_size:  # pragma: no cover
            raise SystemExit("the report was empty")
    return samples


def _load_average() -> str:
    """The one-minute load average (runnable processes), to say how busy the machine was."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except (AttributeError, OSError):  # pragma: no cover - Windows
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("answers", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument(
        "--before", type=Path, metavar="SRC", help="also time the report made by SRC/safeaudit"
    )
    parser.add_argument(
        "--instructions", action="store_true", help="also count instructions with valgrind"
    )
    args = parser.parse_args()
    if args.instructions and not shutil.which("valgrind"):
        raise SystemExit("--instructions needs valgrind (Debian: apt install valgrind)")
    load_before = _load_average()
    samples = measure(args.answers.resolve(), args.repeat, args.before)
    floor = samples["floor"]
    print(
        f"answers: {args.answers.name}, {args.repeat} repetitions, medians; "
        f"load average {load_before} before, {_load_average()} after"
    )
    print(f"{'command':44} {'wall':>9} {'ratio':>7} {'CPU':>9} {'ratio':>7}")
    for name, label in (
        ("floor", "floor: Typer app with report's options"),
        ("warm", "safeaudit report --html (checklist cached)"),
        ("cold", "safeaudit report --html (empty cache)"),
        ("before", f"safeaudit report --html from {args.before}"),
    ):
        s = samples[name]
        if not s.wall:
            continue
        print(
            f"{label:44} {s.median_wall * 1000:7.1f}ms {s.median_wall / floor.median_wall:6.2f}x "
            f"{s.median_cpu * 1000:7.1f}ms {s.median_cpu / floor.median_cpu:6.2f}x"
        )
    if args.instructions:
        floor_count, report_count = count(args.answers.resolve())
        print(
            f"instructions: floor {floor_count / 1e6:,.1f} million, report (checklist cached) "
            f"{report_count / 1e6:,.1f} million: {report_count / floor_count:.3f}x"
        )
    print("goal: report (checklist cached) <= 1.20x the floor")


if __name__ == "__main__":
    main()
