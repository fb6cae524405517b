"""Read YAML keeping the line of every mapping, key and list item; refuse duplicate keys.

Scalars follow YAML 1.2's core schema: only ``true``/``false`` are booleans,
and numbers are plain decimal. A choice value ``yes`` stays the text "yes",
``12:30`` stays text, and a number keeps the text it was written as
(``010`` is still "010" when used as a code).

Only the tags of that schema may be written explicitly (``!!str``, ``!!int``,
``!!float``, ``!!bool``, ``!!null``, ``!!map``, ``!!seq``), and their values
are checked: ``!!int abc`` is an error at its line, not a crash. Nesting
deeper than ``MAX_DEPTH`` is an error too. libyaml's C parser is used when
PyYAML has it; the pure-Python one gives the same values and lines.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

BOOL_TAG = "tag:yaml.org,2002:bool"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
STR_TAG = "tag:yaml.org,2002:str"
UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
"""Control characters (but tab and line breaks) and lone surrogates: no database keeps them."""
MAX_DEPTH = 50
"""How deeply mappings and lists may nest; a form needs about 8 levels."""
REFUSED_TAGS = ("timestamp", "binary", "set", "omap", "pairs")
TRUE, FALSE = ("true", "True", "TRUE"), ("false", "False", "FALSE")
INT = re.compile(r"[-+]?[0-9]+")
FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*|[0-9]+)(?:[eE][-+]?[0-9]+)?")


class LineMapping(dict[str, Any]):
    """A mapping that remembers its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list[Any]):
    """A list that remembers the line of each item (1-based)."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class SourceInt(int):
    """A whole number that keeps the text it was written as."""

    text: str


class SourceFloat(float):
    text: str


def source_text(value: Any) -> str:
    """A scalar as written in the file: numbers keep their spelling."""
    return getattr(value, "text", None) or str(value)


class DuplicateKeyError(yaml.YAMLError):
    def __init__(self, key: Any, line: int) -> None:
        super().__init__(f"duplicate key {key!r}")
        self.key = key
        self.line = line


class _DepthLimit:
    """Refuses nesting deeper than ``MAX_DEPTH`` while composing (pure parser) and
    while constructing (both parsers), before Python's recursion limit is reached."""

    depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        with self.nested(self.peek_event().start_mark):  # type: ignore[attr-defined]
            return super().compose_node(parent, index)  # type: ignore[misc]

    def nested(self, mark: yaml.Mark) -> _Nesting:
        return _Nesting(self, mark)


class _Nesting:
    def __init__(self, loader: _DepthLimit, mark: yaml.Mark) -> None:
        self.loader, self.mark = loader, mark

    def __enter__(self) -> None:
        self.loader.depth += 1
        if self.loader.depth > MAX_DEPTH:
            raise ComposerError(None, None, f"nested more than {MAX_DEPTH} levels deep", self.mark)

    def __exit__(self, *exc: object) -> None:
        self.loader.depth -= 1


class _Loader(_DepthLimit, yaml.SafeLoader):
    pass


LOADERS: list[type[Any]] = [_Loader]
"""The loaders ``load`` may use, fastest first: libyaml's when PyYAML was built with it."""
if getattr(yaml, "__with_libyaml__", False):
    class _CLoader(_DepthLimit, yaml.CSafeLoader):  # type: ignore[misc]
        pass

    LOADERS.insert(0, _CLoader)


def _scalar(loader: yaml.SafeLoader, node: ScalarNode, pattern: re.Pattern[str], what: str) -> str:
    if not pattern.fullmatch(node.value):
        raise ConstructorError(None, None, f"{node.value[:40]!r} is not {what}", node.start_mark)
    return node.value


def _construct_int(loader: yaml.SafeLoader, node: ScalarNode) -> SourceInt:
    try:
        value = SourceInt(int(_scalar(loader, node, INT, "a whole number")))
    except ValueError:  # more digits than Python converts
        raise ConstructorError(None, None, "the number is too long", node.start_mark) from None
    value.text = node.value
    return value


def _construct_float(loader: yaml.SafeLoader, node: ScalarNode) -> SourceFloat:
    value = SourceFloat(float(_scalar(loader, node, FLOAT, "a number")))
    if not math.isfinite(value):
        raise ConstructorError(None, None, f"{node.value[:40]!r} is too large a number", node.start_mark)
    value.text = node.value
    return value


def _construct_str(loader: yaml.SafeLoader, node: ScalarNode) -> str:
    if found := UNSTORABLE.search(node.value):
        raise ConstructorError(None, None, f"the text holds the character U+{ord(found[0]):04X}, "
                               "which cannot be stored", node.start_mark)
    return node.value


def _construct_bool(loader: yaml.SafeLoader, node: ScalarNode) -> bool:
    if node.value not in TRUE + FALSE:
        raise ConstructorError(None, None, f"{node.value[:40]!r} is not true or false", node.start_mark)
    return node.value in TRUE


def _refuse(loader: yaml.SafeLoader, node: Node) -> None:
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    raise ConstructorError(None, None, f"the tag {tag} is not allowed here", node.start_mark)


def _construct_mapping(loader: _DepthLimit, node: MappingNode) -> LineMapping:
    with loader.nested(node.start_mark):
        loader.flatten_mapping(node)  # type: ignore[attr-defined]
        mapping = LineMapping()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)  # type: ignore[attr-defined]
            if not isinstance(key, str | int | float | bool) or key is None:
                raise ConstructorError(None, None, "keys must be plain text", key_node.start_mark)
            key = source_text(key)
            if key in mapping:
                raise DuplicateKeyError(key, key_node.start_mark.line + 1)
            mapping[key] = loader.construct_object(value_node, deep=True)  # type: ignore[attr-defined]
            mapping.key_lines[key] = key_node.start_mark.line + 1
        return mapping


def _construct_sequence(loader: _DepthLimit, node: SequenceNode) -> LineList:
    with loader.nested(node.start_mark):
        construct = loader.construct_object  # type: ignore[attr-defined]
        items = LineList(construct(child, deep=True) for child in node.value)
        items.line = node.start_mark.line + 1
        items.item_lines = [child.start_mark.line + 1 for child in node.value]
        return items


def _configure(loader: type[Any]) -> None:
    """YAML 1.2 core scalars, checked explicit tags and line marks, on either parser."""
    loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag not in (BOOL_TAG, INT_TAG, FLOAT_TAG)]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    loader.add_implicit_resolver(BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                                 list("tTfF"))
    loader.add_implicit_resolver(INT_TAG, re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
    loader.add_implicit_resolver(
        FLOAT_TAG, re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?$"),
        list("-+.0123456789"),
    )
    loader.add_constructor(INT_TAG, _construct_int)
    loader.add_constructor(FLOAT_TAG, _construct_float)
    loader.add_constructor(BOOL_TAG, _construct_bool)
    loader.add_constructor(STR_TAG, _construct_str)
    for name in REFUSED_TAGS:
        loader.add_constructor(f"tag:yaml.org,2002:{name}", _refuse)
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


for _each in LOADERS:
    _configure(_each)


def load(text: str, loader: type[Any] | None = None) -> Any:
    """Parse YAML text; raises ``yaml.YAMLError`` (with a mark) on bad input.

    A file that libyaml cannot parse is parsed again by the pure parser, so that
    the syntax error reads the same whichever parser the server has.
    """
    try:
        return yaml.load(text, Loader=loader or LOADERS[0])  # noqa: S506 - SafeLoader subclasses
    except (DuplicateKeyError, ConstructorError):
        raise  # raised by the shared Python constructors: the same from either parser
    except yaml.YAMLError:
        if loader is not None or LOADERS[0] is _Loader:
            raise
    return yaml.load(text, Loader=_Loader)  # noqa: S506


def error_line(error: yaml.YAMLError) -> int:
    """The line to blame: where an unclosed construct began, else where parsing failed."""
    problem = getattr(error, "problem", "") or ""
    mark = getattr(error, "problem_mark", None)
    if "end of stream" in problem and getattr(error, "context_mark", None):
        mark = error.context_mark
    return mark.line + 1 if mark else 1
