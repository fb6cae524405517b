// The offline app: surveys from the cache, interviews in memory, sealed drafts and records, sync.
import { forgetForms, formList, getForm } from "./forms.js";
import { getMeta } from "./db.js";
import { contents, countRefusal, dropDraft, enqueue, saveDraft, wipeSettings } from "./queue.js";
import { Interview } from "./runner.js";
import * as screens from "./screens.js";
import { seal, serverKey } from "./seal.js";
import { drawStatus } from "./status.js";
import { changes, startSync } from "./sync.js";
import { ui } from "./texts.js";

const warnings = [];
let syncState = "offline";
let interview = null;
let onHome = false;
let releaseInterview = () => {};
let syncNow = () => {};

const refresh = () => drawStatus({
  state: syncState, warnings, ownUuid: interview?.uuid, onSync: () => syncNow(), onDownload: download, onWipe: wipe,
});

async function goHome(notice = null) {
  releaseInterview();
  interview = null;
  onHome = true;
  screens.home(await formList(), notice, start);
  await refresh();
}

async function start(formId) {
  onHome = false;
  const form = await getForm(formId);
  if (!form) return goHome();
  if (!(await serverKey())) return goHome(ui("no_key"));
  if (form.languages.length === 1) return begin(form, form.languages[0]);
  return screens.languages(form, (language) => begin(form, language));
}

async function begin(form, language) {
  // Whose interview this is: the records are stored under her name, whoever syncs them.
  interview = new Interview(form, language, (await getMeta("collector"))?.username ?? null);
  // Held while this tab runs the interview, so other tabs do not count its draft as interrupted.
  navigator.locks?.request(`interview:${interview.uuid}`, () => new Promise((resolve) => {
    releaseInterview = resolve;
  }));
  showConsent({});
}

function showConsent(errors) {
  screens.consent(interview, errors, {
    async onAgree(answers) {
      const problems = interview.giveConsent(answers);
      if (Object.keys(problems).length) return showConsent(problems);
      await keepDraft();
      return showPage({});
    },
    async onRefuse() {
      await countRefusal(interview.form.id);
      return leave(ui("refused"), [[ui("home"), () => goHome(), "primary"]]);
    },
  });
}

function showPage(errors) {
  screens.page(interview, errors, {
    async onNext(values, parseErrors) {
      const problems = interview.next(values, parseErrors);
      if (interview.finished) return finish();
      await keepDraft();
      return showPage(problems);
    },
    onBack(values, parseErrors) {
      interview.back(values, parseErrors);
      showPage({});
    },
    async onStop() {
      if (!window.confirm(ui("stop_confirm"))) return;
      await dropDraft(interview.uuid);
      await goHome();
    },
  });
}

// A draft is sealed like a record: if the battery dies, the answers so far survive, but only the
// server can read them; this tablet cannot resume the interview.
async function keepDraft() {
  await saveDraft(await seal(interview.plaintext(), interview.uuid, await serverKey()));
}

// The interview is over: its answers are sealed or gone, and the screen no longer shows them.
function leave(text, actions) {
  releaseInterview();
  interview = null;
  screens.message(text, actions);
}

async function finish() {
  const { form, language } = interview;
  await enqueue(await seal(interview.plaintext(), interview.uuid, await serverKey()));
  changes.postMessage("queued");
  leave(ui("saved"), [
    [ui("another"), () => begin(form, language), "primary"],
    [ui("home"), () => goHome(), "secondary"],
  ]);
  await refresh();
  syncNow();
}

async function download() {
  const { records, drafts } = await contents();
  const file = { records: records.map((record) => record.envelope) };
  if (drafts.length) file.unfinished = drafts.map((draft) => draft.envelope);
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([JSON.stringify(file)], { type: "application/json" }));
  link.download = `sealed-${new Date().toISOString().slice(0, 10)}.json`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

async function wipe(waitingCount, unfinished) {
  if (!window.confirm(ui("wipe_confirm", { count: waitingCount }))) return;
  await forgetForms();
  await wipeSettings();
  for (const draft of unfinished) await dropDraft(draft.uuid);
  await goHome(ui("wiped"));
}

async function main() {
  navigator.serviceWorker?.register("/sw.js", { scope: "/app" });
  if (!(await navigator.storage?.persist?.())) warnings.push(ui("not_persistent"));
  changes.onmessage = () => (onHome ? goHome() : refresh());
  await goHome();
  syncNow = startSync(async (state) => {
    syncState = state;
    if (state === "done" && onHome) await goHome();
    else await refresh();
  });
}

main();
