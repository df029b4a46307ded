"""A statutory question applies to a setting type (or kind of provision) that none of its statutory sources binds, going by each source's `statutory_for` (or a reference's own, which must say why in its `note`); also flags `statutory_for` values safeaudit does not know."""

from __future__ import annotations

from collections.abc import Iterator

from safeaudit.model import Reference, Source
from safeaudit.problems import Level, Problem
from safeaudit.rules.context import LintContext
from safeaudit.settings import SETTING_TYPES

CODE = "SA220"
NAME = "statutory-source-per-setting"
LEVEL: Level = "error"

#: Kinds of provision a source may bind beside the setting types (model.Provision).
PROVISIONS = ("early-years", "sixth-form", "boarding")


def binds(source: Source, target: str, ref: Reference | None = None) -> bool:
    """Whether a source (as cited by `ref`) is law or statutory guidance for a setting type or
    kind of provision."""
    if source.legal_status != "statutory":
        return False
    scope = ref.statutory_for if ref is not None and ref.statutory_for is not None else None
    if scope is None:
        scope = source.statutory_for
    return scope is None or target in scope


def check(ctx: LintContext) -> Iterator[Problem]:
    sources = ctx.checklist.sources
    known = tuple(dict.fromkeys((*SETTING_TYPES, *PROVISIONS)))
    for sid, source in sources.items():
        for index, value in enumerate(source.statutory_for or []):
            if value not in known:
                yield ctx.problem(
                    ("sources", sid, "statutory_for", index),
                    CODE,
                    f"source `{sid}` names `{value}` in `statutory_for`, which is neither a "
                    f"setting type nor a kind of provision; use one of: {', '.join(known)}",
                    LEVEL,
                )
    for item in ctx.questions():
        q = item.question
        for ri, ref in enumerate(q.references):
            for index, value in enumerate(ref.statutory_for or []):
                if value not in known:
                    yield ctx.problem(
                        item.loc("references", ri, "statutory_for", index),
                        CODE,
                        f"a reference of `{q.id}` names `{value}` in `statutory_for`, which is "
                        f"neither a setting type nor a kind of provision; use one of: "
                        f"{', '.join(known)}",
                        LEVEL,
                    )
            if ref.statutory_for is not None and not ref.note:
                yield ctx.problem(
                    item.loc("references", ri, "statutory_for"),
                    CODE,
                    f"a reference of `{q.id}` sets its own `statutory_for`; say in its `note` "
                    "why this passage binds different settings from the rest of the source",
                    LEVEL,
                )
        if q.severity != "statutory":
            continue
        cited = [(sources[r.source], r) for r in q.references if r.source in sources]
        if not any(s.legal_status == "statutory" for s, _ in cited):
            continue  # SA215 already says the question cites no statutory source at all
        targets = [*(q.applies_to if q.applies_to is not None else ctx.checklist.settings)]
        targets += [p for p in (q.provision or []) if p not in targets]
        unbound = [t for t in targets if not any(binds(s, t, r) for s, r in cited)]
        if unbound:
            names = ", ".join(f"`{t}`" for t in unbound)
            yield ctx.problem(
                item.loc("severity"),
                CODE,
                f"`{q.id}` is statutory, but none of the statutory sources it cites binds "
                f"{names}; cite one that does, narrow `applies_to`, or lower its severity",
                LEVEL,
            )
