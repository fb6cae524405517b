// Evaluates the parsed expression trees of survey/forms/expressions.py with the same semantics.
// Values are null (no value), boolean, number, string, or an array of choice codes.
import { asciiDigits } from "./digits.js";

const COMPARISONS = new Set(["=", "!=", "<", "<=", ">", ">="]);

const isNumber = (value) => typeof value === "number";

// Python orders strings by code point; JavaScript's < orders UTF-16 units.
function codePointOrder(left, right) {
  const a = Array.from(left, (c) => c.codePointAt(0));
  const b = Array.from(right, (c) => c.codePointAt(0));
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return a.length - b.length;
}

function compare(op, left, right) {
  if (left === null || right === null) return false;
  let order;
  if (isNumber(left) && isNumber(right)) order = left - right;
  else if (typeof left === "string" && typeof right === "string") order = codePointOrder(left, right);
  else if (typeof left === "boolean" && typeof right === "boolean" && (op === "=" || op === "!=")) {
    return (left === right) === (op === "=");
  } else return false;
  return { "=": order === 0, "!=": order !== 0, "<": order < 0, "<=": order <= 0,
           ">": order > 0, ">=": order >= 0 }[op];
}

function pythonMod(a, b) {
  const rest = a % b;
  return rest !== 0 && (rest < 0) !== (b < 0) ? rest + b : rest;
}

const OPERATIONS = {
  "+": (a, b) => a + b,
  "-": (a, b) => a - b,
  "*": (a, b) => a * b,
  "/": (a, b) => a / b,
  mod: pythonMod,
};

function arithmetic(op, left, right) {
  if (!(isNumber(left) && isNumber(right))) return null;
  if ((op === "/" || op === "mod") && right === 0) return null;
  const result = OPERATIONS[op](left, right);
  return Number.isFinite(result) ? result : null;
}

function truthy(value) {
  if (Array.isArray(value)) return value.length > 0;
  return !(value === null || value === false || value === "" || value === 0);
}

// str() of a Python value, as far as JSON lets us tell them apart.
function pythonStr(value) {
  if (value === true) return "True";
  if (value === false) return "False";
  return String(value);
}

function asChoices(value) {
  if (Array.isArray(value)) return value.map(pythonStr);
  if (value === null || value === "") return [];
  return [pythonStr(value)];
}

function localToday() {
  const now = new Date();
  const pad = (n, width) => String(n).padStart(width, "0");
  return `${pad(now.getFullYear(), 4)}-${pad(now.getMonth() + 1, 2)}-${pad(now.getDate(), 2)}`;
}

const FUNCTIONS = {
  selected: (value, choice) => choice !== null && asChoices(value).includes(pythonStr(choice)),
  count_selected: (value) => asChoices(value).length,
  answered: (value) => !(value === null || value === "" || (Array.isArray(value) && value.length === 0)),
  today: localToday,
  year: (value) =>
    typeof value === "string" && /^\p{Nd}{4}-\p{Nd}{2}-\p{Nd}{2}$/u.test(value)
      ? Number(asciiDigits(value.slice(0, 4)))
      : null,
};

/** Evaluate a parsed tree against answers; never throws on any value. */
export function evaluate(tree, answers, current = null) {
  const [op] = tree;
  if (op === "num" || op === "str") return tree[1];
  if (op === "cur") return current ?? null;
  if (op === "ref") return Object.hasOwn(answers, tree[1]) ? answers[tree[1]] ?? null : null;
  if (op === "call") {
    const args = tree.slice(2).map((arg) => evaluate(arg, answers, current));
    return FUNCTIONS[tree[1]](...args);
  }
  if (op === "not") return !truthy(evaluate(tree[1], answers, current));
  if (op === "neg") {
    const value = evaluate(tree[1], answers, current);
    return isNumber(value) ? -value : null;
  }
  if (op === "and") return truthy(evaluate(tree[1], answers, current)) && truthy(evaluate(tree[2], answers, current));
  if (op === "or") return truthy(evaluate(tree[1], answers, current)) || truthy(evaluate(tree[2], answers, current));
  const left = evaluate(tree[1], answers, current);
  const right = evaluate(tree[2], answers, current);
  return COMPARISONS.has(op) ? compare(op, left, right) : arithmetic(op, left, right);
}

export const isTrue = (tree, answers, current = null) => evaluate(tree, answers, current) === true;
