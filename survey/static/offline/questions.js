// Each question type in the browser: its control, and how the control's state becomes an answer.
// Reading throws AnswerError for input the type cannot take, like the server's fields do.
import { AnswerError, rankCount } from "./answers.js";
import { asciiDigits } from "./digits.js";
import { h } from "./dom.js";

const PRIVATE = { autocomplete: "off", spellcheck: "false", autocapitalize: "off" };

function textType(multiline, maxlength) {
  return {
    control: (q, value, id) => (multiline
      ? h("textarea", { id, name: q.name, rows: 5, maxlength, ...PRIVATE }, value ?? "")
      : h("input", { id, name: q.name, type: "text", maxlength, value: value ?? "", ...PRIVATE })),
    read: (block) => block.querySelector("input, textarea").value.normalize("NFC").trim() || null,
  };
}

// A number typed in any script's digits: 25, ๒๕ and ၂၅ are all 25.
function numberType(pattern, message, inputmode) {
  return {
    control: (q, value, id) =>
      h("input", { id, name: q.name, type: "text", inputmode, value: value ?? "", ...PRIVATE }),
    read(block) {
      const text = asciiDigits(block.querySelector("input").value.trim().replaceAll(",", ""));
      if (!text) return null;
      const number = Number(text);
      if (!pattern.test(text) || !Number.isFinite(number)) throw new AnswerError(message);
      return number;
    },
  };
}

function choiceList(kind) {
  return {
    grouped: true,
    control: (q, value, id, label) => h("ul", { class: "choices" }, q.choices.map((choice) => h("li", {},
      h("label", { class: "choice" },
        h("input", { type: kind, name: q.name, value: choice.value,
                     checked: kind === "radio" ? value === choice.value : (value ?? []).includes(choice.value) }),
        " ", h("span", {}, label(choice.label)))))),
    read(block) {
      const checked = [...block.querySelectorAll("input:checked")].map((input) => input.value);
      return kind === "radio" ? checked[0] ?? null : checked;
    },
  };
}

const rank = {
  grouped: true,
  control(q, value, id, label) {
    const positions = Array.from({ length: rankCount(q) }, (_, i) => i + 1);
    return h("ol", { class: "rank", id }, q.choices.map((choice) => {
      const menu = `${id}-${choice.value}`;
      const chosen = (value ?? []).indexOf(choice.value) + 1;
      return h("li", {},
        h("select", { id: menu, name: q.name, "aria-labelledby": `${menu}-label` },
          h("option", { value: "" }, "–"),
          positions.map((p) => h("option", { value: `${choice.value}:${p}`, selected: p === chosen }, String(p)))),
        " ", h("label", { id: `${menu}-label`, for: menu }, label(choice.label)));
    }));
  },
  read(block) {
    const ranked = new Map();
    for (const select of block.querySelectorAll("select")) {
      if (!select.value) continue;
      const cut = select.value.lastIndexOf(":");
      const position = Number(select.value.slice(cut + 1));
      if (ranked.has(position)) throw new AnswerError("Give each position to only one item.");
      ranked.set(position, select.value.slice(0, cut));
    }
    const order = [...ranked.keys()].sort((a, b) => a - b);
    if (order.some((position, i) => position !== i + 1)) {
      throw new AnswerError("Number the items 1, 2, 3… without leaving a gap.");
    }
    return order.length ? order.map((position) => ranked.get(position)) : null;
  },
};

export const TYPES = {
  text: textType(false, 2000),
  long_text: textType(true, 20000),
  integer: numberType(/^[+-]?\d+$/, "Enter a whole number, like 25.", "numeric"),
  decimal: numberType(/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i, "Enter a number, like 2.5.", "decimal"),
  date: {
    control: (q, value, id) => h("input", { id, name: q.name, type: "date", value: value ?? "", autocomplete: "off" }),
    read: (block) => block.querySelector("input").value || null,
  },
  select_one: choiceList("radio"),
  select_multiple: choiceList("checkbox"),
  rank,
};
