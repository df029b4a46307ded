"""Synthetic, realistic answer files against the current shipped KCSIE checklist, for benchmarks.

Run: python benchmarks/generate.py OUT_DIR [--count N] [--seed S]

Every setting type appears, some with early-years, sixth-form or boarding provision;
completeness, quality, evidence text, owners and dates vary; the same seed always gives the same
files. The settings and people are invented.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path
from typing import Any

import yaml

from safeaudit.checklists import load_checklist
from safeaudit.model import Checklist, Question
from safeaudit.scoring import applies_reason
from safeaudit.settings import SETTING_TYPES

try:
    from yaml import CSafeDumper as Dumper
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as Dumper  # type: ignore[assignment]

#: The checklist in force: KCSIE 2026, from 1 September 2026.
CHECKLIST = "kcsie-2026-online-safety"
#: Bumped whenever the files this writes change, so benchmarks never reuse older files.
DATA_VERSION = 2
#: The first audit day: the start of the 2026-27 school year.
FIRST_DAY = dt.date(2026, 9, 7)
#: Provision some settings of a type have beside their main type, and how often.
_PROVISION = {
    "primary": ("early-years", 0.6),
    "special": ("early-years", 0.2),
    "secondary": ("sixth-form", 0.5),
    "independent": ("boarding", 0.3),
}
HEADER = (
    "# safeaudit answer file: private safeguarding information; do not share or publish.\n"
    "# Edit with care; `safeaudit score` checks it. Format: docs/checklist-format.md\n"
)

# Roughly the mix of settings in England: many primaries, fewer of the rest.
#: Relative numbers of each type; a type added later gets a small share until listed here.
_WEIGHTS = {
    "early-years": 14,
    "nursery-school": 1,
    "primary": 50,
    "secondary": 12,
    "special": 5,
    "independent": 8,
    "college": 4,
}
_TYPES = list(SETTING_TYPES)
_TYPE_WEIGHTS = [_WEIGHTS.get(kind, 1) for kind in _TYPES]
_PLACES = [
    "Ashby",
    "Beckford",
    "Calder",
    "Dunmore",
    "Elmfield",
    "Fairholme",
    "Greystone",
    "Hartley",
    "Ivybridge",
    "Juniper",
    "Kingsmead",
    "Larkrise",
    "Millbrook",
    "Northgate",
    "Oakwood",
    "Pennington",
    "Queensway",
    "Riverside",
    "St Aidan's",
    "Thornbury",
    "Upton",
    "Valley",
    "Westfield",
    "Yewtree",
]
_SUFFIX = {
    "early-years": ["Day Nursery", "Pre-School", "Childminding"],
    "nursery-school": ["Nursery School", "Maintained Nursery School"],
    "primary": ["Primary School", "Church of England Primary School", "Infant School"],
    "secondary": ["Academy", "High School", "School"],
    "special": ["School", "Pupil Referral Unit", "Learning Centre"],
    "independent": ["Preparatory School", "College", "School"],
    "college": ["College", "Sixth Form College"],
}
_ROLES = [
    "DSL",
    "Deputy DSL",
    "Headteacher",
    "Network manager",
    "Business manager",
    "Online safety lead",
    "Computing lead",
    "Link governor",
    "IT provider",
]
_EVIDENCE = [
    "Recorded in the minutes of the {term} governing body meeting; copy in the DSL's file.",
    "Provider's written confirmation dated {date}, kept with the filtering decisions log.",
    "Training register shows {n} of {m} staff completed it; catch-up session booked.",
    "Policy section {n} covers this; reviewed and published on the website in {term}.",
    "Termly check log signed by the DSL and network manager; last entry {date}.",
    "Pupil voice survey in the {term} term; results discussed with the online safety group.",
    "Sampled records show same-day action on {n} alerts; no gaps found in the sample.",
    "Staff handbook and induction checklist; signed acknowledgements held by the office.",
]
_TERMS = ["autumn", "spring", "summer"]
_TEXT = [
    "Discussed with the local authority adviser.",
    "See the action plan.",
    "Covered in the trust-wide policy.",
    "Reviewed with the IT provider.",
]


def _evidence(rng: random.Random, day: dt.date) -> str:
    template = rng.choice(_EVIDENCE)
    return template.format(
        term=rng.choice(_TERMS),
        date=(day - dt.timedelta(days=rng.randint(5, 200))).isoformat(),
        n=rng.randint(3, 40),
        m=rng.randint(41, 90),
    )


def _value(rng: random.Random, question: Question, quality: float, day: dt.date) -> Any:
    kind = question.kind
    if kind == "yes-partial-no":
        roll = rng.random()
        return (
            "yes" if roll < quality else ("partial" if roll < quality + (1 - quality) / 2 else "no")
        )
    if kind == "level":
        return max(1, min(5, round(1 + 4 * quality + rng.uniform(-1.2, 1.2))))
    if kind == "choice":
        options = question.options or []
        best = sorted(options, key=lambda o: -o.score)
        return (best[0] if rng.random() < quality else rng.choice(options)).value
    if kind == "date":
        if rng.random() < 0.03:
            return "never"
        return day - dt.timedelta(days=int(rng.expovariate(1 / (120 + 400 * (1 - quality)))))
    if kind == "number":
        target = question.target or 10
        return round(target * min(1.2, rng.uniform(quality * 0.6, 1.1)))
    return rng.choice(_TEXT)


def make_answers(checklist: Checklist, rng: random.Random, number: int) -> dict[str, Any]:
    """One answer file's data, as `safeaudit run` would write it."""
    kind = rng.choices(_TYPES, _TYPE_WEIGHTS)[0]
    name = f"{rng.choice(_PLACES)} {rng.choice(_SUFFIX.get(kind, ['School']))}"
    day = FIRST_DAY + dt.timedelta(days=rng.randint(0, 80))
    extra, share = _PROVISION.get(kind, ("", 0.0))
    provision = [extra] if extra and rng.random() < share else []
    completeness = rng.choice([0.35, 0.7, 0.9, 1.0, 1.0, 1.0])
    quality = rng.uniform(0.45, 0.97)
    answers: dict[str, Any] = {}
    values: dict[str, str] = {}
    for _area, question in checklist.questions():
        if applies_reason(question, checklist, kind, provision) is not None:
            continue
        if question.when is not None and values.get(question.when.question) not in (
            question.when.values
        ):
            continue
        if rng.random() > completeness:
            continue
        entry: dict[str, Any] = {}
        if question.severity != "statutory" and not question.critical and rng.random() < 0.02:
            entry = {"value": "n/a", "reason": "We have no boarding provision."}
        else:
            entry["value"] = _value(rng, question, quality, day)
        values[question.id] = str(entry["value"])
        if rng.random() < 0.6:
            entry["evidence"] = _evidence(rng, day)
        if entry["value"] in ("partial", "no") or rng.random() < 0.1:
            entry["owner"] = rng.choice(_ROLES)
            entry["due"] = day + dt.timedelta(days=rng.randint(14, 240))
        entry["answered_at"] = dt.datetime.combine(
            day, dt.time(rng.randint(8, 17), rng.randint(0, 59))
        )
        answers[question.id] = entry
    return {
        "checklist": {"id": checklist.id, "version": checklist.version},
        "setting": {
            "name": f"{name} {number}",
            "type": kind,
            "urn": str(100000 + number),
            **({"provision": provision} if provision else {}),
        },
        "audit_date": day,
        "completed_by": f"{rng.choice(_ROLES)} (benchmark)",
        "answers": answers,
    }


def generate(out: Path, count: int, seed: int = 2025) -> list[Path]:
    """Write `count` answer files into `out` (made if needed); returns their paths."""
    checklist = load_checklist(CHECKLIST)
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        data = make_answers(checklist, rng, number)
        text = HEADER + yaml.dump(
            data,
            Dumper=Dumper,
            sort_keys=False,
            allow_unicode=True,
            width=100,
            default_flow_style=False,
        )
        # Spread over folders as a trust would keep them, 1,000 to a folder.
        path = out / f"batch-{number // 1000:03d}" / f"setting-{number:05d}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    paths = generate(args.out, args.count, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(
        f"wrote {len(paths):,} files ({size / len(paths) / 1024:.1f} KB each on average) "
        f"to {args.out}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
