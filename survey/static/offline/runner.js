// One interview in the browser: consent, then the pages that skip logic shows, then the finished record.
import { ConstraintError, validate } from "./answers.js";
import { isTrue } from "./expressions.js";
import { formMessage, formText } from "./texts.js";

const CONSENT_PAGE = -1;
export const METHODS = ["self", "oral", "oral_translator"];

const now = () => new Date().toISOString();

export class Interview {
  constructor(form, language, collector) {
    this.form = form;
    this.language = language;
    this.collector = collector;
    this.uuid = crypto.randomUUID();
    this.page = CONSENT_PAGE;
    this.startedAt = now();
    this.answers = {};
    this.consent = null;
    this.finished = null;
  }

  /** Indexes of the sections whose skip logic shows them now. */
  shownPages() {
    const answers = validate(this.form, this.answers, []).answers;
    return this.form.sections.flatMap((section, index) =>
      (!section.relevant || isTrue(section.relevant, answers) ? [index] : []));
  }

  nextPage(after = this.page) {
    return this.shownPages().find((index) => index > after) ?? null;
  }

  /** [this page's number, number of pages], counting only pages shown. */
  progress() {
    const shown = this.shownPages();
    return [Math.max(shown.filter((index) => index <= this.page).length, 1), Math.max(shown.length, 1)];
  }

  isLastPage() {
    return this.nextPage() === null;
  }

  /** Record her consent, or return what is missing: {agree?, method?} as interface message keys. */
  giveConsent({ agree, method, optional, code }) {
    const errors = {};
    if (!agree) errors.agree = "tick_to_agree";
    if (!METHODS.includes(method)) errors.method = "choose_method";
    if (Object.keys(errors).length) return errors;
    this.consent = {
      version: this.form.consent.version, language: this.language, method, given_at: now(),
      optional, existing_code: code.trim() || null,
    };
    this.page = this.nextPage(CONSENT_PAGE) ?? 0;
    return {};
  }

  /** Take the page's answers; with no errors move on, and after the last page finish. Returns the errors. */
  next(values, parseErrors) {
    Object.assign(this.answers, values);
    const names = this.form.sections[this.page].questions.map((question) => question.name);
    const errors = { ...validate(this.form, this.answers, names).errors, ...parseErrors };
    if (Object.keys(errors).length) return errors;
    const next = this.nextPage();
    if (next !== null) {
      this.page = next;
      return {};
    }
    const result = validate(this.form, this.answers);
    const first = Object.keys(result.errors)[0];
    if (first !== undefined) {
      this.page = this.form.sections.findIndex((section) => section.questions.some((q) => q.name === first));
      return result.errors;
    }
    this.finished = { answers: result.answers, at: now() };
    return {};
  }

  back(values, parseErrors) {
    for (const [name, value] of Object.entries(values)) {
      if (!(name in parseErrors)) this.answers[name] = value;
    }
    this.page = this.shownPages().filter((index) => index < this.page).at(-1) ?? this.page;
  }

  /** The plaintext of the sync contract; a draft has no finished_at. */
  plaintext() {
    return {
      uuid: this.uuid, form_id: this.form.id, form_version: this.form.version, language: this.language,
      started_at: this.startedAt, finished_at: this.finished?.at ?? null,
      answers: this.finished?.answers ?? this.answers, notes: {}, consent: this.consent,
      collected_by: this.collector,
    };
  }

  errorText(error) {
    if (error instanceof ConstraintError) return formText(this.form, error.text, this.language);
    return formMessage(this.form, this.language, error.message, error.variables);
  }
}
