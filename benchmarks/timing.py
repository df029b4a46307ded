"""Time a command as a fresh process: wall-clock seconds and the CPU seconds it used.

On a machine shared with other work the wall time of a short command moves by tens of percent
between runs; the CPU time it used (user + system, from the operating system's accounting of
finished children) moves much less, so the benchmarks print a ratio for both.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Mapping, Sequence

try:
    import resource
except ImportError:  # pragma: no cover - Windows: wall time only
    resource = None  # type: ignore[assignment]


def environment(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment plus `extra`, with bytecode caching on: an installed package
    has its .pyc files, so a benchmark that recompiled every module on each run (as
    PYTHONDONTWRITEBYTECODE makes a source checkout do) would measure the compiler."""
    env = {**os.environ, **(extra or {})}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run(
    argv: Sequence[str], env: Mapping[str, str] | None = None, check: bool = True
) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run; CPU is NaN where the platform cannot say."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN) if resource else None
    start = time.perf_counter()
    subprocess.run(
        list(argv),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=check,
        env=environment(env),
    )
    wall = time.perf_counter() - start
    if before is None:
        return wall, float("nan")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


class Samples:
    """Wall and CPU times of repeated runs of one command."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def add(self, figures: tuple[float, float]) -> None:
        self.wall.append(figures[0])
        self.cpu.append(figures[1])

    @property
    def median_wall(self) -> float:
        return statistics.median(self.wall)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)
