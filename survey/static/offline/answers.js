// Checks answers as survey/forms/validation.py and the ``clean`` of survey/forms/types/ do.
// The server checks every record again; this is so she can correct answers while the participant is there.
import { isTrue } from "./expressions.js";

const MAX_TEXT = { text: 2000, long_text: 20000 };

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

const fail = (message, variables) => { throw new AnswerError(message, variables); };
const choiceValues = (question) => question.choices.map((choice) => choice.value);

function cleanText(question, value) {
  if (typeof value !== "string") fail("Expected text.");
  const text = value.normalize("NFC").trim();
  const max = MAX_TEXT[question.type];
  if ([...text].length > max) fail("Keep this under %(max)s characters.", { max });
  return text;
}

function cleanChoices(question, value, outside) {
  const values = choiceValues(question);
  if (!Array.isArray(value) || value.some((v) => !values.includes(v))) fail(outside);
  if (new Set(value).size !== value.length) {
    fail(question.type === "rank" ? "Give each position to only one item." : "Choose each answer only once.");
  }
}

export const rankCount = (question) => question.options?.rank_count || question.choices.length;

const CLEAN = {
  text: cleanText,
  long_text: cleanText,
  integer(question, value) {
    if (typeof value !== "number" || !Number.isInteger(value)) fail("Enter a whole number, like 25.");
    return value;
  },
  decimal(question, value) {
    if (typeof value !== "number" || !Number.isFinite(value)) fail("Enter a number, like 2.5.");
    return value;
  },
  date(question, value) {
    const valid = typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)
      && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
    if (!valid) fail("Enter a date like 2024-03-31.");
    return value;
  },
  select_one(question, value) {
    if (!choiceValues(question).includes(value)) fail("Choose one of the answers shown.");
    return value;
  },
  select_multiple(question, value) {
    cleanChoices(question, value, "Choose from the answers shown.");
    return choiceValues(question).filter((v) => value.includes(v));
  },
  rank(question, value) {
    cleanChoices(question, value, "Rank only the items shown.");
    const count = rankCount(question);
    if (value.length !== count) fail("Put %(count)s items in order.", { count });
    return [...value];
  },
};

const isBlank = (value) =>
  value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);

const has = (answers, name) => Object.hasOwn(answers, name);

function check(question, value, earlier) {
  if (isBlank(value)) {
    if (question.required) fail("Please answer this question.");
    return null;
  }
  const cleaned = CLEAN[question.type](question, value);
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
      if (question.type === "note" || !sectionShown) continue;
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
