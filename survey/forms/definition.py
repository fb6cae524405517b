"""A survey form as the loader builds it from YAML: immutable and validated."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from .expressions import Expression

if TYPE_CHECKING:
    from .types import QuestionType


Chain = tuple[str, ...]
"""A language followed by the languages to fall back to, in order."""


@dataclass(frozen=True)
class Text:
    """A human-readable string in each language of its form."""

    translations: Mapping[str, str]

    def in_language(self, chain: Chain) -> str:
        """The text in the first language of ``chain`` that has it."""
        return next((self.translations[code] for code in chain if code in self.translations), "")


@dataclass(frozen=True)
class Choice:
    value: str
    label: Text


@dataclass(frozen=True)
class Question:
    name: str
    type: QuestionType
    label: Text
    line: int
    hint: Text | None = None
    required: bool = False
    choices: tuple[Choice, ...] = ()
    relevant: Expression | None = None
    constraint: Expression | None = None
    constraint_message: Text | None = None
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def choice_values(self) -> list[str]:
        return [choice.value for choice in self.choices]

    @property
    def collects_answer(self) -> bool:
        return self.type.collects_answer


@dataclass(frozen=True)
class Section:
    name: str
    questions: tuple[Question, ...]
    line: int
    title: Text | None = None
    relevant: Expression | None = None


@dataclass(frozen=True)
class OptionalConsent:
    """A consent she may give or refuse on its own, e.g. to be quoted without her name."""

    name: str
    label: Text


@dataclass(frozen=True)
class Consent:
    """The consent text of a form, versioned: a changed text needs a new version."""

    version: str
    text: Text
    optional: tuple[OptionalConsent, ...] = ()
    line: int = 1

    @cached_property
    def content_hash(self) -> str:
        content = {
            "text": dict(self.text.translations),
            "optional": [[o.name, dict(o.label.translations)] for o in self.optional],
        }
        canonical = json.dumps(content, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class CodePart:
    """One coded attribute of a participant code, taken from an answer."""

    question: str
    codes: Mapping[str, str]


@dataclass(frozen=True)
class CodeFormat:
    """How a participant code is built: ``KC-F-SW-0142``."""

    prefix: str = "P"
    parts: tuple[CodePart, ...] = ()
    number: str = "random"  # or "sequence"
    digits: int = 6


@dataclass(frozen=True)
class Form:
    id: str
    version: str
    title: Text
    languages: tuple[str, ...]
    default_language: str
    sections: tuple[Section, ...]
    source: str
    consent: Consent
    code_format: CodeFormat = field(default_factory=CodeFormat)
    definition: Mapping[str, Any] = field(repr=False, default_factory=dict)
    id_line: int = 1
    fallbacks: Mapping[str, Chain] = field(default_factory=dict)
    min_cell: int | None = None
    """Results show counts below this as "<k" (``results: {min_cell: k}``); None: the default."""

    def questions(self) -> Iterator[Question]:
        for section in self.sections:
            yield from section.questions

    def texts(self) -> Iterator[tuple[str, Text]]:
        """Every translatable text of the form, each under a stable key."""
        yield "title", self.title
        yield "consent.text", self.consent.text
        for option in self.consent.optional:
            yield f"consent.optional.{option.name}", option.label
        for section in self.sections:
            if section.title:
                yield f"section.{section.name}.title", section.title
            for question in section.questions:
                prefix = f"question.{question.name}"
                yield f"{prefix}.label", question.label
                if question.hint:
                    yield f"{prefix}.hint", question.hint
                if question.constraint_message:
                    yield f"{prefix}.constraint_message", question.constraint_message
                for choice in question.choices:
                    yield f"{prefix}.choice.{choice.value}", choice.label

    def question(self, name: str) -> Question:
        return next(q for q in self.questions() if q.name == name)

    def chain(self, language: str) -> Chain:
        """Where this form looks for a text in ``language``: its fallbacks, then the default."""
        return self.fallbacks.get(language) or (language, self.default_language)

    def text(self, text: Text | None, language: str) -> str:
        return text.in_language(self.chain(language)) if text else ""

    @cached_property
    def content_hash(self) -> str:
        canonical = json.dumps(self.definition, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()
