"""The loader: every kind of bad file gets one clear LoadError naming the file and place."""

from __future__ import annotations

from pathlib import Path

import pytest

from safeaudit.errors import LoadError
from safeaudit.loading import MAX_BYTES, load_yaml


def _write(tmp_path: Path, data: bytes | str, name: str = "f.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


@pytest.mark.parametrize(
    ("content", "code", "line", "words"),
    [
        ("a: 1\nb:\n\t- x\n", "SA005", 3, "tab character"),
        ("a: 1\na: 2\n", "SA101", 2, "appears twice"),
        (b"a: caf\xe9\n", "SA002", 1, "not UTF-8"),
        (b"\x00\x01\x02binary", "SA002", 0, "binary"),
        ("", "SA004", 0, "empty"),
        ("# just a comment\n", "SA004", 0, "empty"),
        ("a: [1, 2\n", "SA005", 2, "not valid YAML"),
        ("a: !!python/object/apply:os.system ['true']\n", "SA006", 1, "not allowed"),
        ("a: &a [*a]\n", "SA007", 1, "refers to the value"),
        ("x: &a " + "[" * 100 + "]" * 100 + "\n", "SA007", 1, "nested too deeply"),
        # libyaml's C composer would crash the interpreter on this; it must be refused first.
        ("x: " + "[" * 30000 + "]" * 30000 + "\n", "SA007", 1, "nested too deeply"),
        ("".join(" " * i + f"k{i}:\n" for i in range(1200)), "SA007", 65, "nested too deeply"),
    ],
)
def test_bad_files(tmp_path: Path, content: str | bytes, code: str, line: int, words: str) -> None:
    path = _write(tmp_path, content)
    with pytest.raises(LoadError) as caught:
        load_yaml(path)
    problem = caught.value.problem
    assert (problem.code, problem.line) == (code, line)
    assert words in problem.message
    assert str(path) in str(caught.value)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="file not found"):
        load_yaml(tmp_path / "absent.yaml")
    with pytest.raises(LoadError, match="is a folder"):
        load_yaml(tmp_path)


def test_oversized_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    path = _write(tmp_path, b"a: " + b"x" * (MAX_BYTES + 10))
    with pytest.raises(LoadError, match="too large"):
        load_yaml(path)


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for n in range(1, 9):
        refs = ", ".join([f"*a{n - 1}"] * 10)
        lines.append(f"a{n}: &a{n} [{refs}]")
    with pytest.raises(LoadError, match="anchors and aliases"):
        load_yaml(_write(tmp_path, "\n".join(lines) + "\n"))


def test_modest_aliases_are_fine(tmp_path: Path) -> None:
    doc = load_yaml(_write(tmp_path, "a: &r [1, 2]\nb: *r\n"))
    assert doc.data == {"a": [1, 2], "b": [1, 2]}


def test_bom_and_windows_line_endings_are_accepted(tmp_path: Path) -> None:
    doc = load_yaml(_write(tmp_path, b"\xef\xbb\xbfa: 1\r\nb: text\r\n"))
    assert doc.data == {"a": 1, "b": "text"}


def test_yes_no_and_dates_stay_as_written(tmp_path: Path) -> None:
    doc = load_yaml(
        _write(tmp_path, "a: yes\nb: no\nc: true\nd: 2026-02-30\ne: 012\nf: 1.5\ng: 10:30\n")
    )
    assert doc.data == {
        "a": "yes",
        "b": "no",
        "c": True,
        "d": "2026-02-30",
        "e": "012",
        "f": 1.5,
        "g": "10:30",
    }


def test_positions_point_at_values_and_keys(tmp_path: Path) -> None:
    doc = load_yaml(_write(tmp_path, "top:\n  items:\n    - name: one\n    - name: two\n"))
    assert doc.position(("top", "items", 1, "name")) == (4, 13)
    assert doc.position(("top", "items", 1, "name"), key=True) == (4, 7)
    assert doc.position(("top", "missing")) == (2, 3)
