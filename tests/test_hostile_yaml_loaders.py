"""libyaml's parser and the pure one read every form alike: same values, same line
marks, same errors; so the server may use whichever PyYAML has."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from survey import yaml_source
from survey.yaml_source import LineList, LineMapping
from tests.conftest import PROJECT

FILES = sorted((PROJECT / "forms").glob("*.yaml")) + sorted((PROJECT / "tests" / "forms").glob("*.yaml")) \
    + [PROJECT / "survey" / "i18n" / "languages.yaml"]
C_LOADER, PURE_LOADER = yaml_source.LOADERS[0], yaml_source.LOADERS[-1]
pytestmark = pytest.mark.skipif(C_LOADER is PURE_LOADER, reason="PyYAML was built without libyaml")


def marks(value: Any) -> Any:
    """The value with every line mark and every number's spelling made visible."""
    if isinstance(value, LineMapping):
        return ("map", value.line, {k: (value.line_of(k), marks(v)) for k, v in value.items()})
    if isinstance(value, LineList):
        return ("list", value.line, [(value.line_of(i), marks(v)) for i, v in enumerate(value)])
    return (type(value).__name__, value, getattr(value, "text", None))


def test_the_server_uses_libyaml() -> None:
    assert C_LOADER.__name__ == "_CLoader"


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_both_parsers_give_the_same_values_and_line_marks(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert marks(yaml_source.load(text, C_LOADER)) == marks(yaml_source.load(text, PURE_LOADER))


@pytest.mark.parametrize("text", [
    "a: !!int abc\n", "a: 1\na: 2\n", "a: [1, 2\n", "a:\n\t- b\n", "a: " + "[" * 60 + "]" * 60 + "\n",
    "a: \"\\0\"\n", "a: !!timestamp 2024-01-01\n", "a: *nowhere\n", "a: b: c\n",
])
def test_both_parsers_refuse_alike(text: str) -> None:
    def problem(loader: type | None) -> tuple[str, int, str]:
        with pytest.raises(yaml.YAMLError) as caught:
            yaml_source.load(text, loader)
        error = caught.value
        return type(error).__name__, yaml_source.error_line(error), getattr(error, "problem", str(error))

    server, pure, c = problem(None), problem(PURE_LOADER), problem(C_LOADER)
    assert server == pure
    assert c[1] == pure[1]
