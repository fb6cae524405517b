// Checks answers by interpreting the checks each question carries (its type's ``checks()``
// and ``reading()`` in survey/forms/types/, run by checks.py on the server), and the form
// rules of survey/forms/validation.py. The server checks every record again; this is so she
// can correct answers while the participant is there.
import { asciiDigits } from "./digits.js";
import { isTrue } from "./expressions.js";

export class AnswerError extends Error {
  constructor(message, variables = {}) {
    super(message);
    this.variables = variables;
  }
}

/** A failed constraint, shown with the form's own message. */
export class ConstraintError extends AnswerError {
  constructor(text) {
    super("constraint");
    this.text = text;
  }
}

const fail = (check, variables) => { throw new AnswerError(check.message, variables); };
const whole = (pattern) => new RegExp(`^(?:${pattern})$`);

function trim(text, chars) {
  const blank = new Set(chars);
  const points = [...text.normalize("NFC")];
  let start = 0;
  let end = points.length;
  while (start < end && blank.has(points[start])) start += 1;
  while (end > start && blank.has(points[end - 1])) end -= 1;
  return points.slice(start, end).join("");
}

/** What a widget's typed text means: null when blank; AnswerError when unreadable. */
export function read(spec, raw) {
  let text = trim(raw, spec.trim);
  for (const char of spec.ignore ?? "") text = text.replaceAll(char, "");
  if (spec.digits) text = asciiDigits(text);
  if (!text) return null;
  if (spec.pattern && !whole(spec.pattern).test(text)) fail(spec);
  if (!spec.number) return text;
  const number = Number(text);
  if (!Number.isFinite(number) || (spec.max !== undefined && Math.abs(number) > spec.max)) fail(spec);
  return number;
}

const strings = (value, values) => Array.isArray(value) && value.every((v) => typeof v === "string" && values.includes(v));

const CHECKS = {
  string: (check, value) => (typeof value === "string" ? value : fail(check)),
  trim: (check, value) => trim(value, check.chars),
  max_length: (check, value) => ([...value].length > check.max ? fail(check, { max: check.max }) : value),
  number(check, value) {
    if (typeof value !== "number" || !Number.isFinite(value)) fail(check);
    if (check.whole && (!Number.isInteger(value) || Math.abs(value) > check.max)) fail(check);
    return value;
  },
  pattern(check, value) {
    if (typeof value !== "string") fail(check);
    const text = check.digits ? asciiDigits(value) : value;
    return whole(check.pattern).test(text) ? text : fail(check);
  },
  calendar(check, value) {
    const [year, month, day] = value.split("-").map(Number);
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    return year < 1 || month < 1 || month > 12 || day < 1 || day > days[month - 1] ? fail(check) : value;
  },
  one_of: (check, value) => (typeof value === "string" && check.values.includes(value) ? value : fail(check)),
  list_of: (check, value) => (strings(value, check.values) ? [...value] : fail(check)),
  unique: (check, value) => (new Set(value).size === value.length ? value : fail(check)),
  count: (check, value) => (value.length === check.count ? value : fail(check, { count: check.count })),
  in_order: (check, value) => check.values.filter((v) => value.includes(v)),
  tick: (check, value) => (value === true ? true : fail(check)),
};

/** ``value`` through each check in turn: the canonical answer, or AnswerError. */
export const run = (checks, value) => checks.reduce((current, check) => CHECKS[check.check](check, current), value);

const isBlank = (value) =>
  value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);

const has = (answers, name) => Object.hasOwn(answers, name);

export function check(question, value, earlier) {
  if (isBlank(value)) {
    if (question.required) throw new AnswerError("Please answer this question.");
    return null;
  }
  const cleaned = run(question.checks, value);
  if (question.constraint && !isTrue(question.constraint, earlier, cleaned)) {
    throw new ConstraintError(question.constraint_message);
  }
  return cleaned;
}

/**
 * Answers in form order, without those skip logic hides, and the errors by question name.
 * With ``only``, just those questions are checked; other answers are taken as valid.
 */
export function validate(form, answers, only = null) {
  const result = { answers: {}, errors: {} };
  for (const section of form.sections) {
    const sectionShown = !section.relevant || isTrue(section.relevant, result.answers);
    for (const question of section.questions) {
      if (!question.collects || !sectionShown) continue;
      if (question.relevant && !isTrue(question.relevant, result.answers)) continue;
      const value = has(answers, question.name) ? answers[question.name] : null;
      if (only && !only.includes(question.name)) {
        if (has(answers, question.name)) result.answers[question.name] = value;
        continue;
      }
      try {
        result.answers[question.name] = check(question, value, result.answers);
      } catch (error) {
        if (!(error instanceof AnswerError)) throw error;
        result.errors[question.name] = error;
      }
    }
  }
  return result;
}
