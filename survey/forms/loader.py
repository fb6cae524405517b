"""Build validated ``Form`` objects from YAML files, reporting every problem."""

from __future__ import annotations

import difflib
import re
from functools import cache
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .. import yaml_source
from ..config import LANGUAGES_FILE
from ..i18n.languages import Registry, load_registry
from .definition import (
    Choice,
    CodeFormat,
    CodePart,
    Consent,
    Form,
    OptionalConsent,
    Question,
    Section,
    Text,
)
from .errors import FormConfigError, FormFileErrors
from .expressions import KEYWORDS, Expression, ExpressionError
from .types import QUESTION_TYPES
from ..yaml_source import LineList, LineMapping, source_text

FORM_KEYS = {
    "id", "version", "title", "languages", "default_language", "choice_lists", "sections",
    "consent", "participant_code", "results",
}
FORM_REQUIRED = FORM_KEYS - {"choice_lists", "participant_code", "results"}
RESULTS_KEYS = {"min_cell"}
CONSENT_KEYS = {"version", "text", "optional"}
OPTION_KEYS = {"name", "label"}
CODE_KEYS = {"prefix", "parts", "number", "digits"}
CODE_PART_KEYS = {"question", "codes"}
CODE = re.compile(r"[A-Z0-9]{1,6}")
SECTION_KEYS = {"name", "title", "relevant", "questions"}
QUESTION_KEYS = {
    "name", "type", "label", "hint", "required", "choices",
    "relevant", "constraint", "constraint_message",
}
CHOICE_KEYS = {"value", "label"}

MAX_NAME = 64
"""The longest form id, question, section or consent name, or choice value (the database's)."""
MAX_FORM_ID = 40
"""A form id, '@' and a version fit the 80 characters the audit log keeps of an object."""
MAX_VERSION = 32
MAX_CODE_PARTS = 6
"""Prefix, six parts and ten digits fit the 60 characters a participant code may have."""
MAX_FORM_BYTES = 1_000_000
NAME = re.compile(r"[a-z][a-z0-9_]{0,%d}" % (MAX_NAME - 1))
CHOICE_VALUE = re.compile(r"[A-Za-z0-9_-]{1,%d}" % MAX_NAME)
VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,%d}" % (MAX_VERSION - 1))
LANGUAGE = re.compile(r"(?=.{2,35}$)[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
NAME_RULE = "must start with a lower-case letter and hold only a-z, 0-9 and '_'"
VERSION_RULE = (f"must be 1 to {MAX_VERSION} letters, digits, '.', '_' or '-', "
                "starting with a letter or digit")


@dataclass
class _Pending:
    """An expression whose references are checked once every question is known.

    ``limit`` is the position of the first question it may not name.
    """

    expression: Expression
    key: str
    line: int
    where: str
    limit: int
    own_name: str | None = None


@dataclass
class _Reader:
    file: str
    registry: Registry
    errors: list[FormConfigError] = field(default_factory=list)
    languages: tuple[str, ...] = ()
    default_language: str | None = None
    choice_lists: dict[str, tuple[Choice, ...]] = field(default_factory=dict)
    questions: dict[str, Question] = field(default_factory=dict)
    order: dict[str, int] = field(default_factory=dict)
    broken: set[str] = field(default_factory=set)
    pending: list[_Pending] = field(default_factory=list)

    def error(self, line: int, message: str, where: str | None = None) -> None:
        self.errors.append(FormConfigError(self.file, line, message, where))

    # -- generic checks --

    def check_keys(
        self, mapping: LineMapping, allowed: set[str], required: Iterable[str], where: str | None
    ) -> None:
        for key in mapping:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.error(mapping.line_of(key), f"unknown key '{key}'{hint}", where)
        for key in sorted(required):
            if key not in mapping:
                self.error(mapping.line, f"missing '{key}'", where)
            elif mapping[key] is None:
                self.error(mapping.line_of(key), f"'{key}' has no value", where)

    def items(self, owner: LineMapping, key: str, what: str, where: str | None) -> list[tuple[int, LineMapping]]:
        """The mappings listed under ``key``, each with its line; other items are errors."""
        value = owner.get(key)
        if value is None:
            return []
        if not isinstance(value, LineList) or not value:
            self.error(owner.line_of(key), f"{key} must be a non-empty list", where)
            return []
        result = []
        for index, item in enumerate(value):
            if isinstance(item, LineMapping):
                result.append((value.line_of(index), item))
            else:
                self.error(value.line_of(index), f"{what} must be a mapping of keys to values", where)
        return result

    def text(self, owner: LineMapping, key: str, where: str | None) -> Text | None:
        """Translatable text; a key given with no value is reported by ``check_keys``
        when it is required, and here when it is optional."""
        value = owner.get(key)
        line = owner.line_of(key)
        if value is None:
            return None
        if isinstance(value, str) and len(self.languages) <= 1:
            return Text({self.languages[0]: value} if self.languages else {})
        if not isinstance(value, LineMapping):
            wanted = ", ".join(self.languages)
            self.error(line, f"{key} must give the text for each language: {wanted}", where)
            return None
        translations = {}
        for language, text in value.items():
            if self.languages and language not in self.languages:
                self.error(value.line_of(language),
                           f"{key} is given in '{language}', which is not one of the form's languages", where)
            elif not isinstance(text, str) or not text.strip():
                self.error(value.line_of(language), f"{key} in '{language}' must be non-empty text", where)
            else:
                translations[language] = text
        default = self.default_language
        if default and default not in value and self.languages:
            self.error(line, f"{key} has no text in the default language '{default}'", where)
        return Text(translations)

    def optional_text(self, owner: LineMapping, key: str, where: str) -> Text | None:
        if key in owner and owner[key] is None:
            self.error(owner.line_of(key), f"{key} has no text", where)
        return self.text(owner, key, where)

    def expression(self, owner: LineMapping, key: str, where: str) -> Expression | None:
        source = owner.get(key)
        line = owner.line_of(key)
        if source is None:
            if key in owner:
                self.error(line, f"{key} has no expression", where)
            return None
        if not isinstance(source, str):
            self.error(line, f"{key} must be an expression written as text", where)
            return None
        try:
            expression = Expression.parse(source)
        except ExpressionError as exc:
            self.error(line, f"{key} does not parse: {exc}", where)
            return None
        if key == "relevant" and expression.uses_current():
            self.error(line, "'.' (the current answer) can only be used in a constraint", where)
        return expression

    def version(self, owner: LineMapping, where: str | None) -> str | None:
        """The ``version`` under ``owner`` as text, or None (reported) when it is not one."""
        value = owner.get("version")
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float) \
                or not VERSION.fullmatch(source_text(value)):
            self.error(owner.line_of("version"), f"version {VERSION_RULE}", where)
            return None
        return source_text(value)

    # -- the parts of a form --

    def read_languages(self, form: LineMapping) -> None:
        value = form.get("languages")
        line = form.line_of("languages")
        if value is None:
            return
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            self.error(line, "languages must be a list of language codes, e.g. [en, th, my]")
            return
        bad = [code for code in value if not LANGUAGE.fullmatch(code)]
        for code in bad:
            self.error(line, f"'{code}' is not a language code (BCP 47), e.g. en, th, my")
        unknown = [code for code in value if code not in bad and code not in self.registry]
        for code in unknown:
            self.error(line, f"language '{code}' is not in the language registry "
                             "(survey/i18n/languages.yaml); add it there first")
        bad += unknown
        if len(set(value)) != len(value):
            self.error(line, "languages lists a language twice")
        if not bad:
            self.languages = tuple(dict.fromkeys(value))
        default = form.get("default_language")
        if self.languages and default is not None and default not in self.languages:
            self.error(form.line_of("default_language"), f"default_language '{default}' is not in languages")
        elif isinstance(default, str):
            self.default_language = default

    def read_choices(self, owner: LineMapping, key: str, where: str) -> tuple[Choice, ...]:
        choices: list[Choice] = []
        for number, (line, item) in enumerate(self.items(owner, key, "a choice", where), start=1):
            self.check_keys(item, CHOICE_KEYS, CHOICE_KEYS, f"{where}: choice {number}")
            code = item.get("value")
            if code is None:
                continue
            if isinstance(code, bool) or not isinstance(code, str | int | float):
                self.error(item.line_of("value"), "choice value must be text or a number", where)
                continue
            code = source_text(code)
            if not CHOICE_VALUE.fullmatch(code):
                self.error(item.line_of("value"),
                           _choice_value_problem(code), where)
            elif code in (c.value for c in choices):
                self.error(item.line_of("value"), f"duplicate choice value '{code}'", where)
            label = self.text(item, "label", f"{where}: choice '{code}'")
            choices.append(Choice(code, label or Text({})))
        return tuple(choices)

    def read_choice_lists(self, form: LineMapping) -> None:
        lists = form.get("choice_lists")
        if lists is None:
            return
        if not isinstance(lists, LineMapping):
            self.error(form.line_of("choice_lists"), "choice_lists must map each list's name to its choices")
            return
        for name in lists:
            self.choice_lists[name] = self.read_choices(lists, name, f"choice list '{name}'")

    def read_question(self, item: LineMapping) -> Question | None:
        name = item.get("name")
        where = f"question '{name}'" if isinstance(name, str) else f"question at line {item.line}"
        type_name = item.get("type")
        question_type = QUESTION_TYPES.get(type_name) if isinstance(type_name, str) else None
        extra = set(question_type.options) if question_type else set()
        self.check_keys(item, QUESTION_KEYS | extra, ("name", "type", "label"), where)
        if name is None:
            return None
        if not isinstance(name, str) or not NAME.fullmatch(name) or name in KEYWORDS:
            rule = name_rule(name)
            keywords = " (and not be and, or, not, mod)" if rule == NAME_RULE else ""
            self.error(item.line_of("name"), f"name {rule}{keywords}", where)
            return None
        if name in self.questions or name in self.broken:
            first = f" (first at line {self.questions[name].line})" if name in self.questions else ""
            self.error(item.line_of("name"), f"duplicate question name '{name}'{first}", where)
            return None
        if type_name is not None and question_type is None:
            known = ", ".join(sorted(QUESTION_TYPES))
            self.error(item.line_of("type"), f"unknown type '{type_name}' (known types: {known})", where)
        if question_type is None:
            self.broken.add(name)
            return None
        question = Question(
            name=name,
            type=question_type,
            label=self.text(item, "label", where) or Text({}),
            line=item.line,
            hint=self.optional_text(item, "hint", where),
            required=self.flag(item, "required", where),
            choices=self.question_choices(item, question_type.has_choices, where),
            relevant=self.expression(item, "relevant", where),
            constraint=self.expression(item, "constraint", where),
            constraint_message=self.optional_text(item, "constraint_message", where),
            options=self.options(item, question_type.options, where),
        )
        if problem := question_type.validate_options(question):
            line = min((item.line_of(key) for key in question.options), default=item.line)
            self.error(line, problem, where)
        self.check_question(item, question, where)
        self.questions[name] = question
        self.order[name] = len(self.order)
        for key, expression in (("relevant", question.relevant), ("constraint", question.constraint)):
            if expression:
                self.pending.append(_Pending(expression, key, item.line_of(key), where,
                                             self.order[name] + 1, name))
        return question

    def flag(self, item: LineMapping, key: str, where: str) -> bool:
        value = item.get(key, False)
        if not isinstance(value, bool):
            self.error(item.line_of(key), f"{key} must be true or false", where)
            return False
        return value

    def options(self, item: LineMapping, kinds: dict[str, type], where: str) -> dict[str, Any]:
        options = {}
        for key, kind in kinds.items():
            value = item.get(key)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, kind):
                self.error(item.line_of(key), f"{key} must be a {_KIND_NAMES.get(kind, kind.__name__)}", where)
            else:
                options[key] = kind(value)
        return options

    def question_choices(self, item: LineMapping, has_choices: bool, where: str) -> tuple[Choice, ...]:
        value = item.get("choices")
        line = item.line_of("choices")
        if not has_choices:
            if value is not None:
                self.error(line, f"{item['type']} questions have no choices", where)
            return ()
        if value is None:
            self.error(line, "missing 'choices' (a list, or the name of a choice list)", where)
            return ()
        if isinstance(value, str):
            if value not in self.choice_lists:
                self.error(line, f"choices refers to unknown choice list '{value}'", where)
                return ()
            return self.choice_lists[value]
        return self.read_choices(item, "choices", where)

    def check_question(self, item: LineMapping, question: Question, where: str) -> None:
        if question.required and not question.collects_answer:
            self.error(item.line_of("required"), "a note cannot be required", where)
        if question.constraint and not question.collects_answer:
            self.error(item.line_of("constraint"), "a note has no answer to constrain", where)
        elif question.constraint and "constraint_message" not in item:
            self.error(item.line_of("constraint"), "constraint needs a constraint_message", where)
        if "constraint_message" in item and "constraint" not in item:
            self.error(item.line_of("constraint_message"), "constraint_message without a constraint", where)

    def read_section(self, line: int, item: LineMapping, names: set[str]) -> Section | None:
        name = item.get("name")
        where = f"section '{name}'" if isinstance(name, str) else f"section at line {line}"
        self.check_keys(item, SECTION_KEYS, ("name", "questions"), where)
        if name is not None and (not isinstance(name, str) or not NAME.fullmatch(name)):
            self.error(item.line_of("name"), f"name {name_rule(name)}", where)
        elif name in names:
            self.error(item.line_of("name"), f"duplicate section name '{name}'", where)
        names.add(str(name))
        relevant = self.expression(item, "relevant", where)
        if relevant:
            self.pending.append(_Pending(relevant, "relevant", item.line_of("relevant"), where,
                                         len(self.order)))
        title = self.optional_text(item, "title", where)
        questions = [
            question for _, raw in self.items(item, "questions", "a question", where)
            if (question := self.read_question(raw))
        ]
        return Section(name=str(name), questions=tuple(questions), line=item.line,
                       title=title, relevant=relevant)

    def read_consent(self, form: LineMapping) -> Consent | None:
        block = form.get("consent")
        if block is None:
            return None
        if not isinstance(block, LineMapping):
            self.error(form.line_of("consent"), "consent must be a mapping with version and text")
            return None
        where = "consent"
        self.check_keys(block, CONSENT_KEYS, ("version", "text"), where)
        version = self.version(block, where)
        options: list[OptionalConsent] = []
        for _, item in self.items(block, "optional", "an optional consent", where):
            self.check_keys(item, OPTION_KEYS, OPTION_KEYS, where)
            name = item.get("name")
            if not isinstance(name, str) or not NAME.fullmatch(name):
                if name is not None:
                    self.error(item.line_of("name"), f"optional consent name {name_rule(name)}", where)
                continue
            if name in (o.name for o in options):
                self.error(item.line_of("name"), f"duplicate optional consent '{name}'", where)
            options.append(OptionalConsent(name, self.text(item, "label", f"consent '{name}'") or Text({})))
        text = self.text(block, "text", where)
        if text is None or version is None:
            return None
        return Consent(version, text, tuple(options), block.line)

    def read_code_format(self, form: LineMapping) -> CodeFormat:
        block = form.get("participant_code")
        if block is None:
            return CodeFormat()
        where = "participant_code"
        if not isinstance(block, LineMapping):
            self.error(form.line_of(where), "participant_code must be a mapping")
            return CodeFormat()
        self.check_keys(block, CODE_KEYS, (), where)
        prefix = source_text(block.get("prefix", "P"))
        if not CODE.fullmatch(prefix):
            self.error(block.line_of("prefix"), "prefix must be 1 to 6 capital letters or digits", where)
        number = block.get("number", "random")
        if number not in ("random", "sequence"):
            self.error(block.line_of("number"), "number must be random or sequence", where)
        digits = block.get("digits", 4 if number == "sequence" else 6)
        if isinstance(digits, bool) or not isinstance(digits, int) or not 3 <= digits <= 10:
            self.error(block.line_of("digits"), "digits must be a whole number from 3 to 10", where)
            digits = 6
        items = self.items(block, "parts", "a code part", where)
        if len(items) > MAX_CODE_PARTS:
            self.error(block.line_of("parts"), f"a code has at most {MAX_CODE_PARTS} parts", where)
        parts = [self.read_code_part(item) for _, item in items]
        return CodeFormat(prefix, tuple(p for p in parts if p), str(number), int(digits))

    def read_code_part(self, item: LineMapping) -> CodePart | None:
        where = "participant_code"
        self.check_keys(item, CODE_PART_KEYS, CODE_PART_KEYS, where)
        name, codes = item.get("question"), item.get("codes")
        if name is not None and not isinstance(name, str):
            self.error(item.line_of("question"), "question must be the name of a question", where)
        if codes is not None and not isinstance(codes, LineMapping):
            self.error(item.line_of("codes"), "codes must map each choice to its code, "
                       "e.g. {burman: BM, shan: SH}", where)
        if not isinstance(name, str) or not isinstance(codes, LineMapping):
            return None
        question = self.questions.get(name)
        if question is None:
            self.error(item.line_of("question"), f"refers to unknown question '{name}'", where)
            return None
        if question.type.name != "select_one" or not question.required or question.relevant:
            self.error(item.line_of("question"), f"question '{name}' must be a required select_one "
                       "asked of everyone to be part of a code", where)
            return None
        mapped = {key: source_text(code) for key, code in codes.items()}
        for key, code in mapped.items():
            if key not in question.choice_values:
                self.error(codes.line_of(key), f"question '{name}' has no choice '{key}'", where)
            elif not CODE.fullmatch(code):
                self.error(codes.line_of(key), f"code '{code}' must be 1 to 6 capital letters or digits", where)
        for missing in (v for v in question.choice_values if v not in mapped):
            self.error(item.line_of("codes"), f"codes has no code for choice '{missing}'", where)
        return CodePart(name, mapped)

    def read_results(self, form: LineMapping) -> int | None:
        block = form.get("results")
        if block is None:
            return None
        if not isinstance(block, LineMapping):
            self.error(form.line_of("results"), "results must be a mapping, e.g. {min_cell: 5}")
            return None
        self.check_keys(block, RESULTS_KEYS, (), "results")
        value = block.get("min_cell")
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 2:
            self.error(block.line_of("min_cell"), "min_cell must be a whole number of 2 or more",
                       "results")
            return None
        return int(value)

    def check_references(self) -> None:
        for pending in self.pending:
            for ref in pending.expression.references():
                self.check_reference(pending, ref)
            for ref, choice in pending.expression.selections():
                question = self.questions.get(ref)
                if question and question.choices and choice not in question.choice_values:
                    self.error(pending.line, f"{pending.key} refers to choice '{choice}', "
                               f"which question '{ref}' does not have", pending.where)
                elif question and not question.choices and question.collects_answer \
                        and _calls_selected(pending.expression, ref):
                    self.error(pending.line, f"{pending.key} uses selected() on question '{ref}', "
                               "which has no choices", pending.where)

    def check_reference(self, pending: _Pending, ref: str) -> None:
        if ref in self.broken:
            return
        if ref not in self.questions:
            self.error(pending.line, f"{pending.key} refers to unknown question '{ref}'", pending.where)
        elif ref == pending.own_name and pending.key == "relevant":
            self.error(pending.line, "relevant cannot refer to the question itself", pending.where)
        elif self.order[ref] >= pending.limit:
            later = "comes later" if pending.own_name else "is not asked before this section"
            self.error(pending.line, f"{pending.key} refers to question '{ref}', which {later}",
                       pending.where)
        elif not self.questions[ref].collects_answer:
            self.error(pending.line, f"{pending.key} refers to note '{ref}', which has no answer",
                       pending.where)


_KIND_NAMES = {int: "whole number", str: "text", float: "number"}


def name_rule(value: object, longest: int = MAX_NAME) -> str:
    """What is wrong with a name or id that ``NAME`` refused."""
    if isinstance(value, str) and len(value) > longest:
        return f"is longer than {longest} characters"
    return NAME_RULE


def _choice_value_problem(code: str) -> str:
    if len(code) > MAX_NAME:
        return f"choice value '{code[:20]}…' is longer than {MAX_NAME} characters"
    return f"choice value '{code}' may only hold letters, digits, '_' and '-'"


def _calls_selected(expression: Expression, ref: str) -> bool:
    return f"selected({ref}" in expression.source.replace(" ", "")


def read_form(text: str, file: str, registry: Registry | None = None) -> Form:
    """Build a form from YAML text; raises ``FormFileErrors`` listing every problem."""
    try:
        data = yaml_source.load(text)
    except yaml_source.DuplicateKeyError as exc:
        raise FormFileErrors([FormConfigError(file, exc.line, f"duplicate key '{exc.key}'")]) from None
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc)
        error = FormConfigError(file, yaml_source.error_line(exc), f"not valid YAML: {problem}")
        raise FormFileErrors([error]) from None
    return form_from_data(data, file, registry)


def form_from_data(data: Any, file: str, registry: Registry | None = None) -> Form:
    """Build a form from parsed YAML (``yaml_source.load``); raises ``FormFileErrors``."""
    if not isinstance(data, LineMapping):
        message = "a form file must be a mapping with id, version, title, languages and sections"
        raise FormFileErrors([FormConfigError(file, 1, message)])
    reader = _Reader(file, registry or default_registry())
    form = _read(reader, data)
    if form is None:
        raise FormFileErrors(sorted(reader.errors, key=lambda e: e.line))
    return form


def _read(reader: _Reader, data: LineMapping) -> Form | None:
    reader.check_keys(data, FORM_KEYS, FORM_REQUIRED, None)
    form_id, version = data.get("id"), reader.version(data, None)
    if form_id is not None and not (isinstance(form_id, str) and NAME.fullmatch(form_id)
                                    and len(form_id) <= MAX_FORM_ID):
        reader.error(data.line_of("id"), f"id {name_rule(form_id, MAX_FORM_ID)}")
    reader.read_languages(data)
    title = reader.text(data, "title", None)
    reader.read_choice_lists(data)
    names: set[str] = set()
    sections = [
        section for line, raw in reader.items(data, "sections", "a section", None)
        if (section := reader.read_section(line, raw, names))
    ]
    reader.check_references()
    consent = reader.read_consent(data)
    code_format = reader.read_code_format(data)
    min_cell = reader.read_results(data)
    if reader.errors or consent is None:
        return None
    return Form(
        id=form_id, version=str(version), title=title or Text({}),
        languages=reader.languages, default_language=data["default_language"],
        sections=tuple(sections), source=reader.file, consent=consent, code_format=code_format,
        definition=_plain(data),
        id_line=data.line_of("id"), fallbacks=_fallbacks(reader), min_cell=min_cell,
    )


def _fallbacks(reader: _Reader) -> dict[str, tuple[str, ...]]:
    """Each form language's chain: the registry's, kept to the form's languages."""
    return {
        code: tuple(dict.fromkeys(
            [c for c in reader.registry.chain(code) if c in reader.languages]
            + [reader.default_language or code]
        ))
        for code in reader.languages
    }


@cache
def default_registry() -> Registry:
    return load_registry(LANGUAGES_FILE)


def _plain(value: Any) -> Any:
    """The parsed YAML as plain JSON-compatible data, for hashing and storage."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)


def load_form(path: Path, registry: Registry | None = None) -> Form:
    return form_from_bytes(path.read_bytes(), f"{path.parent.name}/{path.name}", registry)


def form_from_bytes(data: bytes, display: str, registry: Registry | None = None) -> Form:
    """Build a form from a file's bytes (named ``display`` in errors); raises ``FormFileErrors``."""
    if len(data) > MAX_FORM_BYTES:
        message = f"the file is larger than {MAX_FORM_BYTES:,} bytes; split the survey into several forms"
        raise FormFileErrors([FormConfigError(display, 1, message)])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = f"not UTF-8 text ({exc.reason} at byte {exc.start}); save the file as UTF-8"
        raise FormFileErrors([FormConfigError(display, line, message)]) from None
    return read_form(text, display, registry)


@dataclass
class LoadResult:
    forms: dict[str, Form]
    errors: list[FormConfigError]


def load_forms(directory: Path, registry: Registry | None = None) -> LoadResult:
    """Load every ``*.yaml`` form; broken files are reported and skipped."""
    result = LoadResult({}, [])
    for path in sorted(directory.glob("*.yaml")):
        try:
            form = load_form(path, registry)
        except FormFileErrors as exc:
            result.errors.extend(exc.errors)
            continue
        if form.id in result.forms:
            first = result.forms[form.id].source
            result.errors.append(FormConfigError(form.source, form.id_line,
                                                 f"form id '{form.id}' is already used by {first}"))
            continue
        result.forms[form.id] = form
    return result
