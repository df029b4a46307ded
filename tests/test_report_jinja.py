"""The cache of compiled report templates: read back whole, and never trusted when damaged."""

from __future__ import annotations

from pathlib import Path

import jinja2

from safeaudit.report._jinja import _BytecodeCache


def _environment(folder: Path, source: str) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.DictLoader({"page.html": source}),
        autoescape=True,
        bytecode_cache=_BytecodeCache(str(folder)),
    )


def test_a_cached_template_renders_as_the_compiled_one(tmp_path: Path) -> None:
    source = "<p>{{ name }}</p>{% for x in items %}<i>{{ x }}</i>{% endfor %}"
    first = _environment(tmp_path, source).get_template("page.html")
    assert len(list(tmp_path.iterdir())) == 1  # written by Jinja on first compile
    environment = _environment(tmp_path, source)
    cache = environment.bytecode_cache
    assert cache is not None
    assert cache.get_bucket(environment, "page.html", None, source).code is not None  # read back
    again = environment.get_template("page.html")
    values = {"name": "<b>Tom & Jo</b>", "items": ["<", ">"]}
    assert again.render(values) == first.render(values)
    assert again.render(values) == "<p>&lt;b&gt;Tom &amp; Jo&lt;/b&gt;</p><i>&lt;</i><i>&gt;</i>"


def test_a_damaged_or_stale_cache_file_is_compiled_again(tmp_path: Path) -> None:
    _environment(tmp_path, "<p>{{ name }}</p>").get_template("page.html")
    (cached,) = tmp_path.iterdir()
    whole = cached.read_bytes()
    for damaged in (b"", whole[:10], whole[:-40], b"nonsense" * 20):
        cached.write_bytes(damaged)
        environment = _environment(tmp_path, "<p>{{ name }}</p>")
        assert environment.bytecode_cache is not None
        bucket = environment.bytecode_cache.get_bucket(
            environment, "page.html", None, "<p>{{ name }}</p>"
        )
        assert bucket.code is None
        template = _environment(tmp_path, "<p>{{ name }}</p>").get_template("page.html")
        assert template.render(name="<x>") == "<p>&lt;x&gt;</p>"
    # The same name with a changed template: the checksum differs, so it is compiled anew.
    changed = _environment(tmp_path, "<div>{{ name }}</div>").get_template("page.html")
    assert changed.render(name="<x>") == "<div>&lt;x&gt;</div>"
