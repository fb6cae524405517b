"""The expression language of `relevant` and `constraint`.

Source text is parsed once into a tree of JSON-compatible lists, e.g.
``". >= 1950"`` becomes ``[">=", ["cur"], ["num", 1950]]``. The server
evaluates that tree here; the browser receives the same tree as data.
The grammar is written down in ``forms/README.md``.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

Tree = list[Any]

KEYWORDS = frozenset({"and", "or", "not", "mod"})
COMPARISONS = ("=", "!=", "<=", ">=", "<", ">")
MAX_LENGTH = 2000
MAX_DEPTH = 50
MAX_DIGITS = 15

_TOKEN = re.compile(
    r"""
    (?P<space>[ \t\r\n]+)
  | (?P<num>[0-9]+(?:\.[0-9]+)?)
  | (?P<str>'[^']*'|"[^"]*")
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>!=|<=|>=|[=<>+\-*/(),.])
    """,
    re.VERBOSE,
)


class ExpressionError(ValueError):
    """An expression that cannot be parsed, with the offending position."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position

    def __str__(self) -> str:
        if self.position is None:
            return self.message
        return f"{self.message} at position {self.position + 1}"


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    position: int


def tokenize(source: str) -> Iterator[Token]:
    position = 0
    while position < len(source):
        match = _TOKEN.match(source, position)
        if match is None:
            char = source[position]
            if char in "'\"":
                raise ExpressionError("unterminated string", position)
            raise ExpressionError(f"unexpected character {char!r}", position)
        kind = match.lastgroup or ""
        if kind != "space":
            text = match.group()
            if kind == "name" and text in KEYWORDS:
                kind = "op"
            yield Token(kind, text, position)
        position = match.end()
    yield Token("end", "", position)


class _Parser:
    """Recursive descent over the grammar in forms/README.md."""

    def __init__(self, source: str) -> None:
        self.tokens = list(tokenize(source))
        self.index = 0
        self.depth = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    def accept(self, *texts: str) -> str | None:
        if self.token.kind == "op" and self.token.text in texts:
            self.index += 1
            return self.tokens[self.index - 1].text
        return None

    def expect(self, text: str) -> None:
        if self.accept(text) is None:
            raise ExpressionError(f"expected {text!r}, found {self.describe()}", self.token.position)

    def describe(self) -> str:
        return "end of expression" if self.token.kind == "end" else repr(self.token.text)

    def parse(self) -> Tree:
        tree = self.expression()
        if self.token.kind != "end":
            raise ExpressionError(f"unexpected {self.describe()}", self.token.position)
        return tree

    def expression(self) -> Tree:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError("expression is nested too deeply", self.token.position)
        tree = self.binary_chain(("or",), self.conjunction)
        self.depth -= 1
        return tree

    def binary_chain(self, ops: tuple[str, ...], operand: Callable[[], Tree]) -> Tree:
        tree = operand()
        links = 0
        while (op := self.accept(*ops)) is not None:
            links += 1
            if self.depth + links > MAX_DEPTH:
                raise ExpressionError("expression is nested too deeply", self.token.position)
            tree = [op, tree, operand()]
        return tree

    def conjunction(self) -> Tree:
        return self.binary_chain(("and",), self.negation)

    def negation(self) -> Tree:
        if self.accept("not"):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise ExpressionError("expression is nested too deeply", self.token.position)
            tree = ["not", self.negation()]
            self.depth -= 1
            return tree
        return self.comparison()

    def comparison(self) -> Tree:
        tree = self.sum()
        if (op := self.accept(*COMPARISONS)) is not None:
            tree = [op, tree, self.sum()]
            if self.token.kind == "op" and self.token.text in COMPARISONS:
                raise ExpressionError("comparisons cannot be chained; use 'and'", self.token.position)
        return tree

    def sum(self) -> Tree:
        return self.binary_chain(("+", "-"), self.product)

    def product(self) -> Tree:
        return self.binary_chain(("*", "/", "mod"), self.unary)

    def unary(self) -> Tree:
        if self.accept("-"):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise ExpressionError("expression is nested too deeply", self.token.position)
            tree = ["neg", self.unary()]
            self.depth -= 1
            return tree
        return self.atom()

    def atom(self) -> Tree:
        token = self.token
        if token.kind == "num":
            self.index += 1
            if len(token.text.replace(".", "")) > MAX_DIGITS:
                raise ExpressionError(f"numbers may have at most {MAX_DIGITS} digits", token.position)
            return ["num", float(token.text) if "." in token.text else int(token.text)]
        if token.kind == "str":
            self.index += 1
            return ["str", token.text[1:-1]]
        if self.accept("."):
            return ["cur"]
        if self.accept("("):
            tree = self.expression()
            self.expect(")")
            return tree
        if token.kind == "name":
            self.index += 1
            if self.accept("("):
                return self.call(token)
            return ["ref", token.text]
        raise ExpressionError(f"expected a value, found {self.describe()}", token.position)

    def call(self, name: Token) -> Tree:
        if name.text not in FUNCTIONS:
            raise ExpressionError(f"unknown function {name.text!r}", name.position)
        args: list[Tree] = []
        if not self.accept(")"):
            args.append(self.expression())
            while self.accept(","):
                args.append(self.expression())
            self.expect(")")
        arity = FUNCTIONS[name.text].arity
        if len(args) != arity:
            raise ExpressionError(
                f"{name.text}() takes {arity} argument{'s' if arity != 1 else ''}, got {len(args)}",
                name.position,
            )
        return ["call", name.text, *args]


@dataclass(frozen=True)
class Expression:
    """A parsed expression: the source text and its tree."""

    source: str
    tree: Tree

    @classmethod
    def parse(cls, source: str) -> Expression:
        if len(source) > MAX_LENGTH:
            raise ExpressionError(f"expression is longer than {MAX_LENGTH} characters")
        if not source.strip():
            raise ExpressionError("expression is empty")
        return cls(source, _Parser(source).parse())

    def references(self) -> list[str]:
        """Question names this expression reads, in order of appearance."""
        return list(dict.fromkeys(_walk_refs(self.tree)))

    def selections(self) -> list[tuple[str, str]]:
        """(question, choice) pairs named by ``selected(q, 'x')`` or ``q = 'x'``."""
        return list(_walk_selections(self.tree))

    def uses_current(self) -> bool:
        return any(node == ["cur"] for node in _walk(self.tree))

    def evaluate(self, answers: Mapping[str, Any], current: Any = None) -> Any:
        return evaluate(self.tree, answers, current)

    def is_true(self, answers: Mapping[str, Any], current: Any = None) -> bool:
        return evaluate(self.tree, answers, current) is True


def _walk(tree: Tree) -> Iterator[Tree]:
    yield tree
    if tree[0] in ("num", "str", "ref", "cur"):
        return
    children = tree[2:] if tree[0] == "call" else tree[1:]
    for child in children:
        yield from _walk(child)


def _walk_refs(tree: Tree) -> Iterator[str]:
    for node in _walk(tree):
        if node[0] == "ref":
            yield node[1]


def _walk_selections(tree: Tree) -> Iterator[tuple[str, str]]:
    for node in _walk(tree):
        if node[:2] == ["call", "selected"]:
            pair = node[2:4]
        elif node[0] in ("=", "!="):
            pair = node[1:3]
        else:
            continue
        for ref, literal in (pair, pair[::-1]):
            if ref[0] == "ref" and literal[0] == "str":
                yield ref[1], literal[1]


# --- evaluation -----------------------------------------------------------
# Values are None (no value), bool, int/float, str, or a list of choice codes.


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _compare(op: str, left: Any, right: Any) -> bool:
    if left is None or right is None:
        return False
    if _is_number(left) and _is_number(right) or isinstance(left, str) and isinstance(right, str):
        return {
            "=": left == right,
            "!=": left != right,
            "<": left < right,
            "<=": left <= right,
            ">": left > right,
            ">=": left >= right,
        }[op]
    if isinstance(left, bool) and isinstance(right, bool) and op in ("=", "!="):
        return (left == right) == (op == "=")
    return False


def _arithmetic(op: str, left: Any, right: Any) -> Any:
    if not (_is_number(left) and _is_number(right)):
        return None
    if op in ("/", "mod") and right == 0:
        return None
    try:
        result = _OPERATIONS[op](left, right)
    except OverflowError:
        return None
    return result if isinstance(result, int) or math.isfinite(result) else None


_OPERATIONS: dict[str, Callable[[Any, Any], Any]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "mod": lambda a, b: a % b,
}


def _truthy(value: Any) -> bool:
    if isinstance(value, list):
        return bool(value)
    return value not in (None, False, "", 0)


@dataclass(frozen=True)
class Function:
    arity: int
    apply: Callable[..., Any]


def _as_choices(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(item) for item in value]
    if value is None or value == "":
        return []
    return [str(value)]


def _selected(value: Any, choice: Any) -> bool:
    return choice is not None and str(choice) in _as_choices(value)


def _year(value: Any) -> Any:
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return int(value[:4])
    return None


FUNCTIONS: dict[str, Function] = {
    "selected": Function(2, _selected),
    "count_selected": Function(1, lambda value: len(_as_choices(value))),
    "answered": Function(1, lambda value: value not in (None, "", [])),
    "today": Function(0, lambda: datetime.date.today().isoformat()),
    "year": Function(1, _year),
}


def evaluate(tree: Tree, answers: Mapping[str, Any], current: Any = None) -> Any:
    """Evaluate a parsed tree against answers; never raises on any value."""
    op = tree[0]
    if op in ("num", "str"):
        return tree[1]
    if op == "cur":
        return current
    if op == "ref":
        return answers.get(tree[1])
    if op == "call":
        args = [evaluate(arg, answers, current) for arg in tree[2:]]
        return FUNCTIONS[tree[1]].apply(*args)
    if op == "not":
        return not _truthy(evaluate(tree[1], answers, current))
    if op == "neg":
        value = evaluate(tree[1], answers, current)
        return -value if _is_number(value) else None
    if op == "and":
        return _truthy(evaluate(tree[1], answers, current)) and _truthy(
            evaluate(tree[2], answers, current)
        )
    if op == "or":
        return _truthy(evaluate(tree[1], answers, current)) or _truthy(
            evaluate(tree[2], answers, current)
        )
    left = evaluate(tree[1], answers, current)
    right = evaluate(tree[2], answers, current)
    if op in COMPARISONS:
        return _compare(op, left, right)
    return _arithmetic(op, left, right)
