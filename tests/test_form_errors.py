"""What a form author sees when a form file is broken.

Every case starts from BASE, a small valid form, and makes one visible change
to it with ``changed(old, new)``. The ``# 12`` comments on the right of BASE
are its line numbers (``test_base_line_comments_are_line_numbers`` keeps them
honest). A change that replaces text within a line, or replaces a whole line
with a YAML comment, keeps every line number where it was; the few cases that
add a line add it at the very end of the file (line 54).

Each case asserts the exact, complete list of errors a user would be shown.
The ``LOADER_BUGS`` cases are regression tests for mistakes the loader once
made; each says what went wrong.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from survey.forms.errors import FormFileErrors
from survey.forms.loader import load_forms, read_form

BASE = """\
id: base_form                                                # 1
version: 1                                                   # 2
title: {en: Base form, th: แบบฟอร์มพื้นฐาน}                     # 3
languages: [en, th]                                          # 4
default_language: en                                         # 5
consent: {version: "1", text: {en: You can stop any time., th: หยุดได้ทุกเมื่อ}}  # 6
choice_lists:                                                # 7
  yes_no:                                                    # 8
    - value: "yes"                                           # 9
      label: {en: "Yes", th: ใช่}                             # 10
    - value: "no"                                            # 11
      label: {en: "No", th: ไม่ใช่}                             # 12
sections:                                                    # 13
  - name: about_you                                          # 14
    title: {en: About you, th: เกี่ยวกับคุณ}                     # 15
    questions:                                               # 16
      - name: age                                            # 17
        type: integer                                        # 18
        label: {en: "How old are you?", th: คุณอายุเท่าไร}        # 19
        constraint: ". >= 15 and . <= 99"                    # 20
        constraint_message: {en: 15 to 99, th: 15 ถึง 99}      # 21
      - name: works                                          # 22
        type: select_one                                     # 23
        label: {en: "Do you work?", th: คุณทำงานไหม}           # 24
        choices: yes_no                                      # 25
        required: true                                       # 26
  - name: work                                               # 27
    title: {en: Your work, th: งานของคุณ}                      # 28
    relevant: "works = 'yes'"                                # 29
    questions:                                               # 30
      - name: job                                            # 31
        type: text                                           # 32
        label: {en: "What is your job?", th: คุณทำงานอะไร}      # 33
      - name: hours                                          # 34
        type: decimal                                        # 35
        label: {en: "Hours a week?", th: กี่ชั่วโมงต่อสัปดาห์}      # 36
        relevant: "answered(job)"                            # 37
  - name: priorities                                         # 38
    questions:                                               # 39
      - name: top_needs                                      # 40
        type: rank                                           # 41
        label: {en: Rank your needs, th: เรียงลำดับความต้องการ}   # 42
        rank_count: 2                                        # 43
        choices:                                             # 44
          - value: health                                    # 45
            label: {en: Health, th: สุขภาพ}                   # 46
          - value: money                                     # 47
            label: {en: Money, th: เงิน}                      # 48
          - value: school                                    # 49
            label: {en: School, th: โรงเรียน}                  # 50
      - name: thanks                                         # 51
        type: note                                           # 52
        label: {en: Thank you, th: ขอบคุณ}                     # 53
"""

FILE = "forms/broken.yaml"
KNOWN_TYPES = "date, decimal, integer, long_text, note, rank, select_multiple, select_one, text"
BAD_NAME = (
    "name must start with a lower-case letter and hold only a-z, 0-9 and '_'"
    " (and not be and, or, not, mod)"
)


def changed(old: str, new: str) -> str:
    """BASE with its one occurrence of ``old`` replaced by ``new``."""
    assert BASE.count(old) == 1, f"{old!r} must occur exactly once in BASE"
    return BASE.replace(old, new)


def appended(lines: str) -> str:
    """BASE with ``lines`` added at the end, from line 54 on."""
    return BASE + lines


def without_line(number: int) -> str:
    """BASE with line ``number`` turned into a comment, so no other line moves."""
    lines = BASE.splitlines(keepends=True)
    lines[number - 1] = f"# (line {number} removed)\n"
    return "".join(lines)


def first_lines(count: int) -> str:
    """The first ``count`` lines of BASE."""
    return "".join(BASE.splitlines(keepends=True)[:count])


def errors(text: str) -> list[str]:
    """The errors a user is shown for ``text`` as forms/broken.yaml; [] if it loads.

    (Because of the empty-title bug below, the loader can also reject a form
    with no errors at all; that too gives [].)
    """
    try:
        read_form(text, FILE)
    except FormFileErrors as exc:
        return [str(e) for e in exc.errors]
    return []


def at(line: int, message: str) -> str:
    return f"{FILE}:{line}: {message}"


# --- the base form itself ---------------------------------------------------


def test_base_line_comments_are_line_numbers() -> None:
    for number, line in enumerate(BASE.splitlines(), start=1):
        assert line.endswith(f"# {number}"), f"line {number}: {line!r}"


def test_base_form_loads() -> None:
    form = read_form(BASE, FILE)

    assert form.id == "base_form"
    assert form.languages == ("en", "th")
    assert [s.name for s in form.sections] == ["about_you", "work", "priorities"]
    assert [q.name for q in form.questions()] == ["age", "works", "job", "hours", "top_needs", "thanks"]
    assert form.question("works").choice_values == ["yes", "no"]
    assert form.question("top_needs").choice_values == ["health", "money", "school"]
    assert form.sections[1].relevant.source == "works = 'yes'"
    assert form.question("age").constraint.source == ". >= 15 and . <= 99"


def test_unquoted_yes_and_no_stay_text() -> None:
    text = changed('value: "yes"', "value: yes").replace('value: "no"', "value: no")

    form = read_form(text, FILE)  # not "choice value must be text" for True/False

    assert form.question("works").choice_values == ["yes", "no"]
    assert form.definition["choice_lists"]["yes_no"][0]["value"] == "yes"


def test_utf8_file_with_byte_order_mark_loads(tmp_path: Path) -> None:
    (tmp_path / "forms").mkdir()
    (tmp_path / "forms" / "notepad.yaml").write_text(BASE, encoding="utf-8-sig")

    result = load_forms(tmp_path / "forms")

    assert result.errors == []
    assert list(result.forms) == ["base_form"]


# --- broken forms -------------------------------------------------------------

CASES = [
    # unknown keys, with a suggestion for a likely typo
    pytest.param(
        changed("default_language: en", "default_langauge: en"),
        [
            at(1, "missing 'default_language'"),
            at(5, "unknown key 'default_langauge' (did you mean 'default_language'?)"),
        ],
        id="unknown_key_in_form",
    ),
    pytest.param(
        changed("    title: {en: Your work", "    titel: {en: Your work"),
        [at(28, "section 'work': unknown key 'titel' (did you mean 'title'?)")],
        id="unknown_key_in_section",
    ),
    pytest.param(
        changed('        relevant: "answered(job)"', '        relevent: "answered(job)"'),
        [at(37, "question 'hours': unknown key 'relevent' (did you mean 'relevant'?)")],
        id="unknown_key_in_question",
    ),
    pytest.param(
        changed('      label: {en: "No"', '      lable: {en: "No"'),
        [
            at(11, "choice list 'yes_no': choice 2: missing 'label'"),
            at(12, "choice list 'yes_no': choice 2: unknown key 'lable' (did you mean 'label'?)"),
        ],
        id="unknown_key_in_choice",
    ),
    pytest.param(
        changed("        required: true", "        colour: red"),
        [at(26, "question 'works': unknown key 'colour'")],
        id="unknown_key_without_suggestion",
    ),
    # missing required keys
    pytest.param(
        without_line(2),
        [at(1, "missing 'version'")],
        id="missing_form_version",
    ),
    pytest.param(
        without_line(33),
        [at(31, "question 'job': missing 'label'")],
        id="missing_question_label",
    ),
    # duplicates
    pytest.param(
        changed("      - name: hours", "      - name: job"),
        [at(34, "question 'job': duplicate question name 'job' (first at line 31)")],
        id="duplicate_question_name",
    ),
    pytest.param(
        changed("  - name: priorities", "  - name: work"),
        [at(38, "section 'work': duplicate section name 'work'")],
        id="duplicate_section_name",
    ),
    pytest.param(
        changed("          - value: school", "          - value: money"),
        [at(49, "question 'top_needs': duplicate choice value 'money'")],
        id="duplicate_choice_value",
    ),
    pytest.param(
        changed('        relevant: "answered(job)"', "        type: long_text"),
        [at(37, "duplicate key 'type'")],
        id="duplicate_yaml_key",
    ),
    # types and choices
    pytest.param(
        changed("        type: decimal", "        type: number"),
        [at(35, f"question 'hours': unknown type 'number' (known types: {KNOWN_TYPES})")],
        id="unknown_question_type",
    ),
    pytest.param(
        changed("        choices: yes_no", "        choices: yesno"),
        [at(25, "question 'works': choices refers to unknown choice list 'yesno'")],
        id="unknown_choice_list",
    ),
    pytest.param(
        changed("        type: select_one", "        type: text"),
        [at(25, "question 'works': text questions have no choices")],
        id="choices_on_text_question",
    ),
    pytest.param(
        without_line(25),
        [at(22, "question 'works': missing 'choices' (a list, or the name of a choice list)")],
        id="select_one_without_choices",
    ),
    pytest.param(
        changed("          - value: school", "          - value: high school"),
        [at(49, "question 'top_needs': choice value 'high school' may only hold letters, digits, '_' and '-'")],
        id="choice_value_with_space",
    ),
    # expressions that do not parse
    pytest.param(
        changed('". >= 15 and . <= 99"', '". >= 15 and and . <= 99"'),
        [at(20, "question 'age': constraint does not parse: expected a value, found 'and' at position 13")],
        id="expression_syntax_error",
    ),
    pytest.param(
        changed('''"works = 'yes'"''', '''"works = 'yes"'''),
        [at(29, "section 'work': relevant does not parse: unterminated string at position 9")],
        id="expression_unterminated_string",
    ),
    pytest.param(
        changed('". >= 15 and . <= 99"', '"15 <= . <= 99"'),
        [at(20, "question 'age': constraint does not parse: comparisons cannot be chained; use 'and' at position 9")],
        id="expression_chained_comparison",
    ),
    pytest.param(
        changed('"answered(job)"', '"answerd(job)"'),
        [at(37, "question 'hours': relevant does not parse: unknown function 'answerd' at position 1")],
        id="expression_unknown_function",
    ),
    # expressions that name the wrong thing
    pytest.param(
        changed('"answered(job)"', '"answered(jobb)"'),
        [at(37, "question 'hours': relevant refers to unknown question 'jobb'")],
        id="reference_to_unknown_question",
    ),
    pytest.param(
        changed('"answered(job)"', '"answered(top_needs)"'),
        [at(37, "question 'hours': relevant refers to question 'top_needs', which comes later")],
        id="reference_to_later_question",
    ),
    pytest.param(
        changed('". >= 15 and . <= 99"', '". >= 15 and . <= hours"'),
        [at(20, "question 'age': constraint refers to question 'hours', which comes later")],
        id="constraint_refers_to_later_question",
    ),
    pytest.param(
        changed('''"works = 'yes'"''', '''"selected(top_needs, 'health')"'''),
        [at(29, "section 'work': relevant refers to question 'top_needs', which is not asked before this section")],
        id="section_relevant_refers_to_later_section",
    ),
    pytest.param(
        changed('"answered(job)"', '"answered(hours)"'),
        [at(37, "question 'hours': relevant cannot refer to the question itself")],
        id="relevant_refers_to_itself",
    ),
    pytest.param(
        changed('''"works = 'yes'"''', '''"selected(works, 'maybe')"'''),
        [at(29, "section 'work': relevant refers to choice 'maybe', which question 'works' does not have")],
        id="selected_unknown_choice",
    ),
    pytest.param(
        changed('''"works = 'yes'"''', '''"works = 'Yes'"'''),
        [at(29, "section 'work': relevant refers to choice 'Yes', which question 'works' does not have")],
        id="equals_unknown_choice",
    ),
    pytest.param(
        changed('"answered(job)"', '". > 0"'),
        [at(37, "question 'hours': '.' (the current answer) can only be used in a constraint")],
        id="dot_in_relevant",
    ),
    pytest.param(
        without_line(21),
        [at(20, "question 'age': constraint needs a constraint_message")],
        id="constraint_without_message",
    ),
    # translations and languages
    pytest.param(
        changed("{en: Health, th: สุขภาพ}", "{th: สุขภาพ}"),
        [at(46, "question 'top_needs': choice 'health': label has no text in the default language 'en'")],
        id="missing_default_language_text",
    ),
    pytest.param(
        changed("languages: [en, th]", "languages: [en, th, xx]"),
        [at(4, "language 'xx' is not in the language registry (survey/i18n/languages.yaml); "
               "add it there first")],
        id="language_not_in_registry",
    ),
    pytest.param(
        changed("{en: Money, th: เงิน}", "{en: Money, th: เงิน, my: ငွေ}"),
        [at(48, "question 'top_needs': choice 'money': label is given in 'my', which is not one of the form's languages")],
        id="translation_in_language_not_offered",
    ),
    pytest.param(
        changed("{en: Rank your needs, th: เรียงลำดับความต้องการ}", "Rank your needs"),
        [at(42, "question 'top_needs': label must give the text for each language: en, th")],
        id="plain_string_label_in_two_language_form",
    ),
    pytest.param(
        changed("default_language: en", "default_language: my"),
        [at(5, "default_language 'my' is not in languages")],
        id="default_language_not_in_languages",
    ),
    # YAML problems
    pytest.param(
        changed('        label: {en: "Hours a week?"', '       label: {en: "Hours a week?"'),
        [at(36, "not valid YAML: expected <block end>, but found '<block mapping start>'")],
        id="yaml_bad_indentation",
    ),
    pytest.param(
        changed("        type: decimal", "\ttype: decimal"),
        [at(35, "not valid YAML: found character '\\t' that cannot start any token")],
        id="yaml_tab_indentation",
    ),
    pytest.param(
        "- id: base_form\n- version: 1\n",
        [at(1, "a form file must be a mapping with id, version, title, languages and sections")],
        id="file_is_a_list",
    ),
    pytest.param(
        "",
        [at(1, "a form file must be a mapping with id, version, title, languages and sections")],
        id="file_is_empty",
    ),
    # question rules
    pytest.param(
        appended("        required: true\n"),
        [at(54, "question 'thanks': a note cannot be required")],
        id="note_marked_required",
    ),
    pytest.param(
        changed("      - name: top_needs", "      - name: Top-needs"),
        [at(40, f"question 'Top-needs': {BAD_NAME}")],
        id="bad_question_name",
    ),
    pytest.param(
        changed("      - name: thanks", "      - name: and"),
        [at(51, f"question 'and': {BAD_NAME}")],
        id="question_named_like_a_keyword",
    ),
    pytest.param(
        changed("        required: true", "        required: yes"),
        [at(26, "question 'works': required must be true or false")],
        id="required_yes_is_not_a_boolean",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_broken_form_is_reported(text: str, expected: list[str]) -> None:
    assert errors(text) == expected


# --- loader bugs: the behaviour the loader should have -------------------------


def bug(reason: str, text: str, expected: list[str], id: str) -> Any:
    """A case that a loader bug once got wrong; ``reason`` says what went wrong."""
    return pytest.param(text, expected, id=id)


LOADER_BUGS = [
    bug(
        "a section's relevant may name the first question of that same section (off by one "
        "in check_references), so the page can never be shown",
        changed('''"works = 'yes'"''', '''"answered(job)"'''),
        [at(29, "section 'work': relevant refers to question 'job', which is not asked before this section")],
        id="section_relevant_refers_to_its_own_first_question",
    ),
    bug(
        "rank_count out of range is reported at the question's first line, not at rank_count",
        changed("        rank_count: 2", "        rank_count: 4"),
        [at(43, "question 'top_needs': rank_count must be between 1 and 3")],
        id="rank_count_out_of_range",
    ),
    bug(
        "a question that is not a mapping is reported at the line of 'questions:', not its own",
        appended("      - thanks_again\n"),
        [at(54, "section 'priorities': a question must be a mapping of keys to values")],
        id="question_that_is_not_a_mapping",
    ),
    bug(
        "an unclosed quote is reported at the end of the file (a line past the last one) "
        "instead of where the quote opens",
        changed('"answered(job)"', '"answered(job) '),
        [at(37, "not valid YAML: found unexpected end of stream")],
        id="yaml_unclosed_quote",
    ),
    bug(
        "a missing 'languages' is reported twice and then every text in the form is "
        "reported as 'given in a language that is not one of the form's languages'",
        without_line(4),
        [at(1, "missing 'languages'")],
        id="missing_languages",
    ),
    bug(
        "a question with no type is dropped, so a later reference to it says "
        "'unknown question' although the question is right there",
        without_line(32),
        [at(31, "question 'job': missing 'type'")],
        id="missing_type_then_referenced",
    ),
    bug(
        "a question whose name is not text is dropped silently; the form loads without it",
        changed("      - name: thanks", "      - name: 12"),
        [at(51, f"question at line 51: {BAD_NAME}")],
        id="question_name_is_a_number",
    ),
    # A required key written with no value (`key:`) should count as missing.
    bug(
        "'title:' with no value: the form is rejected with an empty error list, so no "
        "message at all (load_forms skips it silently, `flask forms check` exits 0)",
        changed("title: {en: Base form, th: แบบฟอร์มพื้นฐาน}", "title:"),
        [at(3, "'title' has no value")],
        id="empty_form_title",
    ),
    bug(
        "'id:' with no value is accepted; the form loads with id None",
        changed("id: base_form", "id:"),
        [at(1, "'id' has no value")],
        id="empty_form_id",
    ),
    bug(
        "'version:' with no value is accepted; the form loads with version 'None'",
        changed("version: 1", "version:"),
        [at(2, "'version' has no value")],
        id="empty_form_version",
    ),
    bug(
        "'default_language:' with no value is accepted; the form loads with default_language None",
        changed("default_language: en", "default_language:"),
        [at(5, "'default_language' has no value")],
        id="empty_default_language",
    ),
    bug(
        "'sections:' with no value is accepted; the form loads with no pages",
        first_lines(13),
        [at(13, "'sections' has no value")],
        id="empty_sections",
    ),
    bug(
        "'questions:' with no value: the section is dropped silently",
        appended("  - name: more\n    questions:\n"),
        [at(55, "section 'more': 'questions' has no value")],
        id="empty_questions",
    ),
    bug(
        "'type:' with no value: the question is dropped silently; the form loads without it",
        changed("        type: note", "        type:"),
        [at(52, "question 'thanks': 'type' has no value")],
        id="empty_question_type",
    ),
    bug(
        "'label:' with no value is accepted; the question has no label",
        changed('        label: {en: "What is your job?", th: คุณทำงานอะไร}', "        label:"),
        [at(33, "question 'job': 'label' has no value")],
        id="empty_question_label",
    ),
    bug(
        "'constraint_message:' with no value is accepted; the constraint fails with no message",
        changed("        constraint_message: {en: 15 to 99, th: 15 ถึง 99}", "        constraint_message:"),
        [at(21, "question 'age': constraint_message has no text")],
        id="empty_constraint_message",
    ),
    bug(
        "'- value:' with no value: the choice is dropped silently",
        changed("          - value: school", "          - value:"),
        [at(49, "question 'top_needs': choice 3: 'value' has no value")],
        id="empty_choice_value",
    ),
    bug(
        "YAML 1.1 numbers: an unquoted 12:30 is read as the number 750 (base 60) and "
        "silently stored as the choice '750'",
        changed("          - value: school", "          - value: 12:30"),
        [at(49, "question 'top_needs': choice value '12:30' may only hold letters, digits, '_' and '-'")],
        id="choice_value_looks_like_a_time",
    ),
]


@pytest.mark.parametrize(("text", "expected"), LOADER_BUGS)
def test_loader_bug(text: str, expected: list[str]) -> None:
    assert errors(text) == expected


def test_number_like_choice_value_is_kept_as_written() -> None:
    form = read_form(changed("          - value: school", "          - value: 010"), FILE)

    assert form.question("top_needs").choice_values == ["health", "money", "010"]


# --- a folder of forms ----------------------------------------------------------


@pytest.fixture
def forms_dir(tmp_path: Path) -> Path:
    """An empty forms/ folder, so errors read forms/<file>.yaml as in production."""
    directory = tmp_path / "forms"
    directory.mkdir()
    return directory


def test_load_forms_skips_a_broken_form_and_keeps_the_good_one(forms_dir: Path) -> None:
    (forms_dir / "good.yaml").write_text(BASE, encoding="utf-8")
    (forms_dir / "broken.yaml").write_text(
        changed("id: base_form", "id: other").replace('"answered(job)"', '"answered(jobb)"'),
        encoding="utf-8",
    )

    result = load_forms(forms_dir)

    assert list(result.forms) == ["base_form"]
    assert result.forms["base_form"].source == "forms/good.yaml"
    assert [str(e) for e in result.errors] == [
        "forms/broken.yaml:37: question 'hours': relevant refers to unknown question 'jobb'"
    ]


def test_load_forms_reports_the_second_file_with_the_same_id(forms_dir: Path) -> None:
    (forms_dir / "a.yaml").write_text(BASE, encoding="utf-8")
    (forms_dir / "b.yaml").write_text(changed("version: 1", "version: 2"), encoding="utf-8")

    result = load_forms(forms_dir)

    assert list(result.forms) == ["base_form"]
    assert result.forms["base_form"].source == "forms/a.yaml"
    assert result.forms["base_form"].version == "1"
    assert [str(e) for e in result.errors] == [
        "forms/b.yaml:1: form id 'base_form' is already used by forms/a.yaml"
    ]


def test_duplicate_form_id_is_reported_at_the_id_line(forms_dir: Path) -> None:
    (forms_dir / "a.yaml").write_text(BASE, encoding="utf-8")
    (forms_dir / "b.yaml").write_text("# A copy made to try things out\n" + BASE, encoding="utf-8")

    result = load_forms(forms_dir)

    assert [str(e) for e in result.errors] == [
        "forms/b.yaml:2: form id 'base_form' is already used by forms/a.yaml"
    ]


def test_load_forms_reports_every_form_it_skips(forms_dir: Path) -> None:
    (forms_dir / "untitled.yaml").write_text(changed("title: {en: Base form, th: แบบฟอร์มพื้นฐาน}", "title:"))

    result = load_forms(forms_dir)

    assert result.forms == {}
    assert [str(e) for e in result.errors] == ["forms/untitled.yaml:3: 'title' has no value"]


def test_non_utf8_file_is_reported_not_raised(forms_dir: Path) -> None:
    # Thai text saved by a Windows editor in the Thai code page instead of UTF-8.
    (forms_dir / "thai_windows.yaml").write_bytes(BASE.encode("cp874"))
    (forms_dir / "good.yaml").write_text(changed("id: base_form", "id: good_form"), encoding="utf-8")

    result = load_forms(forms_dir)

    assert list(result.forms) == ["good_form"]
    assert [str(e) for e in result.errors] == [
        "forms/thai_windows.yaml:3: not UTF-8 text (invalid start byte at byte 160); save the file as UTF-8"
    ]


# --- the documentation ------------------------------------------------------------


def test_readme_example_form_loads() -> None:
    readme = (Path(__file__).resolve().parent.parent / "forms" / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(id: .*?)```", readme, re.DOTALL)
    assert example is not None

    assert errors(example.group(1)) == []


# --- consent and participant codes -----------------------------------------------

CONSENT_LINE = 'consent: {version: "1", text: {en: You can stop any time., th: หยุดได้ทุกเมื่อ}}'


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param(without_line(6), [at(1, "missing 'consent'")], id="no_consent"),
    pytest.param(
        changed(CONSENT_LINE, 'consent: {version: "1", text: {th: หยุดได้ทุกเมื่อ}}'),
        [at(6, "consent: text has no text in the default language 'en'")],
        id="consent_text_without_default_language",
    ),
    pytest.param(
        changed(CONSENT_LINE, 'consent: {versoin: "1", text: {en: Stop any time., th: หยุด}}'),
        [at(6, "consent: unknown key 'versoin' (did you mean 'version'?)"),
         at(6, "consent: missing 'version'")],
        id="consent_unknown_key",
    ),
    pytest.param(
        changed(CONSENT_LINE, CONSENT_LINE[:-1] + ", optional: [{name: Quote, label: {en: Q, th: Q}}]}"),
        [at(6, "consent: optional consent name must start with a lower-case letter and hold "
               "only a-z, 0-9 and '_'")],
        id="consent_optional_bad_name",
    ),
    pytest.param(
        appended("participant_code:\n  prefix: kc\n  parts:\n    - question: nobody\n"
                 "      codes: {a: A}\n"),
        [at(55, "participant_code: prefix must be 1 to 6 capital letters or digits"),
         at(57, "participant_code: refers to unknown question 'nobody'")],
        id="participant_code_bad_prefix_and_unknown_question",
    ),
    pytest.param(
        appended("participant_code:\n  parts:\n    - question: works\n      codes: {'yes': Y}\n"),
        [at(57, "participant_code: codes has no code for choice 'no'")],
        id="participant_code_missing_choice_code",
    ),
    pytest.param(
        appended("participant_code:\n  parts:\n    - question: age\n      codes: {a: A}\n"),
        [at(56, "participant_code: question 'age' must be a required select_one asked of "
                "everyone to be part of a code")],
        id="participant_code_from_a_number_question",
    ),
])
def test_broken_consent_or_code_is_reported(text: str, expected: list[str]) -> None:
    assert errors(text) == expected


def test_results_min_cell_is_read_and_checked() -> None:
    assert read_form(appended("results: {min_cell: 10}\n"), FILE).min_cell == 10
    assert read_form(BASE, FILE).min_cell is None
    assert errors(appended("results: {min_cell: 1}\n")) == [
        at(54, "results: min_cell must be a whole number of 2 or more")]


def test_the_form_s_min_cell_sets_the_suppression_rule(app) -> None:
    from survey.results.disclosure import rule_for

    assert rule_for(read_form(appended("results: {min_cell: 10}\n"), FILE)).k == 10
    assert rule_for(read_form(BASE, FILE)).k == 5
