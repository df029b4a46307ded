"""Figures for docs/content.md and docs/statutory-sources.md, rendered from the shipped checklists.

The documents hold each generated block between `<!-- figures:NAME -->` and `<!-- /figures:NAME -->`
markers; tests/test_content.py renders every block again and compares. After a checklist change,
`SAFEAUDIT_UPDATE_DOCS=1 pytest tests/test_content.py -k figures` rewrites the blocks in place.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from safeaudit.checklists import load_checklist_file
from safeaudit.model import Checklist, Question
from safeaudit.rules.statutory_per_setting import binds
from safeaudit.settings import SETTING_TYPES

SHORT = {
    "early-years": "EY",
    "nursery-school": "MNS",
    "primary": "Pri",
    "secondary": "Sec",
    "special": "Spe",
    "independent": "Ind",
    "college": "Col",
}
SEVERITIES = ("statutory", "expected", "recommended")
BLOCK = re.compile(
    r"(<!-- figures:(?P<name>[a-z0-9-]+) -->\n)(?P<body>.*?)(<!-- /figures:(?P=name) -->)", re.S
)


def load_all(folder: Path) -> list[Checklist]:
    """The shipped checklists: current ones (KCSIE first), then superseded, then legacy."""
    checklists = [load_checklist_file(path) for path in sorted(folder.glob("*.yaml"))]
    return sorted(
        checklists,
        key=lambda c: (_legacy(c), c.superseded_by is not None, not c.id.startswith("kcsie"), c.id),
    )


def _legacy(checklist: Checklist) -> bool:
    return all(s.status in ("legacy", "superseded") for s in checklist.sources.values())


def _applies(checklist: Checklist, question: Question, setting: str) -> bool:
    return question.applies_to_setting(setting, checklist.settings)


def _approximate(checklist: Checklist) -> tuple[int, int]:
    refs = [r for _, q in checklist.questions() for r in q.references]
    return sum(1 for r in refs if r.approximate), len(refs)


def status(checklist: Checklist) -> str:
    if checklist.superseded_by:
        when = checklist.superseded_from.isoformat() if checklist.superseded_from else "now"
        return f"superseded by `{checklist.superseded_by}` from {when}"
    if _legacy(checklist):
        return "legacy: for reading earlier audits"
    if any(s.status == "draft" for s in checklist.sources.values()):
        return "current; some references from a draft"
    return "current"


def overview(checklists: list[Checklist]) -> str:
    rows = [
        "| checklist | version | effective | questions | areas | statutory | critical "
        "| approximate references | status |",
        "|---|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for c in checklists:
        questions = [q for _, q in c.questions()]
        approx, total = _approximate(c)
        rows.append(
            f"| `{c.id}` | {c.version} | {c.effective.isoformat()} | {len(questions)} "
            f"| {len(c.areas)} | {sum(q.severity == 'statutory' for q in questions)} "
            f"| {sum(q.critical for q in questions)} | {approx} of {total} | {status(c)} |"
        )
    return "\n".join(rows) + "\n"


def _binds(checklist: Checklist, sid: str) -> str:
    source = checklist.sources[sid]
    if source.legal_status != "statutory":
        return "–"
    if source.statutory_for is None:
        return "every setting"
    if not source.statutory_for:
        return "none of these settings"
    return ", ".join(source.statutory_for)


def checklist_figures(checklist: Checklist) -> str:
    questions = [q for _, q in checklist.questions()]
    approx, total = _approximate(checklist)
    lines = [
        f"`{checklist.id}` · version {checklist.version} · effective "
        f"{checklist.effective.isoformat()} · {len(questions)} questions in "
        f"{len(checklist.areas)} areas · {sum(q.critical for q in questions)} critical · "
        f"{approx} of {total} references approximate",
        "",
        "Sources:",
        "",
        "| source id | title | year | weight | statutory for | status |",
        "|---|---|---|---|---|---|",
    ]
    for sid, source in checklist.sources.items():
        lines.append(
            f"| `{sid}` | {source.title} | {source.year or '–'} | {source.legal_status} "
            f"| {_binds(checklist, sid)} | {source.status.replace('-', ' ')} |"
        )
    settings = [s for s in SETTING_TYPES if s in checklist.settings]
    head = " | ".join(SHORT[s] for s in settings)
    lines += [
        "",
        "Areas (question counts; the last columns count the questions that apply to each setting "
        "type):",
        "",
        f"| area | questions | statutory | expected | recommended | critical | {head} |",
        "|---|" + "---:|" * (5 + len(settings)),
    ]
    totals = [0] * (5 + len(settings))
    for area in checklist.areas:
        qs = area.questions
        counts = [
            len(qs),
            *(sum(q.severity == sev for q in qs) for sev in SEVERITIES),
            sum(q.critical for q in qs),
            *(sum(_applies(checklist, q, s) for q in qs) for s in settings),
        ]
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        lines.append(f"| {area.title} (`{area.id}`) | " + " | ".join(map(str, counts)) + " |")
    lines.append("| **total** | " + " | ".join(f"**{n}**" for n in totals) + " |")
    return "\n".join(lines) + "\n"


def requirements(checklists: list[Checklist]) -> str:
    found: dict[str, list[tuple[Checklist, Question]]] = {}
    for c in checklists:
        for _, q in c.questions():
            if q.requirement:
                found.setdefault(q.requirement, []).append((c, q))
    rows = [
        "| requirement | severity | critical | questions |",
        "|---|---|---|---|",
    ]
    for req, members in sorted(found.items()):
        kinds = sorted({(q.severity, q.critical) for _, q in members})
        severity = " / ".join(sorted({k[0] for k in kinds}))
        critical = " / ".join(sorted({"yes" if k[1] else "no" for k in kinds}))
        where = "; ".join(f"`{c.id}`: `{q.id}`" for c, q in members)
        rows.append(f"| `{req}` | {severity} | {critical} | {where} |")
    return "\n".join(rows) + "\n"


def statutory_sources(checklist: Checklist) -> str:
    """Every statutory question with the statutory sources that bind each setting it asks."""
    rows = ["| question | setting | statutory sources cited that bind it |", "|---|---|---|"]
    for _, q in checklist.questions():
        if q.severity != "statutory":
            continue
        targets = [*(q.applies_to if q.applies_to is not None else checklist.settings)]
        targets += [f"{p} provision" for p in (q.provision or []) if p not in targets]
        groups: dict[str, list[str]] = {}
        for target in targets:
            key = target.removesuffix(" provision")
            cited = sorted(
                {
                    f"`{r.source}` {r.para or r.section or ''}".strip()
                    + (" (≈)" if r.approximate else "")
                    for r in q.references
                    if r.source in checklist.sources and binds(checklist.sources[r.source], key, r)
                }
            )
            groups.setdefault("; ".join(cited) or "**none**", []).append(target)
        for cited_text, settings in groups.items():
            rows.append(f"| `{q.id}` | {', '.join(settings)} | {cited_text} |")
    return "\n".join(rows) + "\n"


def renderers(checklists: list[Checklist]) -> dict[str, Callable[[], str]]:
    """Block name -> function that renders it."""
    found: dict[str, Callable[[], str]] = {
        "overview": lambda: overview(checklists),
        "requirements": lambda: requirements(checklists),
    }
    for c in checklists:
        found[c.id] = lambda c=c: checklist_figures(c)  # type: ignore[misc]
        found[f"statutory-{c.id}"] = lambda c=c: statutory_sources(c)  # type: ignore[misc]
    return found


def refresh(text: str, render: dict[str, Callable[[], str]]) -> tuple[str, list[str]]:
    """The text with every known block re-rendered, and the names of the blocks that changed."""
    changed: list[str] = []

    def one(match: re.Match[str]) -> str:
        name = match.group("name")
        if name not in render:
            return match.group(0)
        body = render[name]()
        if body != match.group("body"):
            changed.append(name)
        return f"{match.group(1)}{body}{match.group(4)}"

    return BLOCK.sub(one, text), changed


def blocks(text: str) -> list[str]:
    return [m.group("name") for m in BLOCK.finditer(text)]
