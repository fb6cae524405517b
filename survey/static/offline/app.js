// The offline app: surveys from the cache, interviews in memory, sealed drafts and records, sync.
import { getJSON, postJSON } from "./api.js";
import { forgetForms, formList, getForm } from "./forms.js";
import { getMeta } from "./db.js";
import { contents, countRefusal, dropDraft, enqueue, saveDraft, wipeSettings } from "./queue.js";
import { Interview } from "./runner.js";
import * as screens from "./screens.js";
import { seal, serverKey } from "./seal.js";
import { drawStatus } from "./status.js";
import { changes, startSync } from "./sync.js";
import { formMessage, herWord, ui } from "./texts.js";

const warnings = [];
let syncState = "offline";
let interview = null;
let onHome = false;
let herScreens = false;
let releaseInterview = () => {};
let syncNow = () => {};

const title = document.getElementById("app-title");
const exitButton = document.getElementById("quick-exit");
const appTitle = title.textContent;

const refresh = () => drawStatus({
  state: syncState, warnings, ownUuid: interview?.uuid, participant: herScreens,
  onSync: () => syncNow(), onDownload: download, onWipe: wipe,
});

// Her screens (consent and questions): her words in the header, the quick exit, no staff tools.
function participantScreens(on) {
  herScreens = on;
  const { form, language } = interview ?? {};
  title.textContent = on ? herWord(form, language, "survey") : appTitle;
  title.lang = on ? language : "";
  exitButton.textContent = on ? herWord(form, language, "exit") : "";
  exitButton.lang = on ? language : "";
  exitButton.hidden = !on;
  return refresh();
}

// The quick exit: a neutral screen at once, then the interview she was in is thrown away.
async function quickExit() {
  const uuid = interview?.uuid;
  screens.neutral();
  releaseInterview();
  interview = null;
  if (uuid) await dropDraft(uuid);
}

async function goHome(notice = null) {
  releaseInterview();
  interview = null;
  onHome = true;
  screens.home(await formList(), notice, start);
  await participantScreens(false);
}

async function start(formId) {
  onHome = false;
  const form = await getForm(formId);
  if (!form) return goHome();
  if (!(await serverKey())) return goHome(ui("no_key"));
  if (form.languages.length === 1) return begin(form, form.languages[0]);
  return screens.languages(form, (language, handedOver) => begin(form, language, handedOver));
}

async function begin(form, language, handedOver = false) {
  // Whose interview this is: the records are stored under her name, whoever syncs them.
  interview = new Interview(form, language, (await getMeta("collector"))?.username ?? null);
  interview.handedOver = handedOver;
  // Held while this tab runs the interview, so other tabs do not count its draft as interrupted.
  navigator.locks?.request(`interview:${interview.uuid}`, () => new Promise((resolve) => {
    releaseInterview = resolve;
  }));
  showConsent({});
  await participantScreens(true);
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
      const { form, language, handedOver } = interview;
      await countRefusal(form.id);
      if (handedOver) {
        const say = (message) => formMessage(form, language, message);
        return leaveHer(form, language, `${say("Thank you for your time")} ${say("You chose not to take part. Nothing you said has been kept.")}`);
      }
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
  participantScreens(false);
}

// The end of a handed-over interview: her words, then one button that gives the tablet back.
function leaveHer(form, language, text) {
  releaseInterview();
  interview = null;
  screens.message(text, [[herWord(form, language, "finish"), () => goHome(), "primary"]], language);
}

async function finish() {
  const { form, language, handedOver } = interview;
  await enqueue(await seal(interview.plaintext(), interview.uuid, await serverKey()));
  changes.postMessage("queued");
  if (handedOver) leaveHer(form, language, formMessage(form, language, "Thank you. The answers are stored."));
  else leave(ui("saved"), [
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

// The login ends on the server, which also has the browser drop its cookies and HTTP cache.
async function endLogin() {
  try {
    await postJSON("/app/wipe", {}, (await getJSON("/api/v1/session")).csrf_token);
    return true;
  } catch (error) {
    return error.status === 401; // no login left to end
  }
}

// Every cache but the service worker's shell (which holds no data): each entry is overwritten
// first, so the deleted cache's files on disk no longer hold what it kept.
async function forgetCaches() {
  for (const name of await caches.keys()) {
    if (name.startsWith("shell-")) continue;
    const cache = await caches.open(name);
    for (const request of await cache.keys()) await cache.put(request, new Response(""));
    await caches.delete(name);
  }
  await forgetForms();
}

// Everything the app keeps but the sealed answers not yet sent (and counted refusals).
async function wipe(waitingCount, unfinished) {
  if (!window.confirm(ui("wipe_confirm", { count: waitingCount }))) return;
  const ended = await endLogin();
  await forgetCaches();
  await wipeSettings();
  for (const draft of unfinished) await dropDraft(draft.uuid);
  localStorage.clear();
  sessionStorage.clear();
  await goHome(ui(ended ? "wiped" : "wiped_offline"));
}

async function main() {
  exitButton.addEventListener("click", quickExit);
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
