// The widget library: each widget's control, and how the control's state becomes an answer.
// Which widget a question uses, and how its text is read, come with the question (its type's
// ``client()`` in survey/forms/types/); reading throws AnswerError for text it cannot take.
import { AnswerError, read } from "./answers.js";
import { h } from "./dom.js";

const PRIVATE = { autocomplete: "off", spellcheck: "false", autocapitalize: "off" };
const typed = (block, q) => read(q.read, block.querySelector("input, textarea").value);

const line = {
  control: (q, value, id) => h("input", { id, name: q.name, type: "text", maxlength: q.read.maxlength,
                                         inputmode: q.read.inputmode, value: value ?? "", ...PRIVATE }),
  read: typed,
};

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
    const positions = Array.from({ length: q.read.count }, (_, i) => i + 1);
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
  read(block, q) {
    const ranked = new Map();
    for (const select of block.querySelectorAll("select")) {
      if (!select.value) continue;
      const cut = select.value.lastIndexOf(":");
      const position = Number(select.value.slice(cut + 1));
      if (ranked.has(position)) throw new AnswerError(q.read.twice);
      ranked.set(position, select.value.slice(0, cut));
    }
    const order = [...ranked.keys()].sort((a, b) => a - b);
    if (order.some((position, i) => position !== i + 1)) throw new AnswerError(q.read.gap);
    return order.length ? order.map((position) => ranked.get(position)) : null;
  },
};

export const WIDGETS = {
  line,
  number: line,
  lines: {
    control: (q, value, id) => h("textarea", { id, name: q.name, rows: 5, maxlength: q.read.maxlength, ...PRIVATE },
      value ?? ""),
    read: typed,
  },
  date: {
    control: (q, value, id) => h("input", { id, name: q.name, type: "date", value: value ?? "", autocomplete: "off" }),
    read: typed,
  },
  tick: {
    control: (q, value, id) => h("input", { id, name: q.name, type: "checkbox", value: "yes", checked: value === true }),
    read: (block) => block.querySelector("input").checked || null,
  },
  radio: choiceList("radio"),
  checkbox: choiceList("checkbox"),
  rank,
};
