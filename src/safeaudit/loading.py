"""Safe YAML loading that keeps line and column positions and turns every failure into a LoadError.

Only plain data is accepted: no Python tags, bounded size, bounded alias expansion and nesting.
Booleans are only `true`/`false` and dates are left as text (pydantic parses them with a
position), so `yes`, `no` and `2026-02-30` reach validation as written.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from safeaudit.errors import LoadError
from safeaudit.problems import Problem

try:  # libyaml's C parser when present; construction stays in Python either way.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

#: Largest file accepted. The biggest shipped checklist is well under 1 MB.
MAX_BYTES = 5 * 1024 * 1024
#: Largest number of values a document may expand to once aliases are followed.
MAX_NODES = 500_000
#: Most characters of text (keys and values) a document may expand to once aliases are
#: followed: the same as the file size limit, so every command's time and memory stay linear in
#: a size that is bounded whatever the aliases do (docs/errors.md, SA007).
MAX_EXPANDED_CHARS = 5_000_000
#: Deepest nesting accepted; real checklists are about 8 levels deep.
MAX_DEPTH = 64

# Codes for files that cannot be used at all (exit 2); documented in docs/errors.md.
CODE_UNREADABLE = "SA001"
CODE_NOT_TEXT = "SA002"
CODE_TOO_LARGE = "SA003"
CODE_EMPTY = "SA004"
CODE_SYNTAX = "SA005"
CODE_TAG = "SA006"
CODE_TOO_COMPLEX = "SA007"
CODE_DUPLICATE_KEY = "SA101"

_BOOL_TAG = "tag:yaml.org,2002:bool"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"


_REPLACED_TAGS = (_BOOL_TAG, _INT_TAG, _FLOAT_TAG, _TIMESTAMP_TAG)
#: Tags for values safeaudit never holds (bytes, sets, ordered pairs): refused as SA006.
_REFUSED_TAGS = ("binary", "set", "omap", "pairs")


class _DuplicateKey(yaml.MarkedYAMLError):
    pass


class _BadTagValue(yaml.MarkedYAMLError):
    pass


class _TooLongNumber(yaml.MarkedYAMLError):
    pass


def _too_long_number(node: yaml.Node) -> _TooLongNumber | None:
    """The error for a whole number longer than Python reads from text (4,300 digits unless
    set otherwise), which would otherwise stop the program; None for any other value."""
    limit = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 0
    if not (limit and node.tag == _INT_TAG and isinstance(node, yaml.ScalarNode)):
        return None
    value = node.value
    if sum(char.isdigit() for char in value) <= limit:
        return None
    return _TooLongNumber(
        problem=f"`{_short(value)}` is a number too long to read ({len(value):,} characters); "
        "shorten it, or put it in quotes if it is text",
        problem_mark=node.start_mark,
    )


def _integer(node: yaml.ScalarNode) -> int:
    """A whole number's value (written as `_INT_FORM` allows), or a placed error if too long."""
    try:
        return int(node.value)
    except ValueError:
        raise _too_long_number(node) or _Unusual from None


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Loader(_BaseLoader):
    """CSafeLoader with YAML 1.2-style scalars and duplicate-key detection."""

    # Drop YAML 1.1's bool/int/float/timestamp guessing; 1.2-style rules are added below.
    yaml_implicit_resolvers = {  # noqa: RUF012
        first: [(tag, rx) for tag, rx in resolvers if tag not in _REPLACED_TAGS]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    }

    yaml_constructors = {  # noqa: RUF012
        tag: constructor
        for tag, constructor in _BaseLoader.yaml_constructors.items()
        if tag is None or tag.rsplit(":", 1)[-1] not in _REFUSED_TAGS
    }

    def resolve(self, kind: type[yaml.Node], value: str | None, implicit: Any) -> str:
        """The tag of an untagged node: what PyYAML's `BaseResolver.resolve` gives, for less.

        libyaml's composer calls this for every node (some 800 in an answer file). It tries the
        same resolvers in the same order, from `_IMPLICIT` (built from this class's table), and
        skips the path-resolver lookups, since this loader has no path resolvers.
        """
        if kind is yaml.ScalarNode:
            if implicit[0]:
                resolvers = _IMPLICIT.get(value[:1], _WILDCARD)  # type: ignore[index]
                if resolvers:  # most first characters have none
                    for tag, regexp in resolvers:
                        if regexp.match(value):  # type: ignore[arg-type]
                            return tag
            return _STR_TAG
        return _SEQ_TAG if kind is yaml.SequenceNode else _MAP_TAG

    # Path resolvers are the only thing these hooks track, and this loader has none, so they do
    # nothing (as PyYAML's own do when there are none) without looking that up around every node.
    def descend_resolver(self, current_node: yaml.Node | None, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """Construct one value; a value its explicit tag cannot hold is a placed error."""
        if node.tag == _STR_TAG and type(node) is yaml.ScalarNode:
            return node.value  # most values: what PyYAML's str constructor returns, directly
        try:
            return super().construct_object(node, deep=deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, KeyError, OverflowError, IndexError, AttributeError):
            too_long = _too_long_number(node)
            if too_long is not None:
                raise too_long from None
            # `!!bool maybe`, `!!int abc`, `!!timestamp 2026-02-30`, `!!float ''`... PyYAML's
            # timestamp constructor fails with AttributeError on a value its pattern misses.
            tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
            value = node.value if isinstance(node, yaml.ScalarNode) else ""
            shown = f"`{_short(value)}`" if value else "an empty or nested value"
            raise _BadTagValue(
                problem=f"{shown} cannot be read as {tag}; remove the tag or correct the value",
                problem_mark=node.start_mark,
            ) from None

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):  # `!!map [a]`
            raise _BadTagValue(
                problem="a list or single value is tagged !!map; remove the tag",
                problem_mark=node.start_mark,
            )
        seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
            except TypeError:  # unhashable key; the base class reports it
                continue
            if first is not None:
                raise _DuplicateKey(
                    problem=f"the key `{key}` appears twice in the same mapping "
                    f"(first on line {first.start_mark.line + 1}); remove or rename one",
                    problem_mark=key_node.start_mark,
                )
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


_INT_FORM = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT_FORM = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?$")
_Loader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(_INT_TAG, _INT_FORM, list("-+0123456789"))
_Loader.add_implicit_resolver(_FLOAT_TAG, _FLOAT_FORM, list("-+.0123456789"))

#: The implicit resolvers `_Loader.resolve` tries for a plain scalar, by its first character
#: ('' for an empty one), each list followed by the wildcard resolvers, exactly as PyYAML's
#: `BaseResolver.resolve` tries them; a character with no entry gets only the wildcard ones.
_WILDCARD: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    _Loader.yaml_implicit_resolvers.get(None, [])
)
_IMPLICIT: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    first: (*resolvers, *_WILDCARD)
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
    if first is not None
}


class _Unusual(Exception):
    """A document `_plain` leaves to the full constructor, which also reports its errors."""


_BOOLS = {"true": True, "false": False}


def _plain(node: yaml.Node, depth: int = 1) -> Any:
    """The data of an anchor-free node tree, built as `_Loader` builds it but about three times
    faster (roll-ups construct thousands of files). Anything but plain strings, the 1.2-style
    numbers, booleans and nulls, lists and mappings with distinct scalar keys raises _Unusual, and
    the full constructor takes over: other tags, merge keys, duplicate or odd keys.

    A list or mapping nested more than MAX_DEPTH deep (`depth` is that of `node`) also raises
    _Unusual, so a document this walk builds needs no separate depth check."""
    if isinstance(node, yaml.ScalarNode):
        tag, value = node.tag, node.value
        if tag == _STR_TAG:
            return value
        if tag == _NULL_TAG:
            return None
        if tag == _BOOL_TAG and value.lower() in _BOOLS:
            return _BOOLS[value.lower()]
        if tag == _INT_TAG and _INT_FORM.match(value):
            return _integer(node)
        if tag == _FLOAT_TAG and _FLOAT_FORM.match(value):
            return float(value)
        raise _Unusual
    if depth > MAX_DEPTH:
        raise _Unusual
    depth += 1
    if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ_TAG:
        return [_plain(child, depth) for child in node.value]
    if not (isinstance(node, yaml.MappingNode) and node.tag == _MAP_TAG):
        raise _Unusual
    mapping: dict[Any, Any] = {}
    scalar = yaml.ScalarNode
    for key_node, value_node in node.value:
        if not isinstance(key_node, scalar):
            raise _Unusual
        # Most keys and values are plain strings, taken here as the first test above takes
        # them, without a call for each.
        key = key_node.value if key_node.tag == _STR_TAG else _plain(key_node)
        if key in mapping:
            raise _Unusual
        if value_node.tag == _STR_TAG and isinstance(value_node, scalar):
            mapping[key] = value_node.value
        else:
            mapping[key] = _plain(value_node, depth)
    return mapping


class YamlDocument:
    """Parsed YAML data with its node tree, so any value can be traced back to a line.

    A plain class, not a dataclass: defining one costs every command about a millisecond at
    import (issue 17).
    """

    __slots__ = ("data", "name", "root")

    def __init__(self, name: str, data: Any, root: yaml.Node) -> None:
        self.name = name
        self.data = data
        self.root = root

    def __repr__(self) -> str:
        return f"YamlDocument(name={self.name!r}, data={self.data!r}, root={self.root!r})"

    def position(self, loc: Sequence[str | int], *, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value at `loc`, or of its key when `key` is true.

        Stops at the deepest node that exists, so a missing key points at its parent.
        """
        node: yaml.Node = self.root
        for depth, step in enumerate(loc, start=1):
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(step):
                        node = key_node if key and depth == len(loc) else value_node
                        break
                else:
                    break
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                if 0 <= step < len(node.value):
                    node = node.value[step]
                else:
                    break
            else:
                break
        return node.start_mark.line + 1, node.start_mark.column + 1

    def problem(
        self,
        loc: Sequence[str | int],
        code: str,
        message: str,
        *,
        key: bool = False,
        level: str = "error",
    ) -> Problem:
        line, column = self.position(loc, key=key)
        return Problem(self.name, line, column, code, message, level)  # type: ignore[arg-type]


def _fail(name: str, code: str, message: str, line: int = 0, column: int = 0) -> LoadError:
    return LoadError(Problem(name, line, column, code, message))


def read_text(path: Path, name: str | None = None, max_bytes: int = MAX_BYTES) -> str:
    """Read a file as UTF-8 text (a byte-order mark is allowed), or raise a LoadError."""
    name = name if name is not None else str(path)
    return decode_text(read_bytes(path, name, max_bytes), name, max_bytes)


def read_bytes(path: Path, name: str | None = None, max_bytes: int = MAX_BYTES) -> bytes:
    """Up to `max_bytes + 1` bytes of an ordinary file (decode_text refuses more), or a LoadError."""
    name = name if name is not None else str(path)
    try:
        if path.is_dir():
            raise _fail(
                name, CODE_UNREADABLE, "is a folder, not a file; give the path of a YAML file"
            )
        data = read_ordinary_file(path, name, max_bytes + 1)
    except FileNotFoundError:
        if path.is_symlink():
            target = os.readlink(path)
            raise _fail(
                name, CODE_UNREADABLE, f"is a link to {target}, which does not exist"
            ) from None
        raise _fail(name, CODE_UNREADABLE, "file not found; check the name and folder") from None
    except PermissionError:
        raise _fail(name, CODE_UNREADABLE, "cannot be read: permission denied") from None
    except OSError as exc:
        raise _fail(name, CODE_UNREADABLE, f"cannot be read: {exc.strerror or exc}") from None
    return data


def read_ordinary_file(path: Path, name: str, limit: int) -> bytes:
    """Up to `limit` bytes of an ordinary file; a named pipe or device is refused, never waited
    on: it is checked before opening, opened without blocking, and checked again once open."""
    import stat

    from safeaudit.output import kind_of

    def refuse(mode: int) -> LoadError:
        what = kind_of(mode)
        return _fail(name, CODE_UNREADABLE, f"is {what}, not an ordinary file; give a YAML file")

    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise refuse(mode)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise refuse(mode)
        return handle.read(limit)


_UTF8_BOM = b"\xef\xbb\xbf"


def decode_text(data: bytes, name: str, max_bytes: int = MAX_BYTES) -> str:
    """Check and decode file bytes; raise a LoadError for anything that is not usable text."""
    if len(data) > max_bytes:
        limit = max_bytes // (1024 * 1024)
        raise _fail(
            name, CODE_TOO_LARGE, f"is too large: safeaudit reads files of up to {limit} MB"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Windows PowerShell 5 writes UTF-16 when output is redirected with `>`.
        raise _fail(
            name,
            CODE_NOT_TEXT,
            "is UTF-16 text, not UTF-8; save it again as UTF-8 (in Notepad choose 'UTF-8')",
        )
    if b"\x00" in data:
        raise _fail(name, CODE_NOT_TEXT, "looks like a binary file, not YAML text")
    # What "utf-8-sig" does (a leading byte-order mark dropped) without that codec's lookup,
    # first-use import and Python-level wrapper.
    body = data[3:] if data.startswith(_UTF8_BOM) else data
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Counted in what was decoded, as an editor counts: lines, then characters (not bytes)
        # before the bad byte on its line, all of which decoded.
        line_start = body.rfind(b"\n", 0, exc.start) + 1
        line = body.count(b"\n", 0, exc.start) + 1
        column = len(body[line_start : exc.start].decode("utf-8")) + 1
        raise _fail(
            name,
            CODE_NOT_TEXT,
            "is not UTF-8 text; save it again as UTF-8 (in Excel or Word choose 'UTF-8')",
            line,
            column,
        ) from None
    if not _holds_data(text[:_HEAD]) and not _holds_data(text):
        raise _fail(name, CODE_EMPTY, "is empty; it should hold YAML data")
    return text


#: How much of a file `decode_text` looks at first for a line of data, which nearly always
#: comes within a few lines: that spares splitting every line of a long file.
_HEAD = 4096


def _holds_data(text: str) -> bool:
    """Whether some line is neither blank nor a comment.

    The answer for the start of a text is also the answer for the whole when it is yes: a line
    cut short there that is data (something other than `#` first) is data whole.
    """
    return any(line.strip() and line.lstrip()[0] != "#" for line in text.splitlines())


#: libyaml's composer recurses in C and crashes the interpreter past a few thousand levels
#: (fewer on Windows, whose stacks are smaller), so deeper documents are refused before it runs.
_SAFE_DEPTH_BOUND = 1000


def _guard_depth(text: str, name: str) -> None:
    """Refuse documents nested deeper than MAX_DEPTH without composing them.

    A block-style level needs at least one more column on its line and a flow-style level a
    bracket, so nesting can never exceed the longest line plus the number of brackets. Only
    when that cheap bound is high are the parser's events counted, which uses no recursion.
    """
    longest = max(map(len, text.splitlines()), default=0)
    if longest + text.count("[") + text.count("{") <= _SAFE_DEPTH_BOUND:
        return
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _too_deep(name, event.start_mark)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        if _is_nesting_error(exc):
            raise _too_deep(name, exc.problem_mark or exc.context_mark) from None
        return  # the real parse below reports syntax errors with their position
    except yaml.YAMLError:
        return


def parse_yaml(text: str, name: str) -> YamlDocument:
    """Parse YAML text into data plus node tree; raise a LoadError naming line and column."""
    _guard_depth(text, name)
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise _fail(name, CODE_EMPTY, "is empty; it should hold YAML data")
        # Without anchors there are no aliases, so size is bounded by the text itself and only
        # depth needs checking: `_plain` checks it as it builds the data, and leaves a document
        # too deep (or unusual) to `_check_depth`, which places the error, and the constructor.
        if "&" in text:
            _check_complexity(root, name)
            data = loader.construct_document(root)
        else:
            try:
                data = _plain(root)
            except _Unusual:
                _check_depth(root, name)
                data = loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, name, text) from None
    except yaml.reader.ReaderError as exc:
        raise _reader_error(exc, name, text) from None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        raise _fail(name, CODE_SYNTAX, f"is not valid YAML: {exc}") from None
    except RecursionError:
        raise _too_deep(name, None) from None
    finally:
        loader.dispose()
    return YamlDocument(name, data, root)


def load_yaml(path: Path, name: str | None = None) -> YamlDocument:
    """Read and parse one YAML file."""
    name = name if name is not None else str(path)
    return parse_yaml(read_text(path, name), name)


def _is_nesting_error(exc: yaml.MarkedYAMLError) -> bool:
    """Whether PyYAML or libyaml stopped because of deep nesting (newer releases do so)."""
    words = f"{exc.context or ''} {exc.problem or ''}".lower()
    return "nesting" in words or "depth" in words


def _too_deep(name: str, mark: Any) -> LoadError:
    line, column = _mark_position(mark)
    return _fail(
        name, CODE_TOO_COMPLEX, f"is nested too deeply (more than {MAX_DEPTH} levels)", line, column
    )


def _check_depth(root: yaml.Node, name: str) -> None:
    """Refuse a document nested deeper than MAX_DEPTH; only collections are visited."""
    scalar = yaml.ScalarNode
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _too_deep(name, node.start_mark)
        stack.extend(
            (child, depth + 1) for child in _children(node) if not isinstance(child, scalar)
        )


def _mark_position(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)


def _char_at(text: str, mark: yaml.Mark | None) -> str:
    if mark is None:
        return ""
    lines = text.splitlines()
    if mark.line < len(lines) and mark.column < len(lines[mark.line]):
        return lines[mark.line][mark.column]
    return ""


def _syntax_error(exc: yaml.MarkedYAMLError, name: str, text: str) -> LoadError:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    problem = (exc.problem or exc.context or "is not valid YAML").strip()
    if isinstance(exc, _DuplicateKey):
        return _fail(name, CODE_DUPLICATE_KEY, problem, line, column)
    if isinstance(exc, _BadTagValue):
        return _fail(name, CODE_TAG, problem, line, column)
    if isinstance(exc, _TooLongNumber):
        return _fail(name, CODE_TOO_COMPLEX, problem, line, column)
    if _is_nesting_error(exc):
        return _too_deep(name, mark)
    if "\\t" in problem or _char_at(text, exc.problem_mark) == "\t":
        return _fail(
            name,
            CODE_SYNTAX,
            "a tab character is used for indentation; YAML needs spaces, so replace the tab",
            line,
            column,
        )
    tag = re.search(r"tag '([^']*)'", problem)
    if isinstance(exc, yaml.constructor.ConstructorError) and tag:
        shown = tag.group(1).replace("tag:yaml.org,2002:", "!!")
        return _fail(
            name,
            CODE_TAG,
            f"the tag {shown} is not allowed: safeaudit files hold plain data only",
            line,
            column,
        )
    if "mapping values are not allowed" in problem:
        return _fail(
            name,
            CODE_SYNTAX,
            "is not valid YAML: a value contains `: `, which starts a new key; "
            "put the value in quotes",
            line,
            column,
        )
    context = f" {exc.context}" if exc.context and exc.problem else ""
    return _fail(
        name, CODE_SYNTAX, f"is not valid YAML:{context} {problem}".replace("  ", " "), line, column
    )


def _reader_error(exc: yaml.reader.ReaderError, name: str, text: str) -> LoadError:
    """A character YAML does not allow (a control character), placed by line and column."""
    position = max(0, min(exc.position, len(text)))
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or " ")
    return _fail(
        name,
        CODE_SYNTAX,
        f"contains the control character U+{code:04X}, which YAML does not allow; remove it",
        line,
        column,
    )


def _check_complexity(root: yaml.Node, name: str) -> None:
    """Refuse alias bombs, self-referencing aliases and very deep nesting before constructing."""
    sizes: dict[int, int] = {}
    chars: dict[int, int] = {}
    depths: dict[int, int] = {}
    visiting: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            visiting.discard(key)
            children = _children(node)
            size = 1 + sum(sizes[id(child)] for child in children)
            length = sum(chars[id(child)] for child in children)
            if isinstance(node, yaml.ScalarNode):
                length += len(node.value)
            depth = 1 + max((depths[id(child)] for child in children), default=0)
            if size > MAX_NODES or length > MAX_EXPANDED_CHARS:
                mark = node.start_mark
                what = (
                    "too many values"
                    if size > MAX_NODES
                    else f"more than {MAX_EXPANDED_CHARS:,} characters of text"
                )
                raise _fail(
                    name,
                    CODE_TOO_COMPLEX,
                    f"expands to {what} through anchors and aliases (&, *); "
                    "write the values out instead",
                    mark.line + 1,
                    mark.column + 1,
                )
            if depth > MAX_DEPTH:
                raise _too_deep(name, node.start_mark)
            sizes[key] = size
            chars[key] = length
            depths[key] = depth
            continue
        if key in sizes:
            continue
        visiting.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in visiting:
                mark = child.start_mark
                raise _fail(
                    name,
                    CODE_TOO_COMPLEX,
                    "an alias refers to the value that contains it",
                    mark.line + 1,
                    mark.column + 1,
                )
            if id(child) not in sizes:
                stack.append((child, False))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [item for pair in node.value for item in pair]
    return []
