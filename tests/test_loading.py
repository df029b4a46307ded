"""The loader: every kind of bad file gets one clear LoadError naming the file and place."""

from __future__ import annotations

from pathlib import Path

import pytest

from safeaudit.errors import LoadError
from safeaudit.loading import MAX_BYTES, load_yaml, parse_yaml


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
        # Python reads no longer whole number from text (4,300 digits); it must not crash.
        ("a: 1\nb: " + "9" * 5000 + "\n", "SA007", 2, "number too long to read"),
        ("a: &x 1\nb: " + "9" * 5000 + "\n", "SA007", 2, "number too long to read"),
        ("a: !!int " + "9" * 5000 + "\n", "SA007", 1, "number too long to read"),
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


def _nest(levels: int, inner: str = "x") -> str:
    return "[" * levels + inner + "]" * levels


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (f"a: {_nest(63)}\n", None),  # 64 levels with the top mapping: allowed
        (f"a: {_nest(64)}\n", (1, 67)),
        # Two branches too deep: the error is placed where the depth check meets one first,
        # whether or not the quick construction would have built the document.
        (f"a: {_nest(64)}\nb: {_nest(64)}\n", (2, 67)),
        (f"- {_nest(64)}\n- x\n- {_nest(64, '!!str 3')}\n", (3, 66)),
        # Depth is checked before duplicate keys.
        (f"a: {_nest(64)}\na: 1\n", (1, 67)),
    ],
)
def test_depth_limit_and_where_it_is_reported(text: str, where: tuple[int, int] | None) -> None:
    if where is None:
        assert parse_yaml(text, "deep.yaml").data["a"]
        return
    with pytest.raises(LoadError) as caught:
        parse_yaml(text, "deep.yaml")
    problem = caught.value.problem
    assert (problem.code, problem.line, problem.column) == ("SA007", *where)


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


def test_only_one_byte_order_mark_is_dropped() -> None:
    from safeaudit.loading import decode_text

    assert decode_text(b"\xef\xbb\xbfa: 1\n", "f") == "a: 1\n"
    assert decode_text(b"\xef\xbb\xbf\xef\xbb\xbfa: 1\n", "f") == "\ufeffa: 1\n"
    with pytest.raises(LoadError) as caught:
        decode_text(b"\xef\xbb\xbfa: caf\xe9\n", "f")
    assert (caught.value.problem.code, caught.value.problem.column) == ("SA002", 7)


@pytest.mark.parametrize(
    ("data", "line", "column"),
    [
        # After a byte-order mark, lines and columns are those an editor shows (it hides the mark).
        (b"\xef\xbb\xbfa: 1\nb: 2\nc: caf\xe9\n", 3, 7),
        (b"\xef\xbb\xbfname: Fern\xffhollow\n", 1, 11),
        # Columns count characters, not bytes: "\u00e9" is two bytes but one column.
        ("a: 1\nname: F\u00e9rn".encode() + b"\xffhollow\n", 2, 11),
    ],
)
def test_a_byte_that_is_not_utf8_is_placed_as_an_editor_shows_it(
    data: bytes, line: int, column: int
) -> None:
    from safeaudit.loading import decode_text

    with pytest.raises(LoadError) as caught:
        decode_text(data, "f")
    problem = caught.value.problem
    assert (problem.code, problem.line, problem.column) == ("SA002", line, column)


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


def _typed(value: object) -> object:
    """`value` with every type spelled out (True == 1 and 1 == 1.0 in Python)."""
    if isinstance(value, dict):
        return ("dict", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    return (type(value).__name__, repr(value))


_PLAIN_CASES = [
    "a: yes\nb: no\nc: true\nd: 2026-02-30\ne: 012\nf: 1.5\ng: 10:30\nh: ~\ni:\nj: -0.0\n",
    "k: TRUE\nl: False\nm: +12\nn: .5\no: 1.\np: 1e3\nq: 2.5E-3\nr: 0x1F\ns: .inf\nt: null\n",
    "u: !!int 012\nv: !!bool yes\nw: !!str 12\nx: !!float 1\ny: [1, 'a', {z: 1}]\n",
    "1: a\n1.0: b\n",  # the same key twice, to Python
    "a: 1\na: 2\n",
    "<<: {a: 1}\nb: 2\n",
    "? [a]\n: b\n",
    "- !!set {a, b}\n",
    "plain: \"quoted 'text'\"\nfolded: >\n  two\n  lines\nliteral: |\n  kept\n",
]


@pytest.mark.parametrize("text", _PLAIN_CASES)
def test_the_quick_construction_gives_what_the_full_one_does(text: str) -> None:
    import yaml

    from safeaudit.loading import _Loader, _plain, _Unusual

    def full() -> object:
        loader = _Loader(text)
        try:
            return _typed(loader.construct_document(loader.get_single_node()))
        except yaml.YAMLError as exc:
            return type(exc).__name__
        finally:
            loader.dispose()

    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        assert node is not None
        quick = _typed(_plain(node))
    except _Unusual:
        quick = None  # the full constructor is used
    finally:
        loader.dispose()
    assert quick is None or quick == full()


def test_the_quick_construction_agrees_on_every_file_in_the_repository() -> None:
    import yaml

    from safeaudit.loading import _Loader, _plain, _Unusual

    root = Path(__file__).resolve().parents[1]
    files = [*root.glob("checklists/*.yaml"), *root.glob("examples/**/*.yaml")]
    files += [*root.glob("tests/**/*.yaml")]
    quick_ones = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None or "&" in text:
                continue
            try:
                quick = _typed(_plain(node))
            except _Unusual:
                continue
            quick_ones += 1
            assert quick == _typed(loader.construct_document(node)), path
        except yaml.YAMLError:
            continue
        finally:
            loader.dispose()
    assert quick_ones > 50
