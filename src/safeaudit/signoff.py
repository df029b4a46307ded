"""Sign-off: who reviewed an audit and when, with a fingerprint that shows later changes.

A sign-off stores a SHA-256 of the answers' content and a short checksum per question, so a
report can say that answers changed after sign-off and list which questions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import yaml

from safeaudit.errors import SafeauditError
from safeaudit.loading import parse_yaml
from safeaudit.model import Answer, Answers, SignOff
from safeaudit.store import dump_answers
from safeaudit.validation import validate_document

#: What a sign-off covers in each answer: the content, not when or by whom it was typed.
SIGNED_FIELDS = {"value", "reason", "evidence", "note", "owner", "due"}


def _canonical(data: Any) -> bytes:
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode("utf-8")


def _content(answer: Answer) -> dict[str, Any]:
    return answer.model_dump(mode="json", include=SIGNED_FIELDS, exclude_defaults=True)


def checksums(answers: Answers) -> dict[str, str]:
    """A short checksum of each answer's content, by question id."""
    return {
        qid: hashlib.sha256(_canonical(_content(answer))).hexdigest()[:16]
        for qid, answer in sorted(answers.answers.items())
    }


def fingerprint(answers: Answers) -> str:
    """SHA-256 of the checklist, the setting and every answer's content, in a canonical form."""
    data = {
        "checklist": answers.checklist.model_dump(mode="json"),
        "setting": answers.setting.model_dump(mode="json"),
        "answers": {qid: _content(a) for qid, a in answers.answers.items()},
    }
    return "sha256:" + hashlib.sha256(_canonical(data)).hexdigest()


def sign(answers: Answers, name: str, role: str, date: dt.date) -> tuple[Answers, SignOff]:
    """The answers with a new sign-off added after any earlier ones."""
    record = SignOff(
        name=name,
        role=role,
        date=date,
        fingerprint=fingerprint(answers),
        questions=checksums(answers),
    )
    return answers.model_copy(update={"signoffs": [*answers.signoffs, record]}), record


@dataclass(frozen=True)
class SignOffStatus:
    """The latest sign-off and what has changed since it."""

    latest: SignOff
    earlier: list[SignOff] = field(default_factory=list)
    #: Question ids whose answers were changed, added or removed after the sign-off.
    changed: list[str] = field(default_factory=list)
    #: True when anything at all changed, including the setting or checklist details.
    modified: bool = False


def status(answers: Answers) -> SignOffStatus | None:
    """How the answers stand against their latest sign-off, or None if never signed off."""
    if not answers.signoffs:
        return None
    latest = answers.signoffs[-1]
    now = checksums(answers)
    changed = sorted(
        qid for qid in set(now) | set(latest.questions) if now.get(qid) != latest.questions.get(qid)
    )
    return SignOffStatus(
        latest=latest,
        earlier=list(answers.signoffs[:-1]),
        changed=changed,
        modified=bool(changed) or fingerprint(answers) != latest.fingerprint,
    )


def record_text(record: SignOff, indent: int = 0) -> str:
    """One sign-off as a YAML list item, indented to sit under `signoffs:`."""
    text: str = yaml.safe_dump(
        [record.model_dump(mode="json")],
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    pad = " " * indent
    return "".join(pad + line if line.strip() else line for line in text.splitlines(True))


def append_to_text(text: str, record: SignOff, root: yaml.Node) -> str | None:
    """The answer file's text with the sign-off added at the end, keeping comments.

    Returns None when the existing `signoffs:` block is not the last thing in the file (or is
    not a plain list), so the caller can rewrite the whole file instead.
    """
    if not isinstance(root, yaml.MappingNode):
        return None
    keys = [k.value for k, _ in root.value if isinstance(k, yaml.ScalarNode)]
    if "signoffs" not in keys:
        return (
            text.rstrip("\n")
            + "\n\n# Sign-offs, added by `safeaudit signoff`.\nsignoffs:\n"
            + (record_text(record))
        )
    if keys[-1] != "signoffs":
        return None
    node = root.value[-1][1]
    if not isinstance(node, yaml.SequenceNode) or node.flow_style or not node.value:
        return None
    mark = node.value[0].start_mark
    line = text.splitlines()[mark.line] if mark.line < len(text.splitlines()) else ""
    dash = line.rfind("-", 0, mark.column)
    if dash < 0:
        return None
    return text.rstrip("\n") + "\n" + record_text(record, dash)


def signed_text(
    text: str, answers: Answers, root: yaml.Node, name: str, role: str, date: dt.date
) -> tuple[str, SignOff]:
    """An answer file's new text with a sign-off added, and the sign-off.

    `text` is the file as read, `answers` and `root` what it holds. The sign-off is appended
    so the user's comments are kept, but only if the result reads back exactly as intended;
    at any doubt the whole file is written out afresh.
    """
    signed, record = sign(answers, name, role, date)
    appended = append_to_text(text, record, root)
    if appended is not None:
        try:
            check = validate_document(
                parse_yaml(appended, "the signed answers"), Answers, "an answer file"
            )
        except SafeauditError:
            check = None
        if check == signed:
            return appended, record
    return dump_answers(signed), record
