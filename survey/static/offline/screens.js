// The screens of the app, drawn into <main id="view">; handlers come from app.js.
import { h, replace } from "./dom.js";
import { WIDGETS } from "./questions.js";
import { METHODS } from "./runner.js";
import { formMessage, formText, ui, uiLanguage } from "./texts.js";

const view = document.getElementById("view");
const show = (...children) => {
  replace(view, children);
  window.scrollTo(0, 0);
};
const error = (text, id) => text && h("p", { class: "error-text", role: "alert", id }, text);
// The participant's words: the app never lets the browser remember what is typed in a form.
const privateForm = (onsubmit, ...children) =>
  h("form", { class: "stack", novalidate: true, autocomplete: "off", onsubmit(event) {
    event.preventDefault();
    onsubmit(event.submitter?.value, event.currentTarget);
  } }, ...children);
const titleIn = (summary, language) =>
  formText({ default_language: summary.default_language }, summary.title, language);

export function home(forms, notice, onStart) {
  show(h("h1", {}, ui("surveys")),
    notice && h("p", { class: "flash" }, notice),
    forms.length
      ? h("ul", { class: "cards" }, forms.map((summary) => h("li", {},
        h("button", { type: "button", class: "card", "data-form": summary.id, onclick: () => onStart(summary.id) },
          h("strong", { lang: summary.default_language }, titleIn(summary, uiLanguage)),
          h("span", { class: "meta" }, summary.languages.join(", "))))))
      : h("p", {}, ui("no_surveys")));
}

/** The interviewer picks the language, and whether she hands the tablet over for the interview. */
export function languages(form, onChoose) {
  const handOver = h("input", { type: "checkbox", id: "hand-over" });
  show(h("h1", {}, titleIn(form, uiLanguage)), h("p", {}, ui("choose_language")),
    h("ul", { class: "languages" }, form.languages.map((code) => h("li", {},
      h("button", { type: "button", class: "card language", lang: code, "data-language": code,
                    onclick: () => onChoose(code, handOver.checked) }, titleIn(form, code))))),
    h("label", { class: "choice" }, handOver, " ", h("span", {}, ui("hand_over"))));
}

// Handed over, she reads and agrees alone: no method, no code, nothing in the interviewer's words.
export function consent(interview, errors, { onAgree, onRefuse }) {
  const { form, language, handedOver } = interview;
  const text = formText(form, form.consent.text, language);
  const say = (message) => formMessage(form, language, message);
  const submit = (action, element) => {
    if (action === "refuse") return onRefuse();
    const data = new FormData(element);
    return onAgree({
      agree: data.has("agree"), method: handedOver ? "self" : data.get("method"), code: data.get("code") ?? "",
      optional: Object.fromEntries(form.consent.optional.map((o) => [o.name, data.has(`optional_${o.name}`)])),
    });
  };
  show(privateForm(submit,
    h("div", { class: "consent question", lang: language },
      h("h1", {}, formText(form, form.title, language)),
      h("div", { class: "consent-text" }, text.split("\n\n").map((p) => p.trim()).filter(Boolean).map((p) => h("p", {}, p))),
      form.consent.optional.map((option) => h("label", { class: "choice" },
        h("input", { type: "checkbox", name: `optional_${option.name}` }), " ",
        h("span", {}, formText(form, option.label, language)))),
      h("label", { class: `choice agree${errors.agree ? " has-error" : ""}` },
        h("input", { type: "checkbox", name: "agree" }), " ",
        h("span", {}, say("I understand, and I agree to take part."))),
      error(errors.agree && ui(errors.agree))),
    !handedOver && h("fieldset", { class: `question${errors.method ? " has-error" : ""}` },
      h("legend", {}, ui("consent_method")),
      error(errors.method && ui(errors.method)),
      h("ul", { class: "choices" }, METHODS.map((method) => h("li", {}, h("label", { class: "choice" },
        h("input", { type: "radio", name: "method", value: method }), " ", h("span", {}, ui(`method_${method}`))))))),
    !handedOver && h("div", { class: "question" },
      h("label", { for: "code" }, ui("existing_code")),
      h("p", { class: "hint" }, ui("existing_code_hint")),
      h("input", { id: "code", name: "code", type: "text", autocomplete: "off", autocapitalize: "characters" })),
    h("div", { class: "nav", lang: language },
      h("button", { type: "submit", value: "agree", class: "primary" }, say("I agree")),
      h("button", { type: "submit", value: "refuse", class: "secondary" }, say("I do not agree")))));
}

function questionBlock(interview, question, message) {
  const { form, language } = interview;
  const label = (text) => formText(form, text, language);
  const id = `a-${question.name}`;
  const hint = question.hint && h("p", { class: "hint", id: `hint-${question.name}` }, label(question.hint));
  const classes = `question q-${question.type}${message ? " has-error" : ""}`;
  if (!question.collects) {
    return h("div", { class: classes, id: `q-${question.name}` }, h("p", { class: "note" }, label(question.label)), hint);
  }
  const type = WIDGETS[question.widget];
  const title = [label(question.label), question.required && h("span", { class: "required", "aria-hidden": "true" }, " *")];
  const control = type.control(question, interview.answers[question.name], id, label);
  const described = { "aria-describedby": `hint-${question.name} error-${question.name}` };
  if (type.grouped) {
    return h("div", { class: classes, id: `q-${question.name}`, "data-question": question.name },
      h("fieldset", { ...described, "aria-invalid": message ? "true" : null },
        h("legend", {}, title), hint, error(message, `error-${question.name}`), control));
  }
  Object.entries({ ...described, "aria-invalid": message ? "true" : "false" })
    .forEach(([name, value]) => control.setAttribute(name, value));
  return h("div", { class: classes, id: `q-${question.name}`, "data-question": question.name },
    h("label", { for: id }, title), hint, error(message, `error-${question.name}`), control);
}

export function page(interview, errors, { onNext, onBack }) {
  const { form, language } = interview;
  const section = form.sections[interview.page];
  const [number, total] = interview.progress();
  const say = (message) => formMessage(form, language, message);
  const submit = (action, element) => {
    const values = {};
    const parseErrors = {};
    for (const block of element.querySelectorAll("[data-question]")) {
      const question = section.questions.find((q) => q.name === block.dataset.question);
      try {
        values[question.name] = WIDGETS[question.widget].read(block, question);
      } catch (problem) {
        values[question.name] = null;
        parseErrors[question.name] = problem;
      }
    }
    return (action === "back" ? onBack : onNext)(values, parseErrors);
  };
  show(h("div", { lang: language },
    h("p", { class: "progress-text" }, `${formText(form, form.title, language)} · ${number} / ${total}`),
    h("progress", { max: total, value: number }, `${number} / ${total}`),
    section.title && h("h1", {}, formText(form, section.title, language)),
    privateForm(submit,
      section.questions.map((q) => questionBlock(interview, q, errors[q.name] && interview.errorText(errors[q.name]))),
      h("div", { class: "nav" },
        h("button", { type: "submit", value: "next", class: "primary" },
          say(interview.isLastPage() ? "Send answers" : "Next")),
        number > 1 && h("button", { type: "submit", value: "back", class: "secondary" }, say("Back"))))));
}

/** What the quick exit leaves on the screen: the server's neutral page, and nothing of the app. */
export function neutral() {
  document.title = "Weather";
  document.body.className = "exit";
  document.body.replaceChildren(h("main", {}, h("p", { class: "meta" }, "Bangkok \u00b7 32\u00b0")));
}

export function message(text, actions, language = null) {
  show(h("p", { class: "flash", role: "status", lang: language }, text),
    h("div", { class: "nav", lang: language }, actions.map(([label, onclick, kind]) =>
      h("button", { type: "button", class: kind, onclick }, label))));
}
