"""Benchmark: the privacy scan and `safeaudit show` take time linear in their input.

For each, the input is made 10 times larger and the ratio of the times printed; linear time
gives a ratio near 10, and the design's goal is 12 or less (issue 18.6). Quadratic time, as
the privacy scan had before, gives about 100. Figures are printed, never asserted.

    .venv/bin/python benchmarks/linearity.py [--repeat 3] [--size 50000]

Inputs: a note of SIZE and 10 x SIZE characters of realistic text with emails, phone numbers,
names beside year groups and a few long runs of letters; a checklist of SIZE/500 and
10 x SIZE/500 questions (every text within the format's length limits) run through
`safeaudit show` in-process, output discarded.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from safeaudit.report.privacy import find

WORDS = [
    "the",
    "policy",
    "was",
    "reviewed",
    "by",
    "the",
    "DSL",
    "in",
    "July",
    "and",
    "shared",
    "with",
    "staff;",
    "Jane",
    "Smith",
    "(Y5)",
    "spoke",
    "to",
    "Mrs",
    "Jones;",
    "call",
    "01234",
    "567890",
    "or",
    "dsl@school.example.org;",
    "SW1A",
    "1AA;",
    "DOB:",
    "14/03/2016;",
    "UPN",
    "A123456789012;",
    "filtering",
    "logs",
    "checked",
    "each",
    "term",
    "by",
    "the",
    "IT",
    "provider",
]


def note(size: int, seed: int = 18) -> str:
    """Realistic text of `size` characters, with a long run of letters and of spaces."""
    rng = random.Random(seed)
    parts: list[str] = []
    length = 0
    while length < size:
        word = rng.choice(WORDS) if rng.random() > 0.001 else "a" * 2000 + " " * 2000
        parts.append(word)
        length += len(word) + 1
    return " ".join(parts)[:size]


def checklist(questions: int) -> dict[str, object]:
    """A valid checklist with `questions` questions in areas of 50."""
    areas = []
    for a in range((questions + 49) // 50):
        count = min(50, questions - a * 50)
        areas.append(
            {
                "id": f"area{a}",
                "title": f"Area {a}",
                "questions": [
                    {
                        "id": f"area{a}.q{q}",
                        "text": "Is this done and recorded, with evidence a governor can see? "
                        * 10,
                        "severity": "expected",
                        "evidence": "A record of it. " * 40,
                        "action": "Do it and record it.",
                        "references": [{"source": "guide", "section": str(q)}],
                    }
                    for q in range(count)
                ],
            }
        )
    return {
        "id": "linearity",
        "title": "Linearity benchmark",
        "version": "1",
        "effective": "2025-09-01",
        "sources": {"guide": {"title": "A guide"}},
        "areas": areas,
    }


def best_of(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def show_time(path: Path, repeat: int) -> float:
    from safeaudit.cli import main

    def run() -> None:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
            main(["show", str(path)])

    run()  # warm up imports and caches once
    return best_of(repeat, run)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--size", type=int, default=50_000)
    args = parser.parse_args()
    os.environ.setdefault("COLUMNS", "100")
    small, large = note(args.size), note(10 * args.size)
    find(small)
    privacy = [best_of(args.repeat, lambda text=text: find(text)) for text in (small, large)]
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for n in (args.size // 500, 10 * args.size // 500):
            path = Path(folder) / f"checklist-{n}.yaml"
            path.write_text(yaml.safe_dump(checklist(n), sort_keys=False), encoding="utf-8")
            paths.append(path)
        show = [show_time(path, args.repeat) for path in paths]
        sizes = [p.stat().st_size for p in paths]
    print(f"{'measure':32} {'1x':>10} {'10x':>10} {'ratio':>7}  goal")
    print(
        f"{'privacy scan, ' + format(args.size, ',') + ' chars':32} "
        f"{privacy[0]:9.3f}s {privacy[1]:9.3f}s {privacy[1] / privacy[0]:7.1f}  <= 12"
    )
    print(
        f"{'show, ' + format(sizes[0], ',') + ' bytes':32} "
        f"{show[0]:9.3f}s {show[1]:9.3f}s {show[1] / show[0]:7.1f}  <= 12"
    )


if __name__ == "__main__":
    main()
