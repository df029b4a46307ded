"""`loading._Loader.resolve` gives every node the tag PyYAML's own resolver gives it."""

from __future__ import annotations

import itertools
import string
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from safeaudit.loading import _Loader, parse_yaml

_IMPLICITS = [(True, False), (False, True), (False, False), (True, True)]


def _reference(value: str | None, kind: type[yaml.Node], implicit: object) -> str:
    """The tag PyYAML's `BaseResolver.resolve` gives, with `_Loader`'s resolver table."""
    loader = _Loader("")
    try:
        tag: str = yaml.resolver.BaseResolver.resolve(loader, kind, value, implicit)  # type: ignore[no-untyped-call]
        return tag
    finally:
        loader.dispose()


def _corpus() -> list[str]:
    """Scalars of every shape safeaudit's files hold, and many they should not."""
    words = ["", "~", "null", "Null", "NULL", "nULL", "none", "None", " ", "<<", "=", "!", "&", "*"]
    for word in ("true", "false", "yes", "no", "on", "off", "y", "n"):
        for cased in itertools.product(*((c.lower(), c.upper()) for c in word)):
            words.append("".join(cased))
    numbers = ["0", "00", "007", "1", "12", "-1", "+1", "-0", "+0", "1_000", "0x1F", "0o17"]
    numbers += ["0b101", "0b", "0x", "1__0", "08", "09.5"]
    numbers += ["1.", "1.5", ".5", "-.5", "+.5", "1e3", "1E3", "1.5e-3", "1.5E+3", ".5e1", "1e"]
    numbers += [".inf", "-.inf", ".Inf", ".nan", ".NaN", "1:30", "190:20:30", "1,000", "1.2.3"]
    numbers += ["2025.1", "2026.3", "3.0", "1e999", "-1e999", "0.", "-", "+", ".", "-.", "e3"]
    dates = ["2026-11-23", "2026-02-30", "2026-1-2", "2026-11-02T09:10:00", "2026-11-02 09:10"]
    dates += ["2026-11-02T09:10:00Z", "2026-11-02T09:10:00+01:00", "26-11-2026", "2026/11/23"]
    text = ["yes please", "true story", "no.", "n/a", "dont-know", "never", "partial", "12 pupils"]
    text += ["leadership.cp-policy", "J. Marsh", "£50", "é", "ünïcödé", "漢字", "1 2", "a: b"]
    corpus = words + numbers + dates + text
    # Every first character, alone and before a digit, a letter and text.
    for char in [*string.printable, "é", "£", "\u00a0", "\u2028", "漢"]:
        corpus += [char, char + "1", char + "a", char + "rue", char + "ull", char + ".5"]
    # Each shape with a sign, spaces and a trailing newline, which `$` in a pattern allows.
    for base in words + numbers + dates:
        corpus += [f"-{base}", f"+{base}", f" {base}", f"{base} ", f"{base}\n", f"{base}x"]
    return corpus


def test_resolve_matches_pyyaml_on_a_large_corpus() -> None:
    loader = _Loader("")
    try:
        corpus = _corpus()
        assert len(corpus) > 1500
        for value in corpus:
            for implicit in _IMPLICITS:
                expected = _reference(value, yaml.ScalarNode, implicit)
                assert loader.resolve(yaml.ScalarNode, value, implicit) == expected, (
                    value,
                    implicit,
                )
        for kind in (yaml.SequenceNode, yaml.MappingNode):
            for flag in (True, False):
                assert loader.resolve(kind, None, flag) == _reference(None, kind, flag)
    finally:
        loader.dispose()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=12))
def test_resolve_matches_pyyaml_on_any_text(value: str) -> None:
    loader = _Loader("")
    try:
        for implicit in _IMPLICITS:
            expected = _reference(value, yaml.ScalarNode, implicit)
            assert loader.resolve(yaml.ScalarNode, value, implicit) == expected
    finally:
        loader.dispose()


def test_the_loader_has_no_path_resolvers() -> None:
    # `resolve` and the descend/ascend hooks skip path resolvers because there are none.
    assert not _Loader.yaml_path_resolvers


class _ReferenceLoader(_Loader):
    """`_Loader` with PyYAML's own resolver and hooks."""

    resolve = yaml.resolver.BaseResolver.resolve
    descend_resolver = yaml.resolver.BaseResolver.descend_resolver
    ascend_resolver = yaml.resolver.BaseResolver.ascend_resolver


def _tags(node: yaml.Node | None) -> list[tuple[int, int, str]]:
    assert node is not None
    found = [(node.start_mark.line, node.start_mark.column, node.tag)]
    if isinstance(node, yaml.SequenceNode):
        for child in node.value:
            found += _tags(child)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            found += _tags(key) + _tags(value)
    return found


DOCUMENT = """\
checklist: {id: kcsie-2026-online-safety, version: "2026.3"}
setting: {name: Test, type: primary, provision: [early-years], urn: 123456}
audit_date: 2026-11-23
answers:
  a.one: {value: yes, due: 2026-12-11, answered_at: 2026-11-02T09:10:00}
  a.two: {value: 'no', review: true, note: ~}
  a.three: {value: 3, evidence: 1.5, owner: .5, other: -7, more: +2.0e3}
  a.four: [TRUE, False, fAlse, null, Null, '', "", 0x1F, 1_000, .inf, <<, =]
  a.five:
    value: |
      literal
    reason: >
      folded
  !!str tagged: !!int 7
"""


@pytest.mark.parametrize("text", [DOCUMENT, "- 1\n- [2, {3: 4}]\n", "just text\n", "~\n"])
def test_documents_compose_with_the_same_tags(text: str) -> None:
    ours, reference = _Loader(text), _ReferenceLoader(text)
    try:
        assert _tags(ours.get_single_node()) == _tags(reference.get_single_node())
    finally:
        ours.dispose()
        reference.dispose()


def test_shipped_files_compose_with_the_same_tags() -> None:
    root = Path(__file__).resolve().parent.parent
    files = sorted(root.glob("examples/**/*.yaml")) + sorted(root.glob("checklists/*.yaml"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        ours, reference = _Loader(text), _ReferenceLoader(text)
        try:
            assert _tags(ours.get_single_node()) == _tags(reference.get_single_node()), path
        finally:
            ours.dispose()
            reference.dispose()
        parse_yaml(text, str(path))
