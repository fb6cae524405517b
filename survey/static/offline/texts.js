// Words on screen: the interviewer's (from the shell page) and the participant's (from the form).
const shell = JSON.parse(document.getElementById("messages").textContent);

const fill = (text, variables) =>
  text.replace(/%\((\w+)\)s/g, (whole, name) => (name in variables ? String(variables[name]) : whole));

export const uiLanguage = shell.language;
export const uiLocale = shell.locale;

/** An interface message in the interviewer's language. */
export const ui = (key, variables = {}) => fill(shell.text[key], variables);

const chain = (form, language) => form.fallbacks?.[language] ?? [language, form.default_language];

/** A form text ({lang: text}) in ``language``, following the form's fallbacks. */
export function formText(form, text, language) {
  if (!text) return "";
  const found = chain(form, language).find((code) => code in text);
  return found === undefined ? "" : text[found];
}

/** One of the app's own words on her screens ("survey", "exit") in ``language``, along the form's fallbacks. */
export const herWord = (form, language, key) =>
  chain(form, language).map((code) => shell.participant?.[code]?.[key]).find(Boolean) ?? shell.participant?.en?.[key] ?? "";

/** A built-in message (as gettext msgid) in the participant's language, from the form's catalog. */
export function formMessage(form, language, message, variables = {}) {
  const found = chain(form, language).map((code) => form.messages?.[code]?.[message]).find(Boolean);
  return fill(found ?? message, variables);
}
