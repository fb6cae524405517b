"""Thousands of broken copies of forms/priorities.yaml: each is reported at a line
and skipped, none stops the server, and whatever loads fits the database.

The mutations are generated from a fixed seed, so a failure is reproducible:
its message shows the mutation. Text mutations go through the YAML parser
(tags, duplicated keys, deep nesting, long strings); tree mutations change the
parsed form (deleted and duplicated keys, every scalar type in every place).
"""

from __future__ import annotations

import json
import random
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from survey.forms.definition import Form
from survey.forms.errors import FormFileErrors
from survey.forms.loader import (
    MAX_CODE_PARTS,
    MAX_FORM_ID,
    MAX_NAME,
    MAX_VERSION,
    default_registry,
    form_from_data,
    read_form,
)
from survey.yaml_source import LineList, LineMapping, load
from tests.conftest import PROJECT, running_app

SOURCE = (PROJECT / "forms" / "priorities.yaml").read_text(encoding="utf-8")
FILE = "forms/priorities.yaml"
TEXT_MUTATIONS = 250
TREE_MUTATIONS = 2500
ERROR = re.compile(r"^forms/priorities\.yaml:(\d+): \S")

HOSTILE_SCALARS = [
    "!!int abc", "!!int 0x1F", "!!float abc", "!!float 1e999", "!!bool maybe",
    "!!timestamp nope", "!!timestamp 2024-01-01", "!!binary '???'", "!!set {a}", "!!omap [a: 1]",
    "!foo x", "!!null x", "''", '""', "[]", "{}", "1e999", "-1", "0", "true", "null", "~",
    "*nowhere", "&anchor x", "'" + "a" * 10_000 + "'", "a" * 200, '"\\0"', '"\\ud83d"',
    "[" * 60 + "]" * 60, "{a: " * 60 + "1" + "}" * 60, "[" * 1000 + "]" * 1000, "1" * 5000,
]
SCALAR_LINE = re.compile(r"^(\s*(?:- )?[\w-]+: )(.+)$")


def text_mutations(rng: random.Random) -> Iterator[tuple[str, str]]:
    """(description, mutated text): lines deleted, duplicated, values swapped for hostile ones."""
    lines = SOURCE.splitlines()
    scalar_lines = [n for n, line in enumerate(lines) if SCALAR_LINE.match(line)]
    for _ in range(TEXT_MUTATIONS):
        kind = rng.choice(("delete", "duplicate", "value", "value", "value"))
        number = rng.choice(scalar_lines)
        changed = list(lines)
        if kind == "delete":
            del changed[number]
        elif kind == "duplicate":
            changed.insert(number, lines[number])
        else:
            value = rng.choice(HOSTILE_SCALARS)
            changed[number] = SCALAR_LINE.sub(lambda m: m.group(1) + value, lines[number])
        yield f"{kind} at line {number + 1}: {changed[number][:80]!r}", "\n".join(changed) + "\n"
    yield "nested 1,000 deep", SOURCE + "deep: " + "[" * 1000 + "]" * 1000 + "\n"
    yield "nested 1,000 deep, unclosed", SOURCE + "deep: " + "{a: " * 1000 + "\n"


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*path, index))


def _copy(container: Any) -> Any:
    """A shallow copy that keeps the line marks."""
    if isinstance(container, LineMapping):
        copy = LineMapping(container)
        copy.line, copy.key_lines = container.line, dict(container.key_lines)
    else:
        copy = LineList(container)
        copy.line, copy.item_lines = container.line, list(container.item_lines)
    return copy


def _mapping(line: int, **values: Any) -> LineMapping:
    mapping = LineMapping(values)
    mapping.line, mapping.key_lines = line, {key: line for key in values}
    return mapping


def _list(line: int, *items: Any) -> LineList:
    items_list = LineList(items)
    items_list.line, items_list.item_lines = line, [line] * len(items)
    return items_list


def _deep(line: int, depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = _list(line, value)
    return value


def hostile_values(line: int) -> list[Any]:
    return [
        None, "", " ", "text", "x" * 200, "a" * 10_000, 0, -1, 10**30, 1.5,
        float("inf"), True, False, _list(line), _list(line, "a"), _mapping(line),
        _mapping(line, a=1), _deep(line, 40), "P" * 65, "yes",
    ]


def tree_mutations(rng: random.Random, tree: LineMapping) -> Iterator[tuple[str, LineMapping]]:
    paths = [path for path in _paths(tree) if path]
    for _ in range(TREE_MUTATIONS):
        path = rng.choice(paths)
        kind = rng.choice(("delete", "duplicate", "rename", "value", "value", "value"))
        root = _copy(tree)
        parent = root
        for step in path[:-1]:
            parent[step] = _copy(parent[step])
            parent = parent[step]
        last = path[-1]
        line = parent.line_of(last)
        if kind == "delete":
            del parent[last]
        elif kind == "duplicate" and isinstance(parent, LineList):
            parent.insert(last, parent[last])
            parent.item_lines.insert(last, line)
        elif kind == "rename" and isinstance(parent, LineMapping):
            parent[f"{last}x"] = parent.pop(last)
            parent.key_lines[f"{last}x"] = line
        else:
            kind = "value"
            value = rng.choice(hostile_values(line))
            parent[last] = value
        yield f"{kind} at {'.'.join(map(str, path))}", root


def assert_fits_the_database(form: Form, how: str) -> None:
    assert 0 < len(form.id) <= MAX_FORM_ID, how
    assert 0 < len(form.version) <= MAX_VERSION and 0 < len(form.consent.version) <= MAX_VERSION, how
    for question in form.questions():
        assert len(question.name) <= MAX_NAME, how
        assert all(len(value) <= MAX_NAME for value in question.choice_values), how
    assert all(len(code) <= 35 for code in form.languages), how
    stem = "-".join([form.code_format.prefix, *("XXXXXX" for _ in form.code_format.parts)])
    assert len(form.code_format.parts) <= MAX_CODE_PARTS, how
    assert len(f"{stem}-{10 ** form.code_format.digits}") <= 60, how
    choices = {q.name: set(q.choice_values) for q in form.questions()}
    for part in form.code_format.parts:
        assert set(part.codes) == choices[part.question], how
    json.dumps(form.definition, ensure_ascii=False)
    assert form.content_hash and form.consent.content_hash, how


def assert_reported(call: Any, how: str, last_line: int) -> None:
    """``call`` builds a form that fits the database, or reports every error at a line."""
    try:
        form = call()
    except FormFileErrors as exc:
        assert exc.errors, how
        for error in exc.errors:
            match = ERROR.match(str(error))
            assert match and 1 <= int(match[1]) <= last_line, f"{how}: {error}"
    else:
        assert_fits_the_database(form, how)


def test_every_text_mutation_is_reported_at_a_line_or_loads_within_limits() -> None:
    registry = default_registry()
    for how, text in text_mutations(random.Random(12)):
        assert_reported(lambda: read_form(text, FILE, registry), how, text.count("\n") + 1)


def test_every_tree_mutation_is_reported_at_a_line_or_loads_within_limits() -> None:
    registry, tree = default_registry(), load(SOURCE)
    last_line = SOURCE.count("\n") + 1
    for how, data in tree_mutations(random.Random(15), tree):
        assert_reported(lambda: form_from_data(data, FILE, registry), how, last_line)


CODES = "      codes: {burman: BM, kachin: KC, shan: SH, karen: KR, akha: AK, khmer: KH, thai: TH, other: OT}"
BROKEN = {
    "tag_int.yaml": ("version: 1", "version: !!int abc"),
    "tag_hex.yaml": ("version: 1", "version: !!int 0x1F"),
    "tag_float.yaml": ("version: 1", "version: !!float abc"),
    "tag_bool.yaml": ("version: 1", "version: !!bool maybe"),
    "tag_timestamp.yaml": ("version: 1", "version: !!timestamp nope"),
    "deep.yaml": ("version: 1", "version: 1\ndeep: " + "[" * 1000 + "]" * 1000),
    "long_id.yaml": ("id: priorities", "id: p" + "a" * 10_000),
    "empty_version.yaml": ("version: 1", "version: ''"),
    "long_version.yaml": ("version: 1", "version: " + "1" * 200),
    "codes_text.yaml": (CODES, '      codes: "text"'),
}


@pytest.fixture
def hostile_forms(tmp_path: Path) -> Path:
    """One good form (every_type) and the reported crashes, each in its own file."""
    shutil.copy(PROJECT / "tests" / "forms" / "every_type.yaml", tmp_path / "every_type.yaml")
    for name, (old, new) in BROKEN.items():
        assert old in SOURCE, name
        (tmp_path / name).write_text(SOURCE.replace(old, new, 1), encoding="utf-8")
    return tmp_path


def test_broken_forms_do_not_stop_the_server(hostile_forms: Path, database_url: str, _schema: None) -> None:
    with running_app(database_url, FORMS_DIR=str(hostile_forms)) as app:
        assert set(app.extensions["forms_catalog"].current.forms) == {"every_type"}
        result = app.test_cli_runner().invoke(args=["forms", "check"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    reported = {line.split(":")[0] for line in result.output.splitlines() if re.match(r"^\S+\.yaml:\d+: ", line)}
    assert reported == {f"{hostile_forms.name}/{name}" for name in BROKEN}
    assert "ok  " in result.output and "'every_type'" in result.output
